import { describe, expect, it } from 'vitest'
import { agentFloor, discountPercent, memberPricing } from '@shared/domain/member-price'

describe('member pricing: list price → member discount → member price', () => {
  it("takes the level's share off the list price, in whole fen, never more than the share", () => {
    expect(memberPricing(500_000_000, { level: '金卡会员', discountPermille: 10 })).toEqual({ listPrice: 500_000_000, level: '金卡会员', discountPermille: 10, discount: 5_000_000, memberPrice: 495_000_000 })
    // 0.5% of 123,456.79 yuan is 617.28395 yuan: the buyer gets 617.28, the odd part of a fen stays
    expect(memberPricing(12_345_679, { level: '银卡会员', discountPermille: 5 })).toMatchObject({ discount: 61_728, memberPrice: 12_283_951 })
  })

  it('a non-member and a level without a discount pay the list price', () => {
    expect(memberPricing(500_000_000, null)).toEqual({ listPrice: 500_000_000, level: null, discountPermille: 0, discount: 0, memberPrice: 500_000_000 })
    expect(memberPricing(500_000_000, { level: '普通会员', discountPermille: 0 })).toMatchObject({ level: '普通会员', discount: 0, memberPrice: 500_000_000 })
  })

  it("measures the agent's own 2% from the price the deal starts at (the member price), rounding up", () => {
    expect(agentFloor(495_000_000)).toBe(485_100_000)
    expect(agentFloor(101)).toBe(99)
  })

  it('words a per-mille discount as a percent', () => {
    expect(discountPercent(10)).toBe('1')
    expect(discountPercent(5)).toBe('0.5')
    expect(discountPercent(125)).toBe('12.5')
  })
})
