import { describe, expect, it } from 'vitest'
import { ManualClock } from '../../electron/host/clock'
import { LoginLimiter } from '../../electron/host/domains/auth/login-limiter'

describe('LoginLimiter', () => {
  it('locks a key for a minute after five failures and forgives afterwards', () => {
    const clock = new ManualClock(new Date('2026-11-25T00:00:00Z'))
    const l = new LoginLimiter(clock)
    for (let i = 0; i < 4; i++) l.fail(['user:a'])
    expect(l.lockedFor(['user:a'])).toBe(0)
    l.fail(['user:a'])
    expect(l.lockedFor(['user:a'])).toBe(60_000)
    expect(l.lockedFor(['user:b'])).toBe(0)
    clock.advance(59_000)
    expect(l.lockedFor(['user:a'])).toBe(1_000)
    clock.advance(1_000)
    expect(l.lockedFor(['user:a'])).toBe(0)
    l.fail(['user:a'])
    expect(l.lockedFor(['user:a'])).toBe(0)
  })

  it('a success clears the count', () => {
    const l = new LoginLimiter(new ManualClock(new Date()))
    for (let i = 0; i < 4; i++) l.fail(['user:a'])
    l.succeed('user:a')
    l.fail(['user:a'])
    expect(l.lockedFor(['user:a'])).toBe(0)
  })
})
