/**
 * The agent's mortgage calculator (issue #20 item 6, seed 002 贷款计算器): the monthly table of a
 * commercial, housing provident fund (公积金) or combined loan, repaid in equal instalments (等额本息)
 * or equal principal (等额本金). Money in fen; rates in percent a year, as banks quote them.
 */

export const REPAYMENT_METHODS = ['equal_instalment', 'equal_principal'] as const
export type RepaymentMethod = (typeof REPAYMENT_METHODS)[number]

export const LOAN_KINDS = ['commercial', 'fund', 'combined'] as const
export type LoanKind = (typeof LOAN_KINDS)[number]

/** Limits past which an input is a typo, not a loan: banks lend for 30 years at most, rates stay well under 24 %. */
export const MORTGAGE_LIMITS = {
  /** 10 亿 yuan */
  maxPriceFen: 100_000_000_000,
  maxYears: 30,
  maxRatePct: 24,
} as const

export interface MortgageInput {
  priceFen: number
  downPaymentFen: number
  kind: LoanKind
  /** the 公积金 part of a combined loan (the rest is commercial) */
  fundLoanFen?: number
  commercialRatePct: number
  fundRatePct: number
  years: number
  method: RepaymentMethod
}

/** One month of the table, in fen (each cell rounded; totals are of the unrounded figures). */
export interface MortgageMonth {
  month: number
  paymentFen: number
  principalFen: number
  interestFen: number
  remainingFen: number
}

export interface MortgagePlan {
  loanFen: number
  commercialLoanFen: number
  fundLoanFen: number
  months: number
  firstPaymentFen: number
  lastPaymentFen: number
  totalInterestFen: number
  totalPaymentFen: number
  rows: MortgageMonth[]
}

/** An input the calculator refuses, naming its field (translated in the renderer: validation.<reason>). */
export interface MortgageError {
  field: keyof MortgageInput
  reason: 'must_be_positive' | 'out_of_range' | 'down_payment_not_below_price' | 'fund_loan_over_loan'
  params?: Record<string, number>
}

export type MortgageResult = { ok: true; plan: MortgagePlan } | { ok: false; error: MortgageError }

interface ExactMonth {
  payment: number
  principal: number
  interest: number
  remaining: number
}

/** The unrounded monthly table of one loan (fen), so that two loans of a combined one add up before rounding. */
export function loanMonths(principalFen: number, annualRatePct: number, months: number, method: RepaymentMethod): ExactMonth[] {
  const r = annualRatePct / 100 / 12
  const rows: ExactMonth[] = []
  let remaining = principalFen
  if (method === 'equal_instalment') {
    const growth = (1 + r) ** months
    const payment = (principalFen * r * growth) / (growth - 1)
    for (let i = 0; i < months; i++) {
      const interest = remaining * r
      const principal = payment - interest
      remaining -= principal
      rows.push({ payment, principal, interest, remaining: Math.max(0, remaining) })
    }
  } else {
    const principal = principalFen / months
    for (let i = 0; i < months; i++) {
      const interest = remaining * r
      remaining -= principal
      rows.push({ payment: principal + interest, principal, interest, remaining: Math.max(0, remaining) })
    }
  }
  return rows
}

function check(input: MortgageInput): MortgageError | null {
  const { maxPriceFen, maxYears, maxRatePct } = MORTGAGE_LIMITS
  const finite = (v: number) => Number.isFinite(v)
  if (!finite(input.priceFen) || !Number.isInteger(input.priceFen) || input.priceFen <= 0) return { field: 'priceFen', reason: 'must_be_positive' }
  if (input.priceFen > maxPriceFen) return { field: 'priceFen', reason: 'out_of_range', params: { min: 1, max: maxPriceFen } }
  if (!finite(input.downPaymentFen) || !Number.isInteger(input.downPaymentFen) || input.downPaymentFen < 0) {
    return { field: 'downPaymentFen', reason: 'out_of_range', params: { min: 0, max: input.priceFen } }
  }
  if (input.downPaymentFen >= input.priceFen) return { field: 'downPaymentFen', reason: 'down_payment_not_below_price' }
  if (!Number.isInteger(input.years) || input.years < 1 || input.years > maxYears) return { field: 'years', reason: 'out_of_range', params: { min: 1, max: maxYears } }
  const rateOk = (v: number) => finite(v) && v > 0 && v <= maxRatePct
  if (input.kind !== 'fund' && !rateOk(input.commercialRatePct)) return { field: 'commercialRatePct', reason: 'out_of_range', params: { min: 0, max: maxRatePct } }
  if (input.kind !== 'commercial' && !rateOk(input.fundRatePct)) return { field: 'fundRatePct', reason: 'out_of_range', params: { min: 0, max: maxRatePct } }
  if (input.kind === 'combined') {
    const fund = input.fundLoanFen ?? 0
    if (!finite(fund) || !Number.isInteger(fund) || fund <= 0) return { field: 'fundLoanFen', reason: 'must_be_positive' }
    if (fund >= input.priceFen - input.downPaymentFen) return { field: 'fundLoanFen', reason: 'fund_loan_over_loan' }
  }
  return null
}

/**
 * The plan of a loan for a price and down payment: its monthly table and totals, or the first input
 * refused (zero, negative, not a number, or past MORTGAGE_LIMITS) with its field.
 */
export function mortgagePlan(input: MortgageInput): MortgageResult {
  const error = check(input)
  if (error) return { ok: false, error }
  const loanFen = input.priceFen - input.downPaymentFen
  const fundLoanFen = input.kind === 'fund' ? loanFen : input.kind === 'combined' ? (input.fundLoanFen ?? 0) : 0
  const commercialLoanFen = loanFen - fundLoanFen
  const months = input.years * 12
  const parts = [
    commercialLoanFen > 0 ? loanMonths(commercialLoanFen, input.commercialRatePct, months, input.method) : [],
    fundLoanFen > 0 ? loanMonths(fundLoanFen, input.fundRatePct, months, input.method) : [],
  ].filter((p) => p.length > 0)
  let totalInterest = 0
  const rows: MortgageMonth[] = []
  for (let i = 0; i < months; i++) {
    const m = parts.reduce((a, p) => ({ payment: a.payment + p[i]!.payment, principal: a.principal + p[i]!.principal, interest: a.interest + p[i]!.interest, remaining: a.remaining + p[i]!.remaining }), {
      payment: 0,
      principal: 0,
      interest: 0,
      remaining: 0,
    })
    totalInterest += m.interest
    rows.push({ month: i + 1, paymentFen: Math.round(m.payment), principalFen: Math.round(m.principal), interestFen: Math.round(m.interest), remainingFen: Math.round(m.remaining) })
  }
  const totalInterestFen = Math.round(totalInterest)
  return {
    ok: true,
    plan: {
      loanFen,
      commercialLoanFen,
      fundLoanFen,
      months,
      firstPaymentFen: rows[0]!.paymentFen,
      lastPaymentFen: rows[rows.length - 1]!.paymentFen,
      totalInterestFen,
      totalPaymentFen: loanFen + totalInterestFen,
      rows,
    },
  }
}

/**
 * The rates the calculator starts from (% a year): the 5-year LPR and the 5-year-plus 公积金 rate for
 * a first home as of May 2025. The agent edits them in the form for the client's bank and case.
 */
export const DEFAULT_MORTGAGE_RATES = { commercialRatePct: 3.5, fundRatePct: 2.6 } as const
