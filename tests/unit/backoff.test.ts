import { describe, expect, it } from 'vitest'
import { ManualClock } from '../../electron/host/clock'
import { BackoffCounter, SIGN_IN_POLICY, type BackoffPolicy } from '../../electron/host/domains/auth/backoff'

/** A failed check as the guard makes one: reserved, then settled as a failure. */
function failOnce(l: BackoffCounter, key: string, source?: string): boolean {
  l.reserve(key)
  return l.fail(key, source)
}

describe('BackoffCounter', () => {
  it('locks a key for a minute after five failures and forgives afterwards', () => {
    const clock = new ManualClock(new Date('2026-11-25T00:00:00Z'))
    const l = new BackoffCounter(clock)
    for (let i = 0; i < 4; i++) failOnce(l, 'user:a')
    expect(l.lockedFor('user:a')).toBe(0)
    failOnce(l, 'user:a')
    expect(l.lockedFor('user:a')).toBe(60_000)
    expect(l.lockedFor('user:b')).toBe(0)
    clock.advance(59_000)
    expect(l.lockedFor('user:a')).toBe(1_000)
    clock.advance(1_000)
    expect(l.lockedFor('user:a')).toBe(0)
    failOnce(l, 'user:a')
    expect(l.lockedFor('user:a')).toBe(0)
  })

  it('a success clears the count', () => {
    const l = new BackoffCounter(new ManualClock(new Date()))
    for (let i = 0; i < 4; i++) failOnce(l, 'user:a', 'addr:x')
    l.forgive('user:a', 'addr:x')
    failOnce(l, 'user:a')
    expect(l.lockedFor('user:a')).toBe(0)
  })

  it('locks longer each time: 1, 5, 15, then 60 min, and no longer', () => {
    const clock = new ManualClock(new Date('2026-11-25T00:00:00Z'))
    const l = new BackoffCounter(clock)
    const locks: number[] = []
    for (let round = 0; round < 6; round++) {
      for (let i = 0; i < 4; i++) expect(failOnce(l, 'k')).toBe(false)
      expect(failOnce(l, 'k')).toBe(true)
      locks.push(l.lockedFor('k') / 60_000)
      clock.advance(l.lockedFor('k'))
      expect(l.lockedFor('k')).toBe(0)
    }
    expect(locks).toEqual([1, 5, 15, 60, 60, 60])
  })

  it('forgets the ladder after a quiet day, and a streak after a quiet quarter hour', () => {
    const clock = new ManualClock(new Date('2026-11-25T00:00:00Z'))
    const l = new BackoffCounter(clock)
    for (let i = 0; i < 5; i++) failOnce(l, 'k')
    clock.advance(60_000)
    for (let i = 0; i < 5; i++) failOnce(l, 'k')
    expect(l.lockedFor('k')).toBe(5 * 60_000)
    clock.advance(24 * 3600_000)
    for (let i = 0; i < 4; i++) failOnce(l, 'k')
    clock.advance(15 * 60_000)
    // the four above lapsed: four more do not lock
    for (let i = 0; i < 4; i++) failOnce(l, 'k')
    expect(l.lockedFor('k')).toBe(0)
    failOnce(l, 'k')
    expect(l.lockedFor('k')).toBe(60_000)
    expect(l.snapshot('k')).toMatchObject({ level: 1 })
  })

  it('counts checks in flight: the limit is full before any of them has failed', () => {
    const l = new BackoffCounter(new ManualClock(new Date()))
    for (let i = 0; i < 4; i++) l.reserve('k')
    expect(l.full('k')).toBe(false)
    l.reserve('k')
    expect(l.full('k')).toBe(true)
    l.release('k')
    expect(l.full('k')).toBe(false)
  })

  it('keeps what it needs across a restart through snapshot and restore', () => {
    const clock = new ManualClock(new Date('2026-11-25T00:00:00Z'))
    const a = new BackoffCounter(clock)
    for (let i = 0; i < 5; i++) failOnce(a, 'k', 'addr:x')
    const b = new BackoffCounter(clock)
    b.restore('k', a.snapshot('k')!)
    expect(b.lockedFor('k')).toBe(60_000)
    expect(b.failuresFrom('k', 'addr:x')).toBe(5)
    clock.advance(60_000)
    expect(b.snapshot('k')).toMatchObject({ failures: 0, level: 1, lockedUntil: 0 })
  })

  describe('a leaking policy (the address over a day)', () => {
    const LEAKY: BackoffPolicy = { ...SIGN_IN_POLICY, maxFailures: 4, leakMs: 60_000 }

    it('fills to its ceiling, then lets one more through per leak, however the failures are paced', () => {
      const clock = new ManualClock(new Date('2026-11-25T00:00:00Z'))
      const l = new BackoffCounter(clock, LEAKY)
      for (let i = 0; i < 3; i++) expect(failOnce(l, 'k')).toBe(false)
      expect(failOnce(l, 'k')).toBe(true)
      expect(l.lockedFor('k')).toBe(60_000)
      // a quiet window ends no streak here: only whole leaks count
      clock.advance(59_000)
      expect(l.lockedFor('k')).toBe(1_000)
      clock.advance(1_000)
      expect(l.lockedFor('k')).toBe(0)
      failOnce(l, 'k')
      // the leak clock ran on from the last leak, not from this failure
      expect(l.lockedFor('k')).toBe(60_000)
      clock.advance(3 * 60_000 + 30_000)
      expect(l.full('k')).toBe(false)
      for (let i = 0; i < 3; i++) failOnce(l, 'k')
      expect(l.lockedFor('k')).toBe(30_000)
      clock.advance(4 * 60_000)
      expect(l.snapshot('k')).toBeNull()
    })

    it('takes back what a source proved right, and keeps its count across a restart', () => {
      const clock = new ManualClock(new Date('2026-11-25T00:00:00Z'))
      const l = new BackoffCounter(clock, LEAKY)
      failOnce(l, 'k', 'clerk')
      failOnce(l, 'k', 'clerk')
      failOnce(l, 'k', 'stranger')
      l.forgive('k', 'clerk')
      expect(l.snapshot('k')?.failures).toBe(1)
      failOnce(l, 'k')
      failOnce(l, 'k')
      failOnce(l, 'k')
      clock.advance(30_000)
      const again = new BackoffCounter(clock, LEAKY)
      again.restore('k', l.snapshot('k')!)
      expect(again.lockedFor('k')).toBe(30_000)
      clock.advance(30_000)
      expect(again.lockedFor('k')).toBe(0)
      expect(again.snapshot('k')?.failures).toBe(3)
    })

    it('a failure after everything was forgiven starts a fresh leak clock', () => {
      const clock = new ManualClock(new Date('2026-11-25T00:00:00Z'))
      const l = new BackoffCounter(clock, LEAKY)
      failOnce(l, 'k', 'clerk')
      clock.advance(50_000)
      l.forgive('k', 'clerk')
      failOnce(l, 'k')
      clock.advance(50_000)
      expect(l.snapshot('k')?.failures).toBe(1)
    })
  })
})
