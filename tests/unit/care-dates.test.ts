import { describe, expect, it } from 'vitest'
import { birthDateProblem, birthdayDaysBetween } from '@shared/domain/birthdays'
import { holidaysBetween, holidaysOfYear, type HolidayKey } from '@shared/domain/holidays'

// 春节 (正月初一) 2000–2050, from the published 农历 tables (香港天文台 / 紫金山天文台)
const SPRING_FESTIVAL = `2000-02-05 2001-01-24 2002-02-12 2003-02-01 2004-01-22 2005-02-09 2006-01-29 2007-02-18
2008-02-07 2009-01-26 2010-02-14 2011-02-03 2012-01-23 2013-02-10 2014-01-31 2015-02-19 2016-02-08 2017-01-28
2018-02-16 2019-02-05 2020-01-25 2021-02-12 2022-02-01 2023-01-22 2024-02-10 2025-01-29 2026-02-17 2027-02-06
2028-01-26 2029-02-13 2030-02-03 2031-01-23 2032-02-11 2033-01-31 2034-02-19 2035-02-08 2036-01-28 2037-02-15
2038-02-04 2039-01-24 2040-02-12 2041-02-01 2042-01-22 2043-02-10 2044-01-30 2045-02-17 2046-02-06 2047-01-26
2048-02-14 2049-02-02 2050-01-23`.split(/\s+/)

const dateOf = (year: number, key: HolidayKey) => holidaysOfYear(year).find((h) => h.key === key)?.date

describe('Chinese holidays from the lunar calendar', () => {
  it('puts 春节 on the published date for every year 2000–2050', () => {
    for (const d of SPRING_FESTIVAL) expect(dateOf(Number(d.slice(0, 4)), 'springFestival')).toBe(d)
  })

  it('puts the other lunar holidays and 清明 on their published dates', () => {
    expect(holidaysOfYear(2026).map((h) => `${h.key} ${h.date}`)).toEqual([
      'newYear 2026-01-01',
      'springFestival 2026-02-17',
      'lantern 2026-03-03',
      'qingming 2026-04-05',
      'labourDay 2026-05-01',
      'dragonBoat 2026-06-19',
      'qixi 2026-08-19',
      'midAutumn 2026-09-25',
      'nationalDay 2026-10-01',
      'doubleNinth 2026-10-18',
    ])
    expect(dateOf(2025, 'midAutumn')).toBe('2025-10-06')
    expect(dateOf(2024, 'midAutumn')).toBe('2024-09-17')
    expect(dateOf(2023, 'midAutumn')).toBe('2023-09-29')
    expect(dateOf(2027, 'midAutumn')).toBe('2027-09-15')
    expect(dateOf(2024, 'dragonBoat')).toBe('2024-06-10')
    expect(dateOf(2025, 'dragonBoat')).toBe('2025-05-31')
    expect(dateOf(2025, 'lantern')).toBe('2025-02-12')
    expect(dateOf(2025, 'qixi')).toBe('2025-08-29')
    expect(dateOf(2025, 'doubleNinth')).toBe('2025-10-29')
    expect(dateOf(2024, 'qingming')).toBe('2024-04-04')
    expect(dateOf(2025, 'qingming')).toBe('2025-04-04')
  })

  it('lists a week that spans the new year from both years', () => {
    expect(holidaysBetween('2026-12-28', 8).map((h) => h.date)).toEqual(['2027-01-01'])
    expect(holidaysBetween('2026-09-24', 8).map((h) => h.key)).toEqual(['midAutumn', 'nationalDay'])
    expect(holidaysBetween('2026-09-26', 1)).toEqual([])
  })
})

describe('birth dates and the days a birthday is kept on', () => {
  it('takes real dates from 1900 to today and names what is wrong with the rest', () => {
    expect(birthDateProblem('1985-06-15', '2026-12-06')).toBeNull()
    expect(birthDateProblem('2026-12-06', '2026-12-06')).toBeNull()
    expect(birthDateProblem('2026-12-07', '2026-12-06')).toBe('in_future')
    expect(birthDateProblem('1899-12-31', '2026-12-06')).toBe('too_early')
    expect(birthDateProblem('2023-02-29', '2026-12-06')).toBe('not_a_date')
    expect(birthDateProblem('1990-13-01', '2026-12-06')).toBe('not_a_date')
    expect(birthDateProblem('1990-1-1', '2026-12-06')).toBe('not_a_date')
    expect(birthDateProblem('2024-02-29', '2026-12-06')).toBeNull()
  })

  it('keeps a 29 February birthday on 28 February in a common year', () => {
    expect(birthdayDaysBetween('2027-02-27', 3)).toEqual([
      { monthDay: '02-27', date: '2027-02-27' },
      { monthDay: '02-28', date: '2027-02-28' },
      { monthDay: '02-29', date: '2027-02-28' },
      { monthDay: '03-01', date: '2027-03-01' },
    ])
    expect(birthdayDaysBetween('2028-02-28', 2).map((d) => d.monthDay)).toEqual(['02-28', '02-29'])
  })
})
