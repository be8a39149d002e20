import { describe, expect, it } from 'vitest'
import { campaignActive, campaignCostFigures } from '@shared/domain/campaigns'

describe('campaign cost figures', () => {
  it('are null, never NaN or Infinity, for a campaign that brought nobody', () => {
    expect(campaignCostFigures(5000, { clients: 0, deals: 0 })).toEqual({ costPerClient: null, costPerDeal: null })
    expect(campaignCostFigures(0, { clients: 0, deals: 0 })).toEqual({ costPerClient: null, costPerDeal: null })
  })

  it('divide the cost by clients and by deals, to the fen, with no deal giving null per deal only', () => {
    expect(campaignCostFigures(10000, { clients: 3, deals: 0 })).toEqual({ costPerClient: 3333.33, costPerDeal: null })
    expect(campaignCostFigures(10000, { clients: 4, deals: 1 })).toEqual({ costPerClient: 2500, costPerDeal: 10000 })
    expect(campaignCostFigures(0, { clients: 2, deals: 1 })).toEqual({ costPerClient: 0, costPerDeal: 0 })
  })
})

describe('an active campaign', () => {
  const c = { startDate: '2026-11-01', endDate: '2026-11-30', endedAt: null }
  it('takes links from its first day to its last, both included', () => {
    expect(campaignActive(c, '2026-10-31')).toBe(false)
    expect(campaignActive(c, '2026-11-01')).toBe(true)
    expect(campaignActive(c, '2026-11-30')).toBe(true)
    expect(campaignActive(c, '2026-12-01')).toBe(false)
  })
  it('takes none once the manager ended it', () => {
    expect(campaignActive({ ...c, endedAt: '2026-11-10T02:00:00.000Z' }, '2026-11-15')).toBe(false)
  })
})
