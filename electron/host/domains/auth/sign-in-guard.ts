import type { Kysely } from 'kysely'
import type { Clock } from '../../clock'
import type { DB } from '../../db/schema'
import { ApiFailure } from '../../api/api-failure'
import { BackoffCounter, SIGN_IN_POLICY, type BackoffPolicy } from './backoff'
import type { LimitsStore } from './limits.repository'

/** While an account is locked, an address that has failed on it this many times is held too. */
export const HELD_AFTER = 2
/** While an account is locked, the gap between two checks of it from addresses not held. */
export const CLEAN_GAP_MS = 10_000
/** What a caller is told to wait when checks already in flight could use up the limit. */
const BUSY_MS = 1_000

/** One reserved check; settle it exactly once. */
export interface Attempt {
  /** the password was wrong. */
  failed(): void
  /** the password was right. */
  succeeded(): void
  /** the check ended without an answer about the password (an error, a disabled account). */
  abandon(): void
}

/**
 * Who may try a password now. Three kinds of key, each with the same back-off (5 failures lock
 * for 1, 5, 15, then 60 min):
 *
 * - `addr:<address>`: every failed sign-in from one address, whatever the account. A stranger at
 *   one PC gets five guesses per lock, and longer locks each time.
 * - `acct:<username>`: every failed sign-in on one account, from anywhere. Its lock holds only
 *   for the addresses that failed on that account at least twice in the streak (HELD_AFTER).
 *   Another address — the owner at their own PC — is still let through, one check of that
 *   account at a time with CLEAN_GAP_MS between checks. So someone failing on purpose as the
 *   manager cannot keep the manager out (the lock-out attack), and guessing one account from many
 *   addresses stays bounded: while the account is locked each further guess needs a fresh address
 *   (two guesses each) and the gap between them.
 * - `change:<staff id>`: wrong current passwords in auth.changePassword, for the session's account.
 *
 * A check reserves its place synchronously before the password is hashed, so parallel guesses
 * count before any of them is checked. A right password forgives the typos made on that account
 * from that address. The state is kept in the database (see LimitsStore): a host restarted by its
 * supervisor, or by the guesser crashing it, must not forgive the guesses.
 */
export class SignInGuard {
  private readonly counter: BackoffCounter
  /** per locked account: when the next check from a clean address may start. */
  private readonly slots = new Map<string, number>()

  constructor(
    private readonly clock: Clock,
    private readonly store: LimitsStore | null = null,
    policy: BackoffPolicy = SIGN_IN_POLICY,
  ) {
    this.counter = new BackoffCounter(clock, policy, (key) => store?.changed(key))
    store?.attach(this.counter)
  }

  /**
   * Reserves a sign-in check for `username` from `address`, or throws RATE_LIMITED with the
   * seconds to wait. Synchronous on purpose: call it before the first await.
   */
  beginSignIn(username: string, address: string | null): Attempt {
    const a = addressKey(address)
    const u = accountKey(username)
    const c = this.counter
    const now = this.clock.now().getTime()
    const addrWait = c.lockedFor(a)
    if (addrWait > 0) throw locked(addrWait)
    if (c.full(a)) throw locked(BUSY_MS)
    const acctWait = c.lockedFor(u)
    if (acctWait > 0) {
      if (c.failuresFrom(u, a) >= HELD_AFTER) throw locked(acctWait)
      const slot = this.slots.get(u) ?? 0
      if (slot > now) throw locked(slot - now)
      this.slots.set(u, now + CLEAN_GAP_MS)
      this.pruneSlots(now)
    } else if (c.full(u)) {
      throw locked(BUSY_MS)
    }
    c.reserve(a)
    c.reserve(u)
    return once({
      failed: () => {
        c.fail(a, u)
        c.fail(u, a)
      },
      succeeded: () => {
        c.release(a)
        c.release(u)
        c.forgive(u, a)
        c.forgive(a, u)
      },
      abandon: () => {
        c.release(a)
        c.release(u)
      },
    })
  }

  /** Reserves a check of the current password in auth.changePassword, or throws RATE_LIMITED on `oldPassword`. */
  beginPasswordChange(staffId: number): Attempt {
    const k = changeKey(staffId)
    const c = this.counter
    const wait = c.lockedFor(k) || (c.full(k) ? BUSY_MS : 0)
    if (wait > 0) throw locked(wait, 'oldPassword', 'passwordLocked')
    c.reserve(k)
    return once({
      failed: () => void c.fail(k),
      succeeded: () => {
        c.release(k)
        c.clear(k, true)
      },
      abandon: () => c.release(k),
    })
  }

  /** ms until sign-ins from `address` are allowed again (0 = not locked). */
  addressLockedFor(address: string | null): number {
    return this.counter.lockedFor(addressKey(address))
  }

  /**
   * An admin vouches for a staff member: lifts the account's sign-in and password-change locks,
   * and the locks of the addresses that failed on it (they keep their ladder step, so a guesser
   * among them is locked longer next time). Returns whether anything was locked.
   */
  unlock(username: string, staffId: number): boolean {
    const u = accountKey(username)
    const c = this.counter
    let wasLocked = c.lockedFor(u) > 0 || c.lockedFor(changeKey(staffId)) > 0
    for (const a of Object.keys(c.snapshot(u)?.by ?? {})) {
      if (c.lockedFor(a) > 0) wasLocked = true
      c.clear(a, true)
    }
    c.clear(u)
    c.clear(changeKey(staffId))
    this.slots.delete(u)
    return wasLocked
  }

  /** Writes changed state to the database; awaited before a failed check is answered. */
  async flush(): Promise<void> {
    await this.store?.flush()
  }

  /** Writes changed state inside the caller's transaction. */
  async flushWithin(trx: Kysely<DB>): Promise<void> {
    await this.store?.flushWithin(trx)
  }

  private pruneSlots(now: number): void {
    for (const [k, at] of this.slots) if (at <= now) this.slots.delete(k)
  }
}

/** Calls without a network address (in-process) share one key. */
function addressKey(address: string | null): string {
  return `addr:${address ?? 'local'}`
}

function accountKey(username: string): string {
  return `acct:${username.trim().toLowerCase()}`
}

function changeKey(staffId: number): string {
  return `change:${staffId}`
}

function locked(waitMs: number, field?: string, reason = 'locked'): ApiFailure {
  const seconds = Math.max(1, Math.ceil(waitMs / 1000))
  const what = field ? 'too many wrong current passwords' : 'too many failed sign-ins'
  return new ApiFailure('RATE_LIMITED', `${what}; try again in ${seconds} s`, field, reason, { seconds })
}

/** Settles at most once: a second call is a bug that would count a check twice. */
function once(a: Attempt): Attempt {
  let done = false
  const guard = <T>(fn: () => T, fallback: T) => () => {
    if (done) return fallback
    done = true
    return fn()
  }
  return { failed: guard(a.failed, undefined), succeeded: guard(a.succeeded, undefined), abandon: guard(a.abandon, undefined) }
}
