import { describe, expect, it } from 'vitest'
import { mortgagePlan, type MortgageInput } from '@shared/domain/mortgage'

// Known figures, published by every bank calculator: 100万, 30 years, 4.9 %:
// 等额本息 5,307.27 a month, 910,616.19 interest; 等额本金 6,861.11 the first month, 11.34 less each
// month, 737,041.67 interest. Checked by hand: M = P·r·(1+r)^n / ((1+r)^n − 1), r = 4.9 %/12, n = 360.
const base: MortgageInput = { priceFen: 142_857_143_00, downPaymentFen: 42_857_143_00, kind: 'commercial', commercialRatePct: 4.9, fundRatePct: 3.1, years: 30, method: 'equal_instalment' }

function plan(over: Partial<MortgageInput>) {
  const r = mortgagePlan({ ...base, ...over })
  if (!r.ok) throw new Error(`${r.error.field}: ${r.error.reason}`)
  return r.plan
}

describe('mortgage schedules against known figures', () => {
  it('1,000,000 yuan, 30 years, 4.9 %, equal instalments: 5,307.27 a month, 910,616.19 interest', () => {
    const p = plan({ priceFen: 100_000_000, downPaymentFen: 0 })
    expect(p.loanFen).toBe(100_000_000)
    expect(p.months).toBe(360)
    expect(p.firstPaymentFen).toBe(530_727)
    expect(new Set(p.rows.map((r) => r.paymentFen))).toEqual(new Set([530_727]))
    expect(p.totalInterestFen).toBe(91_061_619)
    expect(p.totalPaymentFen).toBe(191_061_619)
    // the first month's interest is a month of the whole loan; the loan is repaid at the end
    expect(p.rows[0]!.interestFen).toBe(408_333)
    expect(p.rows[359]!.remainingFen).toBe(0)
  })

  it('the same loan in equal principal: 6,861.11 first, 11.34 less a month, 737,041.67 interest', () => {
    const p = plan({ priceFen: 100_000_000, downPaymentFen: 0, method: 'equal_principal' })
    expect(p.firstPaymentFen).toBe(686_111)
    expect(p.rows[0]!.paymentFen - p.rows[1]!.paymentFen).toBe(1_134)
    expect(p.rows[0]!.principalFen).toBe(277_778)
    expect(p.totalInterestFen).toBe(73_704_167)
    expect(p.lastPaymentFen).toBe(278_912)
  })

  it('a down payment lends the rest of the price', () => {
    const p = plan({ priceFen: 300_000_000, downPaymentFen: 90_000_000, years: 20 })
    expect(p.loanFen).toBe(210_000_000)
    expect(p.commercialLoanFen).toBe(210_000_000)
    expect(p.months).toBe(240)
  })

  it('a 公积金 loan at 3.1 %: 1,000,000 over 30 years is 4,270.16 a month', () => {
    const p = plan({ priceFen: 100_000_000, downPaymentFen: 0, kind: 'fund' })
    expect(p.fundLoanFen).toBe(100_000_000)
    expect(p.commercialLoanFen).toBe(0)
    expect(p.firstPaymentFen).toBe(427_016)
  })

  it('a combined loan is the sum of its commercial and 公积金 parts, month by month', () => {
    const combined = plan({ priceFen: 200_000_000, downPaymentFen: 0, kind: 'combined', fundLoanFen: 100_000_000 })
    const commercial = plan({ priceFen: 100_000_000, downPaymentFen: 0 })
    const fund = plan({ priceFen: 100_000_000, downPaymentFen: 0, kind: 'fund' })
    expect(combined.commercialLoanFen).toBe(100_000_000)
    expect(combined.fundLoanFen).toBe(100_000_000)
    expect(combined.firstPaymentFen).toBe(530_727 + 427_016)
    expect(Math.abs(combined.totalInterestFen - (commercial.totalInterestFen + fund.totalInterestFen))).toBeLessThanOrEqual(1)
  })
})

describe('bad input is refused with its field', () => {
  const refused = (over: Partial<MortgageInput>) => {
    const r = mortgagePlan({ ...base, ...over })
    return r.ok ? null : r.error
  }
  it('zero, negative, not a number and absurd values', () => {
    expect(refused({ priceFen: 0 })).toMatchObject({ field: 'priceFen', reason: 'must_be_positive' })
    expect(refused({ priceFen: Number.NaN })).toMatchObject({ field: 'priceFen' })
    expect(refused({ priceFen: 1e15 })).toMatchObject({ field: 'priceFen', reason: 'out_of_range' })
    expect(refused({ downPaymentFen: -1 })).toMatchObject({ field: 'downPaymentFen' })
    expect(refused({ downPaymentFen: base.priceFen })).toMatchObject({ field: 'downPaymentFen', reason: 'down_payment_not_below_price' })
    expect(refused({ years: 0 })).toMatchObject({ field: 'years', reason: 'out_of_range' })
    expect(refused({ years: 31 })).toMatchObject({ field: 'years' })
    expect(refused({ years: 2.5 })).toMatchObject({ field: 'years' })
    expect(refused({ commercialRatePct: 0 })).toMatchObject({ field: 'commercialRatePct' })
    expect(refused({ commercialRatePct: 49 })).toMatchObject({ field: 'commercialRatePct' })
    expect(refused({ kind: 'fund', fundRatePct: Number.POSITIVE_INFINITY })).toMatchObject({ field: 'fundRatePct' })
    expect(refused({ kind: 'combined', fundLoanFen: 0 })).toMatchObject({ field: 'fundLoanFen', reason: 'must_be_positive' })
    expect(refused({ kind: 'combined', fundLoanFen: base.priceFen - base.downPaymentFen })).toMatchObject({ field: 'fundLoanFen', reason: 'fund_loan_over_loan' })
  })

  it('a rate that does not apply to the loan is not checked', () => {
    expect(refused({ kind: 'commercial', fundRatePct: 0 })).toBeNull()
    expect(refused({ kind: 'fund', commercialRatePct: 0 })).toBeNull()
  })
})
