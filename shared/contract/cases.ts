import { z } from 'zod'
import { Id, Page, PageInput, type ContractTable } from './common'
import { textField } from '../domain/text-kinds'

const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/)
/** A bound in fen, up to a hundred billion yuan: anything above is a typo. */
const Fen = z.number().int().min(0).max(100_000_000_000_00)
/** A bound in 0.01 m², up to 100,000 m². */
const Area = z.number().int().min(0).max(10_000_000)

/**
 * 成交案例 (seed 002, issue #20): a closed deal (签约 or 已售) as agents quote it to a client in
 * negotiation, without the buyer, the agent or the room number (模糊业主信息).
 */
export const DealCase = z.object({
  /** the deal's transaction, so a case is named the same way twice */
  id: Id,
  project: z.string(),
  district: z.string().nullable(),
  building: z.string(),
  floor: z.number().int(),
  layout: z.string().nullable(),
  /** 0.01 m² */
  area: z.number().int(),
  orientation: z.string().nullable(),
  /** fen: the list price when the deal was priced (else the unit's list price now) */
  listPrice: z.number().int(),
  /** fen: the deal price */
  price: z.number().int(),
  /** fen per m² of the deal price */
  unitPrice: z.number().int(),
  /** the branch's day the deal was first signed (or sold) */
  signedOn: Day,
  status: z.enum(['sign', 'sold']),
  /** the terms: a member discount taken (fen, 0 for none) and how many payments were scheduled */
  memberDiscount: z.number().int(),
  instalments: z.number().int(),
})
export type DealCase = z.infer<typeof DealCase>

export const CaseSearchInput = PageInput.extend({
  /** part of a project's (楼盘/小区) name or district */
  project: textField('line', 60).optional(),
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

export const casesContract = {
  'cases.search': {
    input: CaseSearchInput,
    output: Page(DealCase),
    write: false,
    summary: 'The deal case library (成交案例): closed deals by project, layout, area, price and date, newest first, without buyer, agent or room number.',
  },
} as const satisfies ContractTable
