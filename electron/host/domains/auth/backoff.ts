import type { Clock } from '../../clock'

export interface BackoffPolicy {
  /** failures in one streak that lock the key. */
  maxFailures: number
  /** how long each lock lasts: the first lock takes the first step, each further one the next, the last repeats. */
  ladderMs: readonly number[]
  /** a streak ends when this long passes without a failure (typos spread over a day never add up). */
  windowMs: number
  /** the ladder starts over after this long without a failure. */
  forgetMs: number
  /**
   * A long memory instead of streaks: failures leak away one every `leakMs` (no window ends them
   * all at once, no ladder); a key holding `maxFailures` waits until the next one has leaked. So
   * at most `maxFailures` in a burst, then one per `leakMs`, however the failures are paced.
   */
  leakMs?: number
}

/** Five failures lock for 1 min, then 5, 15 and 60 min; a quiet day forgets. */
export const SIGN_IN_POLICY: BackoffPolicy = {
  maxFailures: 5,
  ladderMs: [60_000, 5 * 60_000, 15 * 60_000, 60 * 60_000],
  windowMs: 15 * 60_000,
  forgetMs: 24 * 3600_000,
}

/**
 * Failed sign-ins from one address across every account: a ceiling far above one person's typos,
 * so one office behind one address (NAT) is not locked by a clerk's mistakes, while a stranger
 * trying many accounts from one PC (password spraying) still stops, with the same growing locks.
 */
export const ADDRESS_POLICY: BackoffPolicy = { ...SIGN_IN_POLICY, maxFailures: 30 }

/**
 * The same failures from one address over a day: ADDRESS_POLICY's streaks end after 15 quiet
 * minutes and its locks after an hour at most, so a patient sprayer pacing below it had ~30
 * guesses every quarter of an hour. This memory holds 100 failures and lets one leak every 14.4
 * minutes (100 a day): a sprayer gets 100 guesses, then about 4 an hour. An office behind one
 * address is far from it: typos followed by the right password are taken back, and a forgotten
 * password stops at five per account and address (SIGN_IN_POLICY); even when full, the address
 * waits for one leak (at most 14.4 minutes), never a day.
 */
export const ADDRESS_DAY_POLICY: BackoffPolicy = { ...SIGN_IN_POLICY, maxFailures: 100, leakMs: (24 * 3600_000) / 100 }

/** What is kept of a key between starts (ms since the epoch). */
export interface BackoffState {
  failures: number
  /** locks so far, capped at the ladder's length; picks the next lock's length. */
  level: number
  /** under a leaking policy: when the count last leaked (or, leaked empty, its first failure). */
  lastFailureAt: number
  /** 0 when not locked. */
  lockedUntil: number
  /** failures of this streak by where they came from (an address, an account), bounded. */
  by: Record<string, number>
}

// Bounds the memory an attacker can make us spend: sources per key, keys in all.
const MAX_SOURCES = 32
const MAX_KEYS = 10_000

/**
 * Counts failures per key (an address, an account) and locks a key with growing back-off.
 * A check reserves its place before it starts (`reserve`) and settles it when done (`fail` or
 * `release`), so checks in flight count against the limit: however many arrive at once, no more
 * than `maxFailures` of them run for a key. Time comes from the injected clock; `onChange` hears
 * every change worth keeping across a restart.
 */
export class BackoffCounter {
  private readonly states = new Map<string, BackoffState>()
  private readonly pending = new Map<string, number>()
  private readonly policyOf: (key: string) => BackoffPolicy

  /** `policy`: one for every key, or each key's own (an address's ceiling differs from an account's). */
  constructor(
    private readonly clock: Clock,
    policy: BackoffPolicy | ((key: string) => BackoffPolicy) = SIGN_IN_POLICY,
    private readonly onChange: (key: string) => void = () => {},
  ) {
    this.policyOf = typeof policy === 'function' ? policy : () => policy
  }

  /** ms until the key's lock lifts, or 0 when it is not locked. */
  lockedFor(key: string): number {
    const s = this.current(key)
    if (!s) return 0
    const { leakMs, maxFailures } = this.policyOf(key)
    // a full leaking key waits for its next leak
    if (leakMs !== undefined) return s.failures >= maxFailures ? Math.max(1, s.lastFailureAt + leakMs - this.now()) : 0
    return Math.max(0, s.lockedUntil - this.now())
  }

  /** True when the failures so far plus the checks in flight reach the limit: one more check could pass it. */
  full(key: string): boolean {
    return (this.current(key)?.failures ?? 0) + (this.pending.get(key) ?? 0) >= this.policyOf(key).maxFailures
  }

  /** Failures of this streak that came from `source`. */
  failuresFrom(key: string, source: string): number {
    return this.current(key)?.by[source] ?? 0
  }

  /** A check is starting: it counts as a possible failure until it is settled. */
  reserve(key: string): void {
    this.pending.set(key, (this.pending.get(key) ?? 0) + 1)
  }

  /** A reserved check ended without a failure (right password, or an error before any answer). */
  release(key: string): void {
    const n = (this.pending.get(key) ?? 0) - 1
    if (n > 0) this.pending.set(key, n)
    else this.pending.delete(key)
  }

  /** A reserved check failed: counts it and returns true when this failure locked the key. */
  fail(key: string, source?: string): boolean {
    this.release(key)
    const now = this.now()
    let s = this.current(key)
    if (!s) {
      this.makeRoom()
      s = { failures: 0, level: 0, lastFailureAt: now, lockedUntil: 0, by: {} }
      this.states.set(key, s)
    }
    s.failures++
    const policy = this.policyOf(key)
    // a leaking key's clock runs on from its last leak, unless it was empty (all forgiven)
    if (policy.leakMs === undefined || s.failures === 1) s.lastFailureAt = now
    if (source !== undefined) addSource(s.by, source)
    let locked = false
    if (policy.leakMs !== undefined) locked = s.failures === policy.maxFailures
    else if (s.lockedUntil === 0 && s.failures >= policy.maxFailures) {
      const ladder = policy.ladderMs
      s.lockedUntil = now + ladder[Math.min(s.level, ladder.length - 1)]!
      s.level = Math.min(s.level + 1, ladder.length)
      locked = true
    }
    this.onChange(key)
    return locked
  }

  /** Takes back the failures that `source` made in this streak (it has since proved itself); returns how many. */
  forgive(key: string, source: string): number {
    const s = this.current(key)
    const n = s?.by[source] ?? 0
    if (!s || n === 0) return 0
    delete s.by[source]
    s.failures = Math.max(0, s.failures - n)
    this.onChange(key)
    return n
  }

  /** Lifts the key's lock and forgets its streak; `keepLevel` keeps the ladder step for its next lock. */
  clear(key: string, keepLevel = false): boolean {
    const s = this.current(key)
    if (!s) return false
    const wasLocked = s.lockedUntil > 0
    if (keepLevel && s.level > 0) Object.assign(s, { failures: 0, lockedUntil: 0, by: {} })
    else this.states.delete(key)
    this.onChange(key)
    return wasLocked
  }

  /** The stored form of a key, or null when there is nothing to keep. */
  snapshot(key: string): BackoffState | null {
    const s = this.current(key)
    return s ? { ...s, by: { ...s.by } } : null
  }

  /** Puts back a key read from storage; one that time has cleared since counts as changed, so its row goes. */
  restore(key: string, s: BackoffState): void {
    this.states.set(key, { ...s, by: { ...s.by } })
    if (!this.current(key)) this.onChange(key)
  }

  private now(): number {
    return this.clock.now().getTime()
  }

  /** The key's state with time applied: a served lock or a lapsed window starts a new streak; a leaking key leaks. */
  private current(key: string): BackoffState | undefined {
    const s = this.states.get(key)
    if (!s) return undefined
    const now = this.now()
    const policy = this.policyOf(key)
    if (policy.leakMs !== undefined) {
      // whole leaks only, the clock moved on by as many: the stored state gives the same count at any later time
      const leaked = Math.floor((now - s.lastFailureAt) / policy.leakMs)
      if (leaked > 0) Object.assign(s, { failures: Math.max(0, s.failures - leaked), lastFailureAt: s.lastFailureAt + leaked * policy.leakMs })
      if (s.failures === 0) this.states.delete(key)
      return this.states.get(key)
    }
    if (s.lockedUntil !== 0 && s.lockedUntil <= now) Object.assign(s, { failures: 0, lockedUntil: 0, by: {} })
    if (s.lockedUntil === 0 && now - s.lastFailureAt >= policy.windowMs) Object.assign(s, { failures: 0, by: {} })
    if (s.lockedUntil === 0 && now - s.lastFailureAt >= policy.forgetMs) s.level = 0
    if (s.failures === 0 && s.level === 0 && s.lockedUntil === 0) this.states.delete(key)
    return this.states.get(key)
  }

  /** Keeps the table bounded: drops what time has cleared, then the oldest unlocked key. */
  private makeRoom(): void {
    if (this.states.size < MAX_KEYS) return
    for (const key of [...this.states.keys()]) this.current(key)
    if (this.states.size < MAX_KEYS) return
    for (const key of this.states.keys()) {
      if (this.lockedFor(key) === 0) {
        this.states.delete(key)
        this.onChange(key)
        return
      }
    }
  }
}

function addSource(by: Record<string, number>, source: string): void {
  if (!(source in by) && Object.keys(by).length >= MAX_SOURCES) {
    const oldest = Object.keys(by)[0]
    if (oldest !== undefined) delete by[oldest]
  }
  by[source] = (by[source] ?? 0) + 1
}
