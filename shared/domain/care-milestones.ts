import { addDays } from './holidays'

const pad = (n: number) => String(n).padStart(2, '0')
const isLeap = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0
const daysInMonth = (y: number, m: number) => [31, isLeap(y) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]!

/** The same month-day in another year; 29 February is kept on 28 February in a common year. */
function sameDayIn(year: number, day: string): string {
  const m = Number(day.slice(5, 7))
  const d = Math.min(Number(day.slice(8, 10)), daysInMonth(year, m))
  return `${year}-${pad(m)}-${pad(d)}`
}

/**
 * The anniversary of a deal signed on `signed` (YYYY-MM-DD) falling in the `days` days from
 * `from`, with how many years it marks; null when none does (the signing year itself is no
 * anniversary). Seed 002: a deal's anniversary is a reason to call.
 */
export function anniversaryBetween(signed: string, from: string, days: number): { date: string; years: number } | null {
  const to = addDays(from, days - 1)
  const signedYear = Number(signed.slice(0, 4))
  for (let y = Number(from.slice(0, 4)); y <= Number(to.slice(0, 4)); y++) {
    if (y <= signedYear) continue
    const date = sameDayIn(y, signed)
    if (date >= from && date <= to) return { date, years: y - signedYear }
  }
  return null
}

/**
 * The care call one month after a handover (seed 002: 交房后1个月): the same day of the next month,
 * the month's last day when it has no such day (31 January: 28 or 29 February).
 */
export function handoverCareDay(handedOver: string): string {
  const y = Number(handedOver.slice(0, 4))
  const m = Number(handedOver.slice(5, 7))
  const [ny, nm] = m === 12 ? [y + 1, 1] : [y, m + 1]
  const d = Math.min(Number(handedOver.slice(8, 10)), daysInMonth(ny, nm))
  return `${ny}-${pad(nm)}-${pad(d)}`
}

/** The handover days worth reading for the care calls in the `days` days from `from` (a superset: filter with handoverCareDay). */
export function handoverSearchRange(from: string, days: number): { first: string; last: string } {
  // a care call falls 28 (31 January -> 28 February) to 31 days after its handover
  return { first: addDays(from, -31), last: addDays(from, days - 1 - 28) }
}
