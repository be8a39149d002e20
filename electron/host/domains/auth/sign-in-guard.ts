import type { Kysely } from 'kysely'
import type { Clock } from '../../clock'
import type { DB } from '../../db/schema'
import { ApiFailure } from '../../api/api-failure'
import { ADDRESS_DAY_POLICY, ADDRESS_POLICY, BackoffCounter, SIGN_IN_POLICY, type BackoffPolicy } from './backoff'
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
 * Who may try a password now. Five kinds of key, all but one with the same back-off (locks of 1,
 * 5, 15, then 60 min):
 *
 * - `pair:<address>|<username>` (signInSource): failed sign-ins on one account from one address;
 *   five lock that account at that address. A clerk's typos lock only the clerk, never the
 *   colleagues behind the same office address (one NAT, a terminal server); a stranger guessing
 *   one account gets five guesses per lock, and longer locks each time.
 * - `addr:<address>`: every failed sign-in from one address, whatever the account, up to a much
 *   higher ceiling (ADDRESS_POLICY: 30). A stranger trying many accounts from one PC (password
 *   spraying) still stops; a right password takes back that person's typos from the count.
 * - `addrday:<address>`: the same failures with a day's memory and no back-off (ADDRESS_DAY_POLICY:
 *   100, one leaking away every 14.4 min), so a sprayer pacing below the 30 (a streak ends after
 *   15 quiet minutes) still stops at 100, then gets about four guesses an hour. Typos followed by
 *   the right password are taken back here too; a full address waits for one leak, never a day.
 * - `acct:<username>`: every failed sign-in on one account, from anywhere. Its lock holds only
 *   for the addresses that failed on that account at least twice in the streak (HELD_AFTER).
 *   Another address — the owner at their own PC — is still let through, one check of that
 *   account at a time with CLEAN_GAP_MS between checks. So someone failing on purpose as the
 *   manager cannot keep the manager out (the lock-out attack), and guessing one account from many
 *   addresses stays bounded: while the account is locked each further guess needs a fresh address
 *   (two guesses each) and the gap between them.
 * - `change:<staff id>`: wrong current passwords in auth.changePassword, for the session's account.
 *
 * The LAN server's call rate counts a sign-in by the same signInSource, over HTTP and WebSocket
 * alike (lan/call-rate.ts), so both layers draw the line in the same place.
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
  ) {
    this.counter = new BackoffCounter(clock, policyOf, (key) => store?.changed(key))
    store?.attach(this.counter)
  }

  /**
   * Reserves a sign-in check for `username` from `address`, or throws RATE_LIMITED with the
   * seconds to wait. Synchronous on purpose: call it before the first await.
   */
  beginSignIn(username: string, address: string | null): Attempt {
    const a = addressKey(address)
    const d = addressDayKey(address)
    const p = pairKey(address, username)
    const u = accountKey(username)
    const c = this.counter
    const now = this.clock.now().getTime()
    for (const k of [a, d, p]) {
      const wait = c.lockedFor(k)
      if (wait > 0) throw locked(wait)
      if (c.full(k)) throw locked(BUSY_MS)
    }
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
    const keys = [a, d, p, u]
    for (const k of keys) c.reserve(k)
    return once({
      failed: () => {
        c.fail(a, u)
        c.fail(d, u)
        c.fail(p)
        c.fail(u, a)
      },
      succeeded: () => {
        for (const k of keys) c.release(k)
        c.forgive(u, a)
        c.forgive(a, u)
        c.forgive(d, u)
        c.clear(p, true)
      },
      abandon: () => {
        for (const k of keys) c.release(k)
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

  /** Whether a sign-in as `username` from `address` is refused for now (the pair's or the address's lock). */
  signInLocked(address: string | null, username: string): boolean {
    return [addressKey(address), addressDayKey(address), pairKey(address, username)].some((k) => this.counter.lockedFor(k) > 0)
  }

  /**
   * An admin vouches for a staff member: lifts the account's sign-in and password-change locks,
   * and at each address that failed on it the account's lock and the address's own (they keep
   * their ladder step, so a guesser among them is locked longer next time); the address's day
   * count takes back only this account's failures. Returns whether anything was locked.
   */
  unlock(username: string, staffId: number): boolean {
    const u = accountKey(username)
    const c = this.counter
    let wasLocked = c.lockedFor(u) > 0 || c.lockedFor(changeKey(staffId)) > 0
    for (const a of Object.keys(c.snapshot(u)?.by ?? {})) {
      const address = a.slice(ADDRESS_PREFIX.length)
      const p = pairKey(address, username)
      for (const k of [a, p]) {
        if (c.lockedFor(k) === 0) continue
        wasLocked = true
        c.clear(k, true)
      }
      const d = addressDayKey(address)
      if (c.lockedFor(d) > 0) wasLocked = true
      c.forgive(d, u)
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

const ADDRESS_PREFIX = 'addr:'
const ADDRESS_DAY_PREFIX = 'addrday:'

/** Each kind of key's policy, told by its prefix. */
function policyOf(key: string): BackoffPolicy {
  if (key.startsWith(ADDRESS_PREFIX)) return ADDRESS_POLICY
  if (key.startsWith(ADDRESS_DAY_PREFIX)) return ADDRESS_DAY_POLICY
  return SIGN_IN_POLICY
}

/** Calls without a network address (in-process) share one key. */
function addressKey(address: string | null): string {
  return `${ADDRESS_PREFIX}${address ?? 'local'}`
}

function addressDayKey(address: string | null): string {
  return `${ADDRESS_DAY_PREFIX}${address ?? 'local'}`
}

/** How an account is spelt wherever sign-ins are counted: trimmed, lower case, so case games share one count. */
export function accountName(username: string): string {
  return username.trim().toLowerCase()
}

/** Where a sign-in comes from and which account it tries: the unit both the guard and the call rate count by. */
export function signInSource(address: string | null, username: string): string {
  return `${address ?? 'local'}|${accountName(username)}`
}

function accountKey(username: string): string {
  return `acct:${accountName(username)}`
}

function pairKey(address: string | null, username: string): string {
  return `pair:${signInSource(address, username)}`
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
