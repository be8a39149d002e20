import { describe, expect, it } from 'vitest'
import { DEFAULT_TAX_RATES, deedTaxPermille, purchaseTaxes, type PurchaseTaxInput } from '@shared/domain/purchase-taxes'

const yuan = (v: number) => v * 100
const newHome = (priceYuan: number, m2: number, home: PurchaseTaxInput['home'] = 'first'): PurchaseTaxInput => ({
  priceFen: yuan(priceYuan),
  area: m2 * 100,
  home,
  resale: false,
  sellerYears: 0,
  sellerOnlyHome: false,
})

// the buyer's taxes and fees (issue #20), against figures worked by hand from the 2024 national rates
describe('契税 by area and which home', () => {
  it('takes 1 % up to 140 m² and 1.5 % / 2 % above it for a first / second home, 3 % for a later one', () => {
    expect(purchaseTaxes(newHome(3_000_000, 89), DEFAULT_TAX_RATES)).toEqual({
      deedTaxFen: yuan(30_000),
      deedPermille: 10,
      vatFen: 0,
      incomeTaxFen: 0,
      stampFen: 0,
      registrationFen: yuan(80),
      totalFen: yuan(30_080),
    })
    expect(purchaseTaxes(newHome(3_000_000, 150), DEFAULT_TAX_RATES).deedTaxFen).toBe(yuan(45_000))
    expect(purchaseTaxes(newHome(3_000_000, 120, 'second'), DEFAULT_TAX_RATES).deedTaxFen).toBe(yuan(30_000))
    expect(purchaseTaxes(newHome(3_000_000, 150, 'second'), DEFAULT_TAX_RATES).deedTaxFen).toBe(yuan(60_000))
    expect(purchaseTaxes(newHome(3_000_000, 89, 'other'), DEFAULT_TAX_RATES).deedTaxFen).toBe(yuan(90_000))
  })

  it('keeps exactly 140 m² at the smaller rate and moves 140.01 m² to the larger', () => {
    expect(deedTaxPermille('first', 14_000, DEFAULT_TAX_RATES)).toBe(10)
    expect(deedTaxPermille('first', 14_001, DEFAULT_TAX_RATES)).toBe(15)
    expect(deedTaxPermille('second', 14_001, DEFAULT_TAX_RATES)).toBe(20)
  })

  it('follows the branch’s own rates (a city that keeps 3 % for second homes above 90 m²)', () => {
    const city = { ...DEFAULT_TAX_RATES, taxDeedAreaThresholdM2: 90, taxDeedSecondLargePermille: 30 }
    expect(purchaseTaxes(newHome(2_000_000, 95, 'second'), city).deedTaxFen).toBe(yuan(60_000))
  })
})

describe('a resale: the seller’s taxes the buyer carries', () => {
  const resale = (priceYuan: number, sellerYears: number, sellerOnlyHome: boolean): PurchaseTaxInput => ({ ...newHome(priceYuan, 89), resale: true, sellerYears, sellerOnlyHome })

  it('held under 2 years: 增值税 on the price without it, 契税 on that base, 个税 1 % of the price', () => {
    // 2,100,000 ÷ 1.05 = 2,000,000: 增值税 100,000, 契税 20,000, 个税 21,000, 登记费 80
    expect(purchaseTaxes(resale(2_100_000, 1, false), DEFAULT_TAX_RATES)).toEqual({
      deedTaxFen: yuan(20_000),
      deedPermille: 10,
      vatFen: yuan(100_000),
      incomeTaxFen: yuan(21_000),
      stampFen: 0,
      registrationFen: yuan(80),
      totalFen: yuan(141_080),
    })
  })

  it('held 2 years or more: no 增值税; 满五唯一 also no 个税', () => {
    expect(purchaseTaxes(resale(2_100_000, 3, true), DEFAULT_TAX_RATES)).toMatchObject({ vatFen: 0, incomeTaxFen: yuan(21_000), deedTaxFen: yuan(21_000) })
    expect(purchaseTaxes(resale(2_100_000, 5, false), DEFAULT_TAX_RATES)).toMatchObject({ vatFen: 0, incomeTaxFen: yuan(21_000) })
    expect(purchaseTaxes(resale(2_100_000, 5, true), DEFAULT_TAX_RATES)).toMatchObject({ vatFen: 0, incomeTaxFen: 0, totalFen: yuan(21_080) })
  })

  it('a new home carries no seller’s taxes however long anyone held it; 印花税 when the branch sets one', () => {
    expect(purchaseTaxes({ ...newHome(2_100_000, 89), sellerYears: 1 }, DEFAULT_TAX_RATES)).toMatchObject({ vatFen: 0, incomeTaxFen: 0 })
    expect(purchaseTaxes(newHome(2_100_000, 89), { ...DEFAULT_TAX_RATES, taxStampPermille: 1 }).stampFen).toBe(yuan(2_100))
  })
})
