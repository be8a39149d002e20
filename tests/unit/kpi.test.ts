import { describe, expect, it } from 'vitest'
import { addCounts, DEFAULT_KPI_TARGETS, emptyCounts, KPI_IDS, kpiMet, kpiValue, KpiTargetsSchema, periodOf, trendPeriods } from '@shared/domain/kpi'

describe('KPI values and targets (issue #19)', () => {
  it('a rate is num/den in percent, the response time hours; an empty denominator is null, never NaN', () => {
    expect(kpiValue('potentialToIntent', { num: 3, den: 10 })).toBeCloseTo(30)
    expect(kpiValue('responseHours', { num: 5, den: 2 })).toBe(2.5)
    for (const id of KPI_IDS) expect(kpiValue(id, { num: 0, den: 0 })).toBeNull()
  })

  it('rates are met at or above the target, the response time at or below; no value is neither', () => {
    expect(kpiMet('completeness', 90, 90)).toBe(true)
    expect(kpiMet('completeness', 89.9, 90)).toBe(false)
    expect(kpiMet('responseHours', 2, 2)).toBe(true)
    expect(kpiMet('responseHours', 2.1, 2)).toBe(false)
    expect(kpiMet('poolClaim', null, 80)).toBeNull()
    expect(kpiMet('poolClaim', Number.NaN, 80)).toBeNull()
  })

  it('adds subjects up and keeps the seed’s targets as defaults', () => {
    const a = emptyCounts()
    a.intentToDeal = { num: 1, den: 4 }
    const b = emptyCounts()
    b.intentToDeal = { num: 1, den: 6 }
    expect(addCounts([a, b]).intentToDeal).toEqual({ num: 2, den: 10 })
    expect(addCounts([]).completeness).toEqual({ num: 0, den: 0 })
    expect(DEFAULT_KPI_TARGETS).toEqual({ completeness: 90, responseHours: 2, poolClaim: 80, potentialToIntent: 30, intentToDeal: 20, repeatReferral: 15 })
    expect(KpiTargetsSchema.safeParse({ ...DEFAULT_KPI_TARGETS, poolClaim: 101 }).success).toBe(false)
  })
})

describe('periods in branch time (Asia/Shanghai)', () => {
  // 2026-12-01 07:30 in Shanghai is still 11-30 in UTC
  const at = new Date('2026-11-30T23:30:00Z')
  it('the week starts on Monday, the month and quarter on their first day, at 00:00 Shanghai', () => {
    expect(periodOf('week', at)).toEqual({ from: '2026-11-29T16:00:00.000Z', to: '2026-12-06T16:00:00.000Z' })
    expect(periodOf('month', at)).toEqual({ from: '2026-11-30T16:00:00.000Z', to: '2026-12-31T16:00:00.000Z' })
    expect(periodOf('quarter', at)).toEqual({ from: '2026-09-30T16:00:00.000Z', to: '2026-12-31T16:00:00.000Z' })
    expect(periodOf('month', at, 12)).toEqual({ from: '2025-11-30T16:00:00.000Z', to: '2025-12-31T16:00:00.000Z' })
  })

  it('a trend is the periods before, oldest first, ending with the one asked for', () => {
    const months = trendPeriods('month', periodOf('month', at), 6)
    expect(months).toHaveLength(6)
    expect(months[0]!.from).toBe('2026-06-30T16:00:00.000Z')
    expect(months[5]).toEqual(periodOf('month', at))
    for (let i = 1; i < 6; i++) expect(months[i]!.from).toBe(months[i - 1]!.to)
    const custom = trendPeriods('custom', { from: '2026-11-10T00:00:00.000Z', to: '2026-11-20T00:00:00.000Z' }, 3)
    expect(custom).toEqual([
      { from: '2026-10-21T00:00:00.000Z', to: '2026-10-31T00:00:00.000Z' },
      { from: '2026-10-31T00:00:00.000Z', to: '2026-11-10T00:00:00.000Z' },
      { from: '2026-11-10T00:00:00.000Z', to: '2026-11-20T00:00:00.000Z' },
    ])
  })
})
