import type { Clock } from '../../clock'

export interface LimiterPolicy {
  maxFailures: number
  lockMs: number
}

export const DEFAULT_LOGIN_POLICY: LimiterPolicy = { maxFailures: 5, lockMs: 60_000 }

interface Entry {
  failures: number
  lockedUntil: number
}

/**
 * Counts failed logins per account and per address; after `maxFailures` in a row the key is
 * locked for `lockMs`. A success clears the account's count. In memory: a restart forgives.
 */
export class LoginLimiter {
  private readonly entries = new Map<string, Entry>()

  constructor(
    private readonly clock: Clock,
    private readonly policy: LimiterPolicy = DEFAULT_LOGIN_POLICY,
  ) {}

  /** ms until the lock on any of the keys lifts, or 0 when none is locked. */
  lockedFor(keys: readonly string[]): number {
    const now = this.clock.now().getTime()
    let wait = 0
    for (const k of keys) {
      const e = this.entries.get(k)
      if (e && e.lockedUntil > now) wait = Math.max(wait, e.lockedUntil - now)
    }
    return wait
  }

  fail(keys: readonly string[]): void {
    const now = this.clock.now().getTime()
    for (const k of keys) {
      const e = this.entries.get(k) ?? { failures: 0, lockedUntil: 0 }
      if (e.lockedUntil !== 0 && e.lockedUntil <= now) e.failures = 0
      e.failures++
      e.lockedUntil = e.failures >= this.policy.maxFailures ? now + this.policy.lockMs : 0
      this.entries.set(k, e)
    }
  }

  succeed(key: string): void {
    this.entries.delete(key)
  }
}
