import { describe, expect, it } from 'vitest'
import { findConflicts, maySeeCalendar } from '@shared/domain/calendar'
import { turnPage, viewRange } from '../../renderer/src/features/calendar/calendar-days'

const at = (h: number) => new Date(Date.UTC(2026, 10, 3) + h * 3_600_000).toISOString()

describe('calendar rules (#20 item 5)', () => {
  it('double bookings: every overlapping pair of one person, touching ends are no clash, other people apart', () => {
    const items = [
      { key: 'viewing:1', staffIds: [1], startsAt: at(6), endsAt: at(7) },
      { key: 'event:1', staffIds: [1, 2], startsAt: at(6.5), endsAt: at(8) },
      { key: 'viewing:2', staffIds: [1], startsAt: at(7), endsAt: at(7.5) },
      { key: 'viewing:3', staffIds: [2], startsAt: at(8), endsAt: at(9) },
      { key: 'viewing:4', staffIds: [3], startsAt: at(6), endsAt: at(7) },
    ]
    expect(findConflicts(items)).toEqual([
      { staffId: 1, keys: ['viewing:1', 'event:1'] },
      { staffId: 1, keys: ['event:1', 'viewing:2'] },
    ])
    expect(findConflicts([])).toEqual([])
  })

  it('who may see whose calendar', () => {
    const agent = { role: 'agent' as const, staffId: 1, team: '一组' }
    const senior = { role: 'senior_agent' as const, staffId: 2, team: '一组' }
    const manager = { role: 'manager' as const, staffId: 3, team: null }
    const desk = { role: 'front_desk' as const, staffId: 4, team: null }
    const mate = { kind: 'person' as const, staffId: 5, team: '一组' }
    const other = { kind: 'person' as const, staffId: 6, team: '二组' }
    expect(maySeeCalendar(agent, { kind: 'self' })).toBe(true)
    expect(maySeeCalendar(agent, { kind: 'person', staffId: 1, team: '一组' })).toBe(true)
    expect(maySeeCalendar(agent, mate)).toBe(false)
    expect(maySeeCalendar(agent, { kind: 'team' })).toBe(false)
    expect(maySeeCalendar(desk, mate)).toBe(false)
    expect(maySeeCalendar(senior, mate)).toBe(true)
    expect(maySeeCalendar(senior, other)).toBe(false)
    expect(maySeeCalendar(senior, { kind: 'team' })).toBe(true)
    expect(maySeeCalendar({ ...senior, team: null }, { kind: 'team' })).toBe(false)
    expect(maySeeCalendar(manager, other)).toBe(true)
    expect(maySeeCalendar(manager, { kind: 'team' })).toBe(true)
  })

  it('views: a week from Monday, a month as six weeks from the Monday before the 1st; pages turn by week or month', () => {
    expect(viewRange('week', '2026-11-05')).toMatchObject({ from: '2026-11-02', to: '2026-11-09' })
    const m = viewRange('month', '2026-11-20')
    expect([m.from, m.to, m.days.length]).toEqual(['2026-10-26', '2026-12-07', 42])
    expect(turnPage('week', '2026-12-29', 1)).toBe('2027-01-05')
    expect(turnPage('month', '2026-01-31', 1)).toBe('2026-02-01')
    expect(turnPage('month', '2026-01-15', -1)).toBe('2025-12-01')
  })
})
