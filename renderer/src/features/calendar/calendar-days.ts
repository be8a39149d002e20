import { addDays } from '@shared/domain/holidays'

/** The calendar's two views: a week, or a month shown as six whole weeks. */
export type CalendarView = 'week' | 'month'

/** The Monday of the week a branch day is in. */
export function mondayOf(day: string): string {
  const weekday = new Date(`${day}T00:00:00Z`).getUTCDay()
  return addDays(day, -((weekday + 6) % 7))
}

/** The days a view shows around an anchor day: [from, to) and every day between, in order. */
export function viewRange(view: CalendarView, anchor: string): { from: string; to: string; days: string[] } {
  const from = view === 'week' ? mondayOf(anchor) : mondayOf(`${anchor.slice(0, 8)}01`)
  const count = view === 'week' ? 7 : 42
  const days = Array.from({ length: count }, (_, i) => addDays(from, i))
  return { from, to: addDays(from, count), days }
}

/** The anchor one page earlier or later: a week, or a month (kept on the 1st so short months do not skip). */
export function turnPage(view: CalendarView, anchor: string, step: 1 | -1): string {
  if (view === 'week') return addDays(anchor, 7 * step)
  const [y, m] = [Number(anchor.slice(0, 4)), Number(anchor.slice(5, 7))]
  const month = y * 12 + (m - 1) + step
  return `${Math.floor(month / 12)}-${String((month % 12) + 1).padStart(2, '0')}-01`
}
