import { describe, expect, it } from 'vitest'
import { anniversaryBetween, handoverCareDay, handoverSearchRange } from '@shared/domain/care-milestones'
import { DEFAULT_GREETINGS, fillGreeting, OCCASIONS, unknownPlaceholders } from '@shared/domain/greeting-templates'
import { levelTableProblem, levelUnder, type RuledLevel } from '@shared/domain/club'
import { addDays } from '@shared/domain/holidays'

describe('deal anniversaries', () => {
  it('finds the anniversary in the window with its years, never in the signing year', () => {
    expect(anniversaryBetween('2023-09-25', '2026-09-22', 8)).toEqual({ date: '2026-09-25', years: 3 })
    expect(anniversaryBetween('2026-09-23', '2026-09-22', 8)).toBeNull()
    expect(anniversaryBetween('2023-10-05', '2026-09-22', 8)).toBeNull()
  })
  it('crosses the new year and keeps 29 February on the 28th in a common year', () => {
    expect(anniversaryBetween('2020-01-02', '2026-12-28', 8)).toEqual({ date: '2027-01-02', years: 7 })
    expect(anniversaryBetween('2024-02-29', '2027-02-25', 8)).toEqual({ date: '2027-02-28', years: 3 })
    expect(anniversaryBetween('2024-02-29', '2028-02-25', 8)).toEqual({ date: '2028-02-29', years: 4 })
  })
})

describe('handover plus one month', () => {
  it('is the same day next month, or that month’s last day', () => {
    expect(handoverCareDay('2026-08-15')).toBe('2026-09-15')
    expect(handoverCareDay('2026-01-31')).toBe('2026-02-28')
    expect(handoverCareDay('2028-01-30')).toBe('2028-02-29')
    expect(handoverCareDay('2026-12-31')).toBe('2027-01-31')
    expect(handoverCareDay('2026-03-31')).toBe('2026-04-30')
  })
  it('the search range holds every handover whose care day is in the window', () => {
    for (let i = 0; i < 800; i++) {
      const from = addDays('2026-01-01', i)
      const to = addDays(from, 7)
      const { first, last } = handoverSearchRange(from, 8)
      // every handover day within 40 days before the window: in range exactly when needed
      for (let k = 0; k < 45; k++) {
        const h = addDays(from, -k)
        const d = handoverCareDay(h)
        if (d >= from && d <= to) expect(h >= first && h <= last, `${h} -> ${d}`).toBe(true)
      }
    }
  })
})

describe('greeting templates', () => {
  it('has a default for every occasion, each naming only known placeholders', () => {
    for (const o of OCCASIONS) expect(unknownPlaceholders(DEFAULT_GREETINGS[o]), o).toEqual([])
  })
  it('fills known placeholders, empties missing values and leaves other braces alone', () => {
    expect(fillGreeting('{姓名}您好，{节日}快乐{经纪人}', { 姓名: '王先生', 节日: '中秋节' })).toBe('王先生您好，中秋节快乐')
    expect(fillGreeting('{名字}{年数}', { 年数: '3' })).toBe('{名字}3')
    expect(unknownPlaceholders('{姓名}{名字}{}')).toEqual(['名字', ''])
  })
})

describe('member levels from behaviour', () => {
  const L = (name: string, minPoints: number, minAmountFen: number, minDeals: number, discountPermille: number): RuledLevel => ({ name, minPoints, minAmountFen, minDeals, discountPermille })
  const table = [L('银卡', 0, 0, 0, 0), L('金卡', 2000, 200_000_000, 1, 5), L('钻石', 10_000, 500_000_000, 2, 10)]

  it('points: the points decide; purchases: both the amount and the number of deals', () => {
    const m = { points: 2500, amountFen: 600_000_000, deals: 1 }
    expect(levelUnder('points', m, table)?.name).toBe('金卡')
    // enough money but one deal: not 钻石 yet
    expect(levelUnder('purchases', m, table)?.name).toBe('金卡')
    expect(levelUnder('purchases', { ...m, deals: 2 }, table)?.name).toBe('钻石')
    expect(levelUnder('purchases', { points: 99_999, amountFen: 0, deals: 0 }, table)?.name).toBe('银卡')
  })

  it('refuses a table that does not start at nothing, repeats a threshold, or runs backwards', () => {
    expect(levelTableProblem('points', table)).toBeNull()
    expect(levelTableProblem('purchases', table)).toBeNull()
    expect(levelTableProblem('purchases', [L('a', 0, 100, 0, 0), L('b', 10, 200, 1, 1)])).toMatchObject({ index: 0, reason: 'level_start' })
    expect(levelTableProblem('purchases', [L('a', 0, 0, 0, 0), L('b', 10, 200, 1, 1), L('c', 20, 200, 1, 2)])).toMatchObject({ reason: 'level_overlap' })
    expect(levelTableProblem('purchases', [L('a', 0, 0, 0, 0), L('b', 10, 200, 3, 1), L('c', 20, 300, 2, 2)])).toMatchObject({ index: 2, field: 'minDeals', reason: 'level_order' })
    expect(levelTableProblem('points', [L('a', 0, 0, 0, 5), L('b', 10, 0, 0, 1)])).toMatchObject({ index: 1, reason: 'level_discount' })
    // the points rule does not look at the purchase thresholds
    expect(levelTableProblem('points', [L('a', 0, 9, 9, 0), L('b', 10, 0, 0, 1)])).toBeNull()
  })
})
