import { z } from 'zod'
import { Id, Ok, Page, PageInput, type ContractTable } from './common'
import { textField } from '../domain/text-kinds'

const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/)

/** Whether a YYYY-MM-DD is a day of the calendar (not 2026-02-30). */
function realDay(day: string): boolean {
  const t = Date.parse(`${day}T00:00:00Z`)
  return !Number.isNaN(t) && new Date(t).toISOString().slice(0, 10) === day
}
/** A bound in fen, up to a hundred billion yuan: anything above is a typo. */
const Fen = z.number().int().min(0).max(100_000_000_000_00)
/** A bound in 0.01 m², up to 100,000 m². */
const Area = z.number().int().min(0).max(10_000_000)

/** Where a case comes from: the branch's own closed deal (系统成交) or typed in by hand (录入). */
export const CaseSource = z.enum(['deal', 'entered'])

/**
 * 成交案例 (seed 002, issue #20): a closed deal (签约 or 已售) as agents quote it to a client in
 * negotiation, without the buyer, the agent or the room number (模糊业主信息); or a case a manager
 * or senior agent entered by hand (录入), no party recorded. What a source does not know is null.
 */
export const DealCase = z.object({
  source: CaseSource,
  /** the deal's transaction (source deal) or the entered case's id: a case is named by source and id */
  id: Id,
  project: z.string(),
  /** the 小区 as entered; a deal's project is its own 小区, so this is null there */
  community: z.string().nullable(),
  district: z.string().nullable(),
  building: z.string().nullable(),
  floor: z.number().int().nullable(),
  layout: z.string().nullable(),
  /** 0.01 m² */
  area: z.number().int(),
  orientation: z.string().nullable(),
  /** fen: the list price when the deal was priced (else the unit's list price now); null for an entered case */
  listPrice: z.number().int().nullable(),
  /** fen: the deal price */
  price: z.number().int(),
  /** fen per m² of the deal price */
  unitPrice: z.number().int(),
  /** the branch's day the deal was first signed (or sold) */
  signedOn: Day,
  status: z.enum(['sign', 'sold']).nullable(),
  /** the terms: a member discount taken (fen, 0 for none) and how many payments were scheduled (null when entered) */
  memberDiscount: z.number().int().nullable(),
  instalments: z.number().int().nullable(),
  /** an entered case's terms and note, as typed */
  terms: z.string().nullable(),
  note: z.string().nullable(),
  /** an entered case's version, for editing and withdrawing it; null for a deal */
  version: z.number().int().nullable(),
})
export type DealCase = z.infer<typeof DealCase>

export const CaseSearchInput = PageInput.extend({
  /** part of a project's (楼盘) or community's (小区) name or of the district */
  project: textField('line', 60).optional(),
  /** part of the 小区: an entered case's community, or a deal's project (its own 小区) */
  community: textField('line', 60).optional(),
  /** part of the layout, e.g. 3室 */
  layout: textField('line', 20).optional(),
  areaMin: Area.optional(),
  areaMax: Area.optional(),
  priceMin: Fen.optional(),
  priceMax: Fen.optional(),
  /** signed on or after / on or before (the branch's days) */
  from: Day.optional(),
  to: Day.optional(),
})

/** The largest area a case may have, in 0.01 m² (100,000 m²). */
const AREA_MAX = 10_000_000
/** Bounds of a plausible price per m², in fen: 1,000 to 1,000,000 yuan. Outside is a typo in area or price. */
export const CASE_UNIT_PRICE_MIN = 1_000_00
export const CASE_UNIT_PRICE_MAX = 1_000_000_00

/** A case as a manager or senior agent types it; no buyer, seller or agent is asked for. */
const EnteredCaseFields = z.strictObject({
  project: textField('line', 60, 1),
  community: textField('line', 60).optional(),
  district: textField('line', 20).optional(),
  layout: textField('line', 20).optional(),
  /** 0.01 m² */
  area: z.number().int(),
  floor: z.number().int().min(-10).max(200).optional(),
  /** fen */
  price: z.number().int(),
  signedOn: Day,
  terms: textField('note', 200).optional(),
  note: textField('note', 500).optional(),
})

/** The checks a typed case needs beyond its fields' shapes: a real area, a plausible price, a real day. */
function checkEnteredCase(v: z.output<typeof EnteredCaseFields>, ctx: z.RefinementCtx): void {
  if (!(v.area > 0 && v.area <= AREA_MAX)) ctx.addIssue({ code: 'custom', path: ['area'], message: 'area must be above 0 and at most 100,000 m²', params: { reason: 'case_area' } })
  if (!(v.price > 0)) ctx.addIssue({ code: 'custom', path: ['price'], message: 'price must be above 0', params: { reason: 'case_price' } })
  else if (v.area > 0) {
    const perSqm = Math.round((v.price * 100) / v.area)
    if (perSqm < CASE_UNIT_PRICE_MIN || perSqm > CASE_UNIT_PRICE_MAX) {
      ctx.addIssue({ code: 'custom', path: ['price'], message: 'the price per m² is implausible', params: { reason: 'case_unit_price', yuan: Math.round(perSqm / 100) } })
    }
  }
  if (!realDay(v.signedOn)) ctx.addIssue({ code: 'custom', path: ['signedOn'], message: 'not a date', params: { reason: 'not_a_date' } })
}

export const CaseEnterInput = EnteredCaseFields.superRefine(checkEnteredCase)
export const CaseEditInput = EnteredCaseFields.extend({ id: Id, version: z.number().int().min(0) }).superRefine(checkEnteredCase)
export const CaseWithdrawInput = z.strictObject({ id: Id, version: z.number().int().min(0) })

export const casesContract = {
  'cases.search': {
    input: CaseSearchInput,
    output: Page(DealCase),
    write: false,
    summary: 'The deal case library (成交案例): closed deals and entered cases by project, community, layout, area, price and date, newest first, without buyer, agent or room number.',
  },
  'cases.enter': {
    input: CaseEnterInput,
    output: z.object({ case: DealCase }),
    write: true,
    summary: 'Enters a deal case by hand (录入案例): project, community, district, layout, area, price, signing day, floor, terms and a note; no party.',
  },
  'cases.edit': {
    input: CaseEditInput,
    output: z.object({ case: DealCase }),
    write: true,
    summary: 'Corrects an entered case (its version must match).',
  },
  'cases.withdraw': {
    input: CaseWithdrawInput,
    output: Ok,
    write: true,
    summary: 'Withdraws an entered case from the library (its version must match).',
  },
} as const satisfies ContractTable
