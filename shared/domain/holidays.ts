import { Lunar } from 'lunar-typescript'

/** The holidays a branch greets its clients on (seed 000 节日问候, seed 002 春节/中秋). */
export const HOLIDAY_KEYS = ['newYear', 'springFestival', 'lantern', 'qingming', 'labourDay', 'dragonBoat', 'qixi', 'midAutumn', 'nationalDay', 'doubleNinth'] as const
export type HolidayKey = (typeof HOLIDAY_KEYS)[number]

export interface Holiday {
  key: HolidayKey
  /** the Gregorian date, YYYY-MM-DD */
  date: string
}

// lunar month/day of each lunar holiday (正月初一, 正月十五, 五月初五, 七月初七, 八月十五, 九月初九)
const LUNAR: ReadonlyArray<[HolidayKey, number, number]> = [
  ['springFestival', 1, 1],
  ['lantern', 1, 15],
  ['dragonBoat', 5, 5],
  ['qixi', 7, 7],
  ['midAutumn', 8, 15],
  ['doubleNinth', 9, 9],
]

const pad = (n: number) => String(n).padStart(2, '0')

/**
 * The holidays falling in a Gregorian year, in date order: fixed ones (元旦, 五一, 国庆), lunar
 * ones computed from the lunar calendar (lunar-typescript, 1900–2100), and 清明 as its solar term.
 */
export function holidaysOfYear(year: number): Holiday[] {
  const out: Holiday[] = [
    { key: 'newYear', date: `${year}-01-01` },
    { key: 'labourDay', date: `${year}-05-01` },
    { key: 'nationalDay', date: `${year}-10-01` },
  ]
  // every lunar holiday here falls in the lunar year that starts in this Gregorian year
  for (const [key, month, day] of LUNAR) out.push({ key, date: Lunar.fromYmd(year, month, day).getSolar().toYmd() })
  const qingming = Lunar.fromYmd(year, 3, 1).getJieQiTable()['清明']
  if (qingming) out.push({ key: 'qingming', date: qingming.toYmd() })
  return out.sort((a, b) => a.date.localeCompare(b.date))
}

/** The holidays from `from` (YYYY-MM-DD) for `days` days, first day included. */
export function holidaysBetween(from: string, days: number): Holiday[] {
  const to = addDays(from, days - 1)
  const years = new Set([Number(from.slice(0, 4)), Number(to.slice(0, 4))])
  return [...years].flatMap(holidaysOfYear).filter((h) => h.date >= from && h.date <= to)
}

/** A YYYY-MM-DD date moved by whole days (calendar arithmetic in UTC, no time zone involved). */
export function addDays(day: string, n: number): string {
  const d = new Date(`${day}T00:00:00Z`)
  d.setUTCDate(d.getUTCDate() + n)
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`
}
