import { describe, expect, it } from 'vitest'
import { CARE_PLANS, carePeriod, dayIndex, daysToNextPeriod, giftHolidaysAhead } from '@shared/domain/care-plans'
import { BranchRulesSchema, DEFAULT_RULES } from '@shared/domain/rules'

describe('care plans per layer (seed 002)', () => {
  it('every plan has a branch rule, on by default with the seed’s interval, and 0 turns it off', () => {
    expect(Object.fromEntries(Object.values(CARE_PLANS).map((p) => [p.setting, DEFAULT_RULES[p.setting]]))).toEqual({
      careMarketNoteDays: 7,
      careSalonDays: 30,
      careComparisonHours: 24,
      carePurchasePlanDays: 3,
      careDealCasesDays: 1,
      careHandoverDays: 30,
      careFestivalGiftDays: 7,
    })
    expect(BranchRulesSchema.partial().safeParse({ careMarketNoteDays: 0 }).success).toBe(true)
    expect(BranchRulesSchema.partial().safeParse({ careMarketNoteDays: -1 }).success).toBe(false)
    expect(BranchRulesSchema.partial().safeParse({ careComparisonHours: 1.5 }).success).toBe(false)
  })

  it('the plans follow the layers: weekly notes and salons for 潜在, comparison and plan for 意向, cases for 谈判, owners’ plans after the sale', () => {
    expect(Object.fromEntries(Object.entries(CARE_PLANS).map(([k, p]) => [k, p.stage]))).toEqual({
      'care.market': 'potential',
      'care.salon': 'potential',
      'care.compare': 'intent',
      'care.plan': 'intent',
      'care.cases': 'negotiating',
      'care.decor': null,
      'care.gift': null,
    })
  })

  it('periods are staggered by client id: each day a seventh of the clients starts a new week, each client once a week', () => {
    const start = dayIndex('2026-11-02')
    const starts = new Map<number, number>()
    for (let id = 1; id <= 70; id++) {
      let changes = 0
      for (let d = start; d < start + 7; d++) {
        if (carePeriod(d + 1, id, 7) !== carePeriod(d, id, 7)) {
          changes++
          starts.set(d + 1, (starts.get(d + 1) ?? 0) + 1)
        }
        // the task of a period is due the first day of the next
        expect(carePeriod(d + daysToNextPeriod(d, id, 7), id, 7)).toBe(carePeriod(d, id, 7) + 1)
        expect(carePeriod(d + daysToNextPeriod(d, id, 7) - 1, id, 7)).toBe(carePeriod(d, id, 7))
      }
      expect(changes).toBe(1)
    }
    expect([...starts.values()]).toEqual([10, 10, 10, 10, 10, 10, 10])
    // a daily plan: a new period every day, due the next day
    expect(carePeriod(start + 1, 5, 1) - carePeriod(start, 5, 1)).toBe(1)
    expect(daysToNextPeriod(start, 5, 1)).toBe(1)
  })

  it('gift holidays: 春节 and 中秋 within the lead days, from the lunar calendar, across a year end', () => {
    // 春节 2027 is 6 February, 中秋 2027 is 15 September (published tables)
    expect(giftHolidaysAhead('2027-01-30', 7)).toEqual([{ key: 'springFestival', date: '2027-02-06' }])
    expect(giftHolidaysAhead('2027-01-29', 7)).toEqual([])
    expect(giftHolidaysAhead('2027-02-06', 7)).toEqual([{ key: 'springFestival', date: '2027-02-06' }])
    expect(giftHolidaysAhead('2027-09-10', 7)).toEqual([{ key: 'midAutumn', date: '2027-09-15' }])
    // 春节 2028 is 26 January: a lead of 30 days from late December reaches into the next year
    expect(giftHolidaysAhead('2027-12-28', 30)).toEqual([{ key: 'springFestival', date: '2028-01-26' }])
    expect(giftHolidaysAhead('2027-02-01', 0)).toEqual([])
    // no other holiday (元宵 2027-02-20 is within 20 days of 2027-02-05) is a gift day
    expect(giftHolidaysAhead('2027-02-05', 20).map((h) => h.key)).toEqual(['springFestival'])
  })
})
