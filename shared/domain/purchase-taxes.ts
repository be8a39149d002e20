/**
 * The buyer's taxes and fees beside the loan (seed 002 定制购房方案 "含贷款、稅費測算", issue #20):
 * 契税 by area and which home it is, and on a resale home the seller's 增值税 and 个税 that the
 * buyer commonly carries (净得价), 印花税 and the 登记费. The rates vary by city and year, so every
 * one is a branch setting (BranchRules.tax*); the defaults are the national ones of 2024
 * (财政部 税务总局公告2024年第16号 for 契税 and 增值税; 个税 核定 at 1 %; 印花税 exempt for homes
 * since 2008; 登记费 80 yuan a home). Money in fen, areas in 0.01 m², rates in permille.
 */

/** The rates a branch sets (permille unless named otherwise). */
export interface TaxRates {
  /** 契税 of a first home up to / above the area threshold */
  taxDeedFirstSmallPermille: number
  taxDeedFirstLargePermille: number
  /** 契税 of a second home up to / above the area threshold */
  taxDeedSecondSmallPermille: number
  taxDeedSecondLargePermille: number
  /** 契税 of a third or later home */
  taxDeedOtherPermille: number
  /** the area (m²) up to which the smaller 契税 rate applies */
  taxDeedAreaThresholdM2: number
  /** 增值税 (with its surcharges, as the city levies them) on a resale held less than the exempt years */
  taxVatPermille: number
  taxVatExemptYears: number
  /** 个税 on a resale (核定 on the price), unless the seller held it five years and it is their only home (满五唯一) */
  taxIncomePermille: number
  /** 印花税 on the price */
  taxStampPermille: number
  /** 不动产登记费 per home, yuan */
  taxRegistrationFeeYuan: number
}

export const DEFAULT_TAX_RATES: TaxRates = {
  taxDeedFirstSmallPermille: 10,
  taxDeedFirstLargePermille: 15,
  taxDeedSecondSmallPermille: 10,
  taxDeedSecondLargePermille: 20,
  taxDeedOtherPermille: 30,
  taxDeedAreaThresholdM2: 140,
  taxVatPermille: 50,
  taxVatExemptYears: 2,
  taxIncomePermille: 10,
  taxStampPermille: 0,
  taxRegistrationFeeYuan: 80,
}

export const HOME_ORDINALS = ['first', 'second', 'other'] as const
export type HomeOrdinal = (typeof HOME_ORDINALS)[number]

export interface PurchaseTaxInput {
  priceFen: number
  /** 0.01 m² */
  area: number
  /** the buyer's first, second or a later home (the family's, as the tax office counts) */
  home: HomeOrdinal
  /** a resale (二手房) from a person; a new home from the developer carries no seller's taxes */
  resale: boolean
  /** resale only: whole years the seller has held it */
  sellerYears: number
  /** resale only: it is the seller's only home */
  sellerOnlyHome: boolean
}

export interface PurchaseTaxes {
  deedTaxFen: number
  /** the permille of 契税 that applied */
  deedPermille: number
  vatFen: number
  incomeTaxFen: number
  stampFen: number
  registrationFen: number
  totalFen: number
}

const permille = (fen: number, p: number) => Math.round((fen * p) / 1000)

/** The 契税 rate for a home: by which home it is and whether its area is above the threshold. */
export function deedTaxPermille(home: HomeOrdinal, area: number, rates: TaxRates): number {
  const large = area > rates.taxDeedAreaThresholdM2 * 100
  if (home === 'first') return large ? rates.taxDeedFirstLargePermille : rates.taxDeedFirstSmallPermille
  if (home === 'second') return large ? rates.taxDeedSecondLargePermille : rates.taxDeedSecondSmallPermille
  return rates.taxDeedOtherPermille
}

/**
 * The buyer's taxes and fees for a purchase. 增值税 on a resale held under the exempt years is
 * levied on the price without it (price ÷ 1.05 × rate, 5 % being the levy rate the price includes);
 * 契税 on the price without 增值税; 个税 on the price unless 满五唯一; 印花税 on the price.
 */
export function purchaseTaxes(input: PurchaseTaxInput, rates: TaxRates): PurchaseTaxes {
  const deedPermille = deedTaxPermille(input.home, input.area, rates)
  const vatFen = input.resale && input.sellerYears < rates.taxVatExemptYears ? Math.round((input.priceFen * rates.taxVatPermille) / 1050) : 0
  const exemptIncome = input.sellerYears >= 5 && input.sellerOnlyHome
  const incomeTaxFen = input.resale && !exemptIncome ? permille(input.priceFen, rates.taxIncomePermille) : 0
  // 契税's base is the price without 增值税 (its 5 % levy rate; surcharges in the rate are no part of it)
  const deedBase = vatFen > 0 ? Math.round((input.priceFen * 1000) / 1050) : input.priceFen
  const deedTaxFen = permille(deedBase, deedPermille)
  const stampFen = permille(input.priceFen, rates.taxStampPermille)
  const registrationFen = rates.taxRegistrationFeeYuan * 100
  return { deedTaxFen, deedPermille, vatFen, incomeTaxFen, stampFen, registrationFen, totalFen: deedTaxFen + vatFen + incomeTaxFen + stampFen + registrationFen }
}
