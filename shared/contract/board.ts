import { z } from 'zod'
import { Id, IsoTime, Ok, type ContractTable } from './common'
import { ApprovalSteps, ApprovalStepsSchema, ApproverRole, ChangeKind } from '../domain/approval-steps'
import { UnitStatus } from '../domain/unit-status'
import { textField } from '../domain/text-kinds'

export { ChangeKind }

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
      price: z.number().int(),
      paid: z.number().int(),
      expiresAt: IsoTime.nullable(),
      updatedAt: IsoTime,
      /** why a manager holds (预留/控房) or withholds (不售) the unit */
      reason: z.string().nullable(),
    })
    .nullable(),
  version: z.number().int(),
})

export const StatusTotals = z.object({ status: UnitStatus, count: z.number().int(), area: z.number().int(), amount: z.number().int() })

export const Board = z.object({
  project: z.object({ id: Id, name: z.string(), district: z.string().nullable() }),
  buildings: z.array(z.object({ id: Id, name: z.string(), floors: z.number().int(), unitsPerFloor: z.number().int() })),
  units: z.array(Unit),
  totals: z.array(StatusTotals),
  palette: z.record(UnitStatus, z.string()),
  generatedAt: IsoTime,
})

export const PublishedBoard = z.object({
  project: z.object({ id: Id, name: z.string() }),
  publishedAt: IsoTime.nullable(),
  publishedBy: z.string().nullable(),
  /** no client names, ever: the lobby screen is public */
  units: z.array(z.object({ id: Id, buildingId: Id, floor: z.number().int(), number: z.string(), layout: z.string().nullable(), area: z.number().int(), listPrice: z.number().int(), status: UnitStatus })),
  buildings: z.array(z.object({ id: Id, name: z.string() })),
  totals: z.array(StatusTotals),
  palette: z.record(UnitStatus, z.string()),
})

export const ImportRowError = z.object({ row: z.number().int(), field: z.string(), message: z.string() })

/** One approval step of a change request: the role that decides it and, once decided, who, when and why. */
export const ApprovalStep = z.object({
  role: ApproverRole,
  decision: z.enum(['approved', 'rejected']).nullable(),
  byId: Id.nullable(),
  by: z.string().nullable(),
  at: IsoTime.nullable(),
  comment: z.string().nullable(),
})

export const ChangeRequest = z.object({
  id: Id,
  kind: ChangeKind,
  /** null for 批量调价, which is about many units of `projectId` */
  unitId: Id.nullable(),
  projectId: Id,
  txId: Id.nullable(),
  /** as asked (see changes.request); a 批量调价's items are kept as BulkPriceItemStored */
  payload: z.record(z.string(), z.unknown()),
  status: z.enum(['pending', 'approved', 'rejected', 'withdrawn']),
  requestedBy: z.string(),
  requestedById: Id,
  decidedBy: z.string().nullable(),
  comments: z.array(z.object({ by: z.string(), at: IsoTime, text: z.string() })),
  createdAt: IsoTime,
  decidedAt: IsoTime.nullable(),
  /** the approval steps of the current round, in order, with their decisions so far (the branch's steps as planFor fits them to the requester) */
  steps: z.array(ApprovalStep),
  /** index into `steps` of the step awaiting a decision; null once the request is decided */
  currentStep: z.number().int().min(0).nullable(),
  /** 1, and one more at each resubmission (which starts again at the first step) */
  round: z.number().int().min(1),
  /** words for the ids in the request: the unit ("1号楼-202"), a swap's target unit, a rename's new buyer */
  labels: z.object({ unit: z.string().nullable(), toUnit: z.string().nullable(), client: z.string().nullable() }),
})

const ListPrice = z.number().int().min(1).max(100_000_000_000)
const Remark = textField('note', 500).optional()

export const MAX_BULK_PRICE_UNITS = 500

/** 批量调价: new list prices (fen) of up to 500 units of one project, each unit once. */
export const BulkPricePayload = z.strictObject({
  items: z
    .array(z.strictObject({ unitId: Id, listPrice: ListPrice }))
    .min(1)
    .max(MAX_BULK_PRICE_UNITS)
    .superRefine((items, ctx) => {
      const seen = new Set<number>()
      items.forEach((it, i) => {
        if (seen.has(it.unitId)) ctx.addIssue({ code: 'custom', path: [i, 'unitId'], message: `unit ${it.unitId} is listed twice`, params: { reason: 'repeated' } })
        seen.add(it.unitId)
      })
    }),
})

/** A 批量调价 item as the request keeps it: the new price, and the unit's name, price and version when asked. */
export const BulkPriceItemStored = z.object({ unitId: Id, unit: z.string(), listPrice: z.number().int(), was: z.number().int(), version: z.number().int() })
export type BulkPriceItemStored = z.infer<typeof BulkPriceItemStored>

/** What each kind of change carries. */
export const ChangePayloads = {
  rename: z.strictObject({ clientId: Id }),
  swap: z.strictObject({ toUnitId: Id }),
  cancel: z.strictObject({}),
  price: z.strictObject({ listPrice: ListPrice }),
  discount: z.strictObject({ price: ListPrice }),
  bulkPrice: BulkPricePayload,
} as const satisfies Record<ChangeKind, z.ZodType>

/** A new change request: one shape per kind. */
export const ChangeRequestInput = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('rename'), unitId: Id, payload: ChangePayloads.rename, comment: Remark }),
  z.strictObject({ kind: z.literal('swap'), unitId: Id, payload: ChangePayloads.swap, comment: Remark }),
  z.strictObject({ kind: z.literal('cancel'), unitId: Id, payload: ChangePayloads.cancel.default({}), comment: Remark }),
  z.strictObject({ kind: z.literal('price'), unitId: Id, payload: ChangePayloads.price, comment: Remark }),
  z.strictObject({ kind: z.literal('discount'), unitId: Id, payload: ChangePayloads.discount, comment: Remark }),
  z.strictObject({ kind: z.literal('bulkPrice'), payload: ChangePayloads.bulkPrice, comment: Remark }),
])

/** A board colour: `#rrggbb`. */
const HEX_COLOUR = /^#[0-9a-fA-F]{6}$/
export const HexColour = z
  .string()
  .refine((v) => HEX_COLOUR.test(v), { message: 'must be a colour as #rrggbb', params: { reason: 'bad_colour' } })
  .meta({ pattern: HEX_COLOUR.source })

/** The board colours: one `#rrggbb` per status, every status named (a bad one is reported as `palette.<status>`). */
export const BoardPalette = z.strictObject(Object.fromEntries(UnitStatus.options.map((s) => [s, HexColour])) as Record<UnitStatus, typeof HexColour>)

export const Payment = z.object({ id: Id, txId: Id, receiptNo: z.string(), method: z.enum(['cash', 'card', 'transfer', 'pos']), amount: z.number().int(), paidAt: IsoTime, by: z.string() })

export const boardContract = {
  'projects.create': {
    input: z.strictObject({ name: textField('line', 60, 1), district: textField('line', 40).optional() }),
    output: z.object({ id: Id }),
    write: true,
    summary: 'Create a project (楼盘).',
  },
  'projects.list': {
    input: z.strictObject({}),
    output: z.object({ projects: z.array(z.object({ id: Id, name: z.string(), district: z.string().nullable(), units: z.number().int(), publishedAt: IsoTime.nullable() })) }),
    write: false,
    summary: 'Projects with unit counts.',
  },
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
  'board.get': {
    input: z.strictObject({ projectId: Id }),
    output: Board,
    write: false,
    summary: 'The live sales-control board of a project: every unit with its derived status, totals per status, colours.',
  },
  'board.units': {
    input: z.strictObject({ projectId: Id, unitIds: z.array(Id).min(1).max(500) }),
    output: z.object({ units: z.array(Unit), generatedAt: IsoTime }),
    write: false,
    summary: 'Some units of a live board, as board.get shows them: an open board refreshes only the units a board.changed push names.',
  },
  'board.publish': {
    input: z.strictObject({ projectId: Id }),
    output: z.object({ publishedAt: IsoTime }),
    write: true,
    summary: 'Publish the current board to the lobby display (managers).',
  },
  'board.published': {
    input: z.strictObject({ projectId: Id }),
    output: PublishedBoard,
    write: false,
    summary: 'The last published board, for the lobby screen (no client names).',
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
    input: z.strictObject({ unitId: Id, to: z.enum(['pledge', 'subscribe', 'sign', 'sold']), price: z.number().int().min(1).max(100_000_000_000).optional() }),
    output: Unit,
    write: true,
    summary: 'Move the live transaction forward: 认筹 -> 认购 -> 签约 -> 已售.',
  },
  'units.release': {
    input: z.strictObject({ unitId: Id, reason: textField('line', 200, 2) }),
    output: Unit,
    write: true,
    summary: 'Release a hold, 小订 or 不售 (managers; a deal beyond 小订 goes through a 退房 change request).',
  },
  'payments.record': {
    input: z.strictObject({ unitId: Id, receiptNo: textField('code', 40, 1), method: z.enum(['cash', 'card', 'transfer', 'pos']), amount: z.number().int().min(1).max(100_000_000_000) }),
    output: Payment,
    write: true,
    summary: 'Record a payment against the unit’s live transaction; more than the balance is refused.',
  },
  'payments.list': {
    input: z.strictObject({ unitId: Id }),
    output: z.object({ payments: z.array(Payment), schedule: z.array(z.object({ id: Id, dueDate: z.string(), amount: z.number().int(), label: z.string(), paidByThen: z.boolean() })), balance: z.number().int() }),
    write: false,
    summary: 'Payments and the payment schedule of the unit’s live transaction.',
  },
  'payments.setSchedule': {
    input: z.strictObject({ unitId: Id, items: z.array(z.strictObject({ dueDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/), amount: z.number().int().min(1), label: textField('line', 40, 1) })).min(1).max(60) }),
    output: Ok,
    write: true,
    summary: 'Set the payment schedule (due dates) of the live transaction; it must add up to the price.',
  },
  'payments.overdue': {
    input: z.strictObject({ projectId: Id.optional() }),
    output: z.object({ notices: z.array(z.object({ unitId: Id, unit: z.string(), clientName: z.string().nullable(), dueDate: z.string(), label: z.string(), owed: z.number().int() })) }),
    write: false,
    summary: 'Overdue payments, for dunning notices (催款通知).',
  },
  'changes.request': {
    input: ChangeRequestInput,
    output: ChangeRequest,
    write: true,
    summary: "Ask for a change (更名, 换房, 退房, price, discount, or 批量调价 of up to 500 units of one project); it goes through the kind's approval steps.",
  },
  'changes.decide': {
    input: z.strictObject({ id: Id, approve: z.boolean(), comment: textField('note', 500).optional() }),
    output: ChangeRequest,
    write: true,
    summary:
      "Decide the current approval step (someone of the step's role, never two steps of one request by the same person, never their own request). A rejection ends the request; the last approval applies the change atomically and creates finance to-dos.",
  },
  'changes.resubmit': {
    input: z.strictObject({ id: Id, /** the payload of the request's kind (see changes.request) */ payload: z.record(z.string(), z.unknown()), comment: Remark }),
    output: ChangeRequest,
    write: true,
    summary: 'Resubmit a rejected request with changes (the requester); it starts again at the first approval step.',
  },
  'changes.list': {
    input: z.strictObject({ status: z.enum(['pending', 'approved', 'rejected', 'withdrawn']).optional(), unitId: Id.optional(), projectId: Id.optional() }),
    output: z.object({ requests: z.array(ChangeRequest) }),
    write: false,
    summary: "Change requests, newest first: managers and admins see all; others their own, those on their deals, and those a step of their role decides.",
  },
  'changes.getSteps': {
    input: z.strictObject({}),
    output: z.object({ steps: ApprovalStepsSchema }),
    write: false,
    summary: 'The approval steps (roles, in order) of every kind of change request.',
  },
  'changes.setSteps': {
    input: z.strictObject({ kind: ChangeKind, /** 1 to 4 roles of senior_agent, manager, admin */ steps: ApprovalSteps }),
    output: z.object({ steps: ApprovalStepsSchema }),
    write: true,
    summary:
      "Set the approval steps of one kind of change (admins); requests already asked keep the steps they were asked with. A request's own steps never leave it to the requester's peers (see planFor in shared/domain/approval-steps.ts).",
  },
  'finance.todos': {
    input: z.strictObject({ status: z.enum(['open', 'done']).default('open') }),
    output: z.object({ todos: z.array(z.object({ id: Id, kind: z.string(), unit: z.string(), amount: z.number().int(), note: z.string(), createdAt: IsoTime })) }),
    write: false,
    summary: 'Finance to-dos created by approved changes (refunds, re-invoicing).',
  },
  'board.getPalette': {
    input: z.strictObject({}),
    output: z.object({ palette: BoardPalette, /** false while the built-in colours are in use */ custom: z.boolean() }),
    write: false,
    summary: 'The board colours per status, and whether the branch has set its own (managers and admins).',
  },
  'board.setPalette': {
    input: z.strictObject({ /** null goes back to the built-in colours */ palette: BoardPalette.nullable() }),
    output: z.object({ palette: BoardPalette, custom: z.boolean() }),
    write: true,
    summary: 'Set the board colours per status, or null for the built-in ones (managers and admins); every open board reloads. The lobby screen takes them at the next publish.',
  },
  'matching.unitsForClient': {
    input: z.strictObject({ clientId: Id, limit: z.number().int().min(1).max(200).default(50) }),
    output: z.object({
      units: z.array(Unit.extend({ projectId: Id, projectName: z.string(), buildingName: z.string() })),
      /** the client's active needs: 0 means none is recorded, so nothing can fit */
      activeNeeds: z.number().int(),
    }),
    write: false,
    summary: "Available units that fit a client's needs, with the project to open each on the board.",
  },
  'matching.clientsForUnit': {
    input: z.strictObject({ unitId: Id, limit: z.number().int().min(1).max(200).default(50) }),
    output: z.object({ clients: z.array(z.object({ id: Id, code: z.string(), name: z.string(), owner: z.string().nullable(), tier: z.string() })) }),
    write: false,
    summary: 'Clients whose needs a unit fits (to recommend it).',
  },
} as const satisfies ContractTable
