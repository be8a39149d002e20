import { z } from 'zod'
import { Id, IsoTime, type ContractTable } from './common'
import { ApprovalSteps, ApprovalStepsSchema, ApproverRole, ChangeKind } from '../domain/approval-steps'
import { textField } from '../domain/text-kinds'

export { ChangeKind }

/** One approval step of a change request: the role that decides it and, once decided, who, when and why. */
export const ApprovalStep = z.object({
  role: ApproverRole,
  decision: z.enum(['approved', 'rejected']).nullable(),
  byId: Id.nullable(),
  by: z.string().nullable(),
  at: IsoTime.nullable(),
  comment: z.string().nullable(),
})

/** A one-unit request's unit and deal as they were when asked: the "before" of its before → after. */
export const ChangeBefore = z.object({
  /** "1号楼-401" */
  unit: z.string(),
  listPrice: z.number().int(),
  /** the deal's price, null without a deal */
  price: z.number().int().nullable(),
  /** the deal's buyer, null without one */
  client: z.string().nullable(),
})
export type ChangeBefore = z.infer<typeof ChangeBefore>

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
  /** the unit and deal as they were when the request was (re)submitted; null for 批量调价 (its items carry `was`) and requests older than this field */
  before: ChangeBefore.nullable(),
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

export const changesContract = {
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
} as const satisfies ContractTable
