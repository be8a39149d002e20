import { addDays } from './holidays'

/** Why a birth date is refused, or null when it is a real date between 1900-01-01 and today. */
export function birthDateProblem(date: string, today: string): 'not_a_date' | 'in_future' | 'too_early' | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date)
  if (!m) return 'not_a_date'
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])))
  if (d.getUTCFullYear() !== Number(m[1]) || d.getUTCMonth() !== Number(m[2]) - 1 || d.getUTCDate() !== Number(m[3])) return 'not_a_date'
  if (date < '1900-01-01') return 'too_early'
  if (date > today) return 'in_future'
  return null
}

/** The month-day (MM-DD) stored beside a birth date, so a birthday is found through an index. */
export function birthMonthDay(date: string): string {
  return date.slice(5)
}

/**
 * The month-days a birthday falls on in the `days` days from `from`, each with the date it is
 * kept on that year. A 29 February birthday is kept on 28 February in a common year.
 */
export function birthdayDaysBetween(from: string, days: number): Array<{ monthDay: string; date: string }> {
  const out: Array<{ monthDay: string; date: string }> = []
  for (let i = 0; i < days; i++) {
    const date = addDays(from, i)
    const md = date.slice(5)
    out.push({ monthDay: md, date })
    const year = Number(date.slice(0, 4))
    const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0
    if (md === '02-28' && !leap) out.push({ monthDay: '02-29', date })
  }
  return out
}

