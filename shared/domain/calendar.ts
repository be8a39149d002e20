import type { Role } from './roles'

/** The longest range one calendar call reads: a month view of six weeks. */
export const CALENDAR_MAX_DAYS = 42
/** The longest team event (a duty day and night): range queries look this far back for events that began earlier. */
export const EVENT_MAX_HOURS = 48

/** Whose calendar a call asks for: the caller's own, one colleague's, or the caller's team's. */
export type CalendarTarget = { kind: 'self' } | { kind: 'person'; staffId: number; team: string | null } | { kind: 'team' }

/**
 * Whether a viewer may read a calendar (DESIGN §1): everyone their own; a manager anyone's and
 * the branch's; a senior agent their team's members and their team; an agent or the front desk
 * only their own (team events are on every calendar).
 */
export function maySeeCalendar(viewer: { role: Role; staffId: number; team: string | null }, target: CalendarTarget): boolean {
  if (target.kind === 'self') return true
  if (target.kind === 'person' && target.staffId === viewer.staffId) return true
  if (viewer.role === 'manager') return true
  if (viewer.role !== 'senior_agent' || viewer.team === null) return false
  return target.kind === 'team' || target.team === viewer.team
}

/** Something on someone's calendar that takes time (a viewing, a team event). */
export interface TimedItem {
  key: string
  staffIds: readonly number[]
  startsAt: string
  endsAt: string
}

/** Two of one person's items that overlap: that person is double-booked. */
export interface Conflict {
  staffId: number
  keys: [string, string]
}

/**
 * Every pair of one person's items that overlap in time (ISO times compare as text). Per person a
 * sweep over the items by start, so a month of a busy team stays n log n plus the conflicts.
 */
export function findConflicts(items: readonly TimedItem[]): Conflict[] {
  const byStaff = new Map<number, TimedItem[]>()
  for (const it of items) {
    for (const s of it.staffIds) {
      const list = byStaff.get(s)
      if (list) list.push(it)
      else byStaff.set(s, [it])
    }
  }
  const out: Conflict[] = []
  for (const [staffId, list] of [...byStaff].sort((a, b) => a[0] - b[0])) {
    list.sort((a, b) => (a.startsAt < b.startsAt ? -1 : a.startsAt > b.startsAt ? 1 : a.key.localeCompare(b.key)))
    // items still running at the current start
    let open: TimedItem[] = []
    for (const it of list) {
      open = open.filter((o) => o.endsAt > it.startsAt)
      for (const o of open) out.push({ staffId, keys: [o.key, it.key] })
      open.push(it)
    }
  }
  return out
}
