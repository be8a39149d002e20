import { describe, expect, it } from 'vitest'
import { backupsToKeep, newestFirst } from '@shared/domain/backup-rotation'

const at = (day: string) => `${day}T02:00:00.000Z`
const name = (day: string, n = 0) => `keyuan-${day.replace(/-/g, '')}-100000${n ? `-${n}` : ''}.db`

describe('backup rotation', () => {
  it('keeps the newest of each of 7 days, 4 weeks and 12 months over a year of daily backups', () => {
    const backups = []
    for (let t = Date.parse('2026-01-01T02:00:00Z'); t <= Date.parse('2026-12-31T02:00:00Z'); t += 86_400_000) {
      const day = new Date(t).toISOString().slice(0, 10)
      backups.push({ name: name(day), at: at(day) })
    }
    const kept = [...backupsToKeep(backups)].sort()
    // days: Dec 25–31; weeks (Mon–Sun): Dec 31 and Dec 27 (kept as days), Dec 20, Dec 13;
    // months: Dec 31 and the last day of Jan–Nov
    const months = ['01-31', '02-28', '03-31', '04-30', '05-31', '06-30', '07-31', '08-31', '09-30', '10-31', '11-30'].map((d) => name(`2026-${d}`))
    const days = ['25', '26', '27', '28', '29', '30', '31'].map((d) => name(`2026-12-${d}`))
    const weeks = ['13', '20'].map((d) => name(`2026-12-${d}`))
    expect(kept).toEqual([...months, ...weeks, ...days].sort())
  })

  it('of two taken in the same second the later name is the newer', () => {
    const a = { name: name('2026-12-01'), at: at('2026-12-01') }
    const b = { name: name('2026-12-01', 1), at: at('2026-12-01') }
    expect([a, b].sort(newestFirst)[0]).toBe(b)
    expect([...backupsToKeep([a, b])]).toEqual([b.name])
  })
})
