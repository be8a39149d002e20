import { describe, expect, it } from 'vitest'
import { ageHours, backupIsStale } from '@shared/domain/backup-age'

const now = new Date('2026-11-25T02:00:00Z')
const hoursAgo = (h: number) => new Date(now.getTime() - h * 3_600_000).toISOString()

describe('when the admin is warned about backups', () => {
  it('warns once the newest backup is older than two days, not at two days', () => {
    expect(backupIsStale(hoursAgo(47), hoursAgo(1000), now)).toBe(false)
    expect(backupIsStale(hoursAgo(48), hoursAgo(1000), now)).toBe(false)
    expect(backupIsStale(hoursAgo(48.01), hoursAgo(1000), now)).toBe(true)
  })

  it('with no backup, counts from the branch’s start: a new branch is not warned in its first two days', () => {
    expect(backupIsStale(null, hoursAgo(10), now)).toBe(false)
    expect(backupIsStale(null, hoursAgo(49), now)).toBe(true)
    expect(backupIsStale(null, null, now)).toBe(false)
  })

  it('shows the age in whole hours, never below 0 (a clock set back)', () => {
    expect(ageHours(hoursAgo(5.9), now)).toBe(5)
    expect(ageHours(hoursAgo(-2), now)).toBe(0)
  })
})
