import { z } from 'zod'
import { Id, IsoTime, type ContractTable } from './common'
import { HostText } from './host-text'
import { UnitStatus } from '../domain/unit-status'
import { textField } from '../domain/text-kinds'

/** A member discount applied to a deal: the list price it was priced from, the buyer's level and its discount then. */
export const MemberDiscount = z.object({
  listPrice: z.number().int(),
  level: z.string(),
  discountPermille: z.number().int(),
  /** fen off the list price */
  discount: z.number().int(),
})

export const Unit = z.object({
  id: Id,
  buildingId: Id,
  floor: z.number().int(),
  number: z.string(),
  layout: z.string().nullable(),
  area: z.number().int(),
  orientation: z.string().nullable(),
  listPrice: z.number().int(),
  /** fen per m², derived from list price and area */
  unitPrice: z.number().int(),
  tags: z.array(z.string()),
  status: UnitStatus,
  /** the live transaction, if any; its buyer and money (clientId, clientName, price, paid) only for viewers who see the deal (seesDeal), else null and 0 */
  tx: z
    .object({
      id: Id,
      clientId: Id.nullable(),
      clientName: z.string().nullable(),
      agentName: z.string().nullable(),
      /** whether the viewer works this deal (推进, a change to it): a manager, or its agent while they work its buyer in full */
      yours: z.boolean(),
      price: z.number().int(),
      paid: z.number().int(),
      expiresAt: IsoTime.nullable(),
      updatedAt: IsoTime,
      /** why a manager holds (预留/控房) or withholds (不售) the unit */
      reason: z.string().nullable(),
      /** the member discount the deal was priced with (list price → level, % → member price), as it was then; null without one or for viewers who do not see the deal */
      member: MemberDiscount.nullable(),
    })
    .nullable(),
  version: z.number().int(),
})

/** A row of a unit list that cannot be imported: which row and column, and what is wrong (worded by the renderer). */
export const ImportRowError = z.object({ row: z.number().int(), field: z.string(), message: HostText })

export const unitsContract = {
  'units.import': {
    input: z.strictObject({ projectId: Id, /** an .xlsx file, base64 */ fileBase64: z.string().min(10).max(20_000_000) }),
    output: z.object({ imported: z.number().int(), errors: z.array(ImportRowError) }),
    write: true,
    summary: "Import a project's unit list from the Excel template; any bad row imports nothing and lists every row's errors.",
  },
  'units.template': {
    input: z.strictObject({}),
    output: z.object({ fileBase64: z.string(), fileName: z.string() }),
    write: false,
    summary: 'The Excel template for unit import.',
  },
  'units.hold': {
    input: z.strictObject({ unitId: Id, reason: textField('line', 200, 2), hours: z.number().int().min(1).max(24 * 90).optional() }),
    output: Unit,
    write: true,
    summary: '预留/控房: a manager holds an available unit, with a reason.',
  },
  'units.withhold': {
    input: z.strictObject({ unitId: Id, reason: textField('line', 200, 2) }),
    output: Unit,
    write: true,
    summary: '不售: take an available unit off the market (managers).',
  },
  'units.reserve': {
    input: z.strictObject({ unitId: Id, clientId: Id, deposit: z.number().int().min(1).max(100_000_000), receiptNo: textField('code', 40, 1), method: z.enum(['cash', 'card', 'transfer', 'pos']) }),
    output: Unit,
    write: true,
    summary: '小订: reserve an available (or manager-held) unit for a client with a small deposit; expires after the configured hours. Two agents at once: one wins, the other is told who holds it.',
  },
  'units.advance': {
    input: z.strictObject({
      unitId: Id,
      to: z.enum(['pledge', 'subscribe', 'sign', 'sold']),
      /** the agreed price (fen); without it the deal keeps its price, at most the member price once priced */
      price: z.number().int().min(1).max(100_000_000_000).optional(),
      /** the deal's updatedAt as the caller saw it: a deal changed since is refused (deal_moved), not overwritten */
      expectUpdatedAt: IsoTime.optional(),
      /** the member discount (per mille) the caller was shown: refused (member_discount_changed) if the buyer's level gives another now */
      expectDiscountPermille: z.number().int().min(0).max(500).optional(),
    }),
    output: Unit,
    write: true,
    summary:
      "Move the live transaction forward: 认筹 -> 认购 -> 签约 -> 已售. Reaching 认购 (or beyond) prices the deal once: a member buyer's level discount comes off the list price and is kept on the deal (and audited); an agent may go 2% below that member price alone, lower is a discount request.",
  },
  'units.quote': {
    input: z.strictObject({ unitId: Id }),
    output: z.object({
      listPrice: z.number().int(),
      /** the buyer's member level, null for a non-member */
      level: z.string().nullable(),
      discountPermille: z.number().int(),
      /** fen off the list price */
      discount: z.number().int(),
      /** list price less the member discount: the most the buyer pays */
      memberPrice: z.number().int(),
      /** true: the deal was priced already and this is what it kept; false: what 推进 to 认购 would apply now */
      priced: z.boolean(),
      updatedAt: IsoTime,
    }),
    write: false,
    summary: "How a deal is (or would be) priced for its buyer: list price → member discount (level, %) → member price; for whoever works the deal.",
  },
  'units.release': {
    input: z.strictObject({ unitId: Id, reason: textField('line', 200, 2) }),
    output: Unit,
    write: true,
    summary: 'Release a hold, 小订 or 不售 (managers; a deal beyond 小订 goes through a 退房 change request).',
  },
} as const satisfies ContractTable
