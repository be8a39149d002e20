import { z } from 'zod'
import { Id, IsoTime, type ContractTable } from './common'
import { textField } from '../domain/text-kinds'

export const ViewingStatus = z.enum(['booked', 'done', 'no_show', 'cancelled'])

export const ViewingBookInput = z
  .strictObject({
    clientId: Id,
    unitId: Id.optional(),
    address: textField('line', 200, 2).optional(),
    startsAt: IsoTime,
    endsAt: IsoTime.optional(),
    /** managers may book for another agent; agents book for themselves. */
    agentId: Id.optional(),
  })
  .superRefine((v, ctx) => {
    if (v.unitId === undefined && v.address === undefined) {
      ctx.addIssue({ code: 'custom', path: ['address'], message: 'a unit or an address', params: { reason: 'viewing_place' } })
    }
    if (v.endsAt !== undefined && Date.parse(v.endsAt) <= Date.parse(v.startsAt)) {
      ctx.addIssue({ code: 'custom', path: ['endsAt'], message: 'ends before it starts', params: { reason: 'range' } })
    }
  })

export const Viewing = z.object({
  id: Id,
  clientId: Id,
  clientName: z.string(),
  clientCode: z.string(),
  agentId: Id,
  agentName: z.string(),
  unitId: Id.nullable(),
  /** the unit as people name it: project, building and number (江畔花园 1号楼-304) */
  unitLabel: z.string().nullable(),
  address: z.string().nullable(),
  startsAt: IsoTime,
  endsAt: IsoTime,
  status: ViewingStatus,
  /** the client's feedback, only for the viewing's agent and those with full access to the client (seesViewing) */
  feedback: z.string().nullable(),
  version: z.number().int(),
})

export const ViewingSheet = z.object({
  viewing: Viewing,
  branchName: z.string(),
  clientPhoneMasked: z.string().nullable(),
  agentPhone: z.string().nullable(),
  printedAt: IsoTime,
})

export const viewingsContract = {
  'viewings.book': {
    input: ViewingBookInput,
    output: Viewing,
    write: true,
    summary: 'Book a viewing; overlapping bookings of the same agent, client or unit are refused.',
  },
  'viewings.calendar': {
    input: z.strictObject({ agentId: Id.optional(), from: IsoTime, to: IsoTime }).refine((v) => Date.parse(v.to) - Date.parse(v.from) <= 62 * 86_400_000, {
      path: ['to'],
      message: 'at most two months at a time',
    }),
    output: z.object({ viewings: z.array(Viewing) }),
    write: false,
    summary: "An agent's viewings in a period (yours by default; managers and the front desk see anyone's, senior agents their team's).",
  },
  'viewings.list': {
    input: z.strictObject({ clientId: Id }),
    output: z.object({ viewings: z.array(Viewing) }),
    write: false,
    summary: "A client's viewings with any agent, newest first (the front desk and viewers with full access).",
  },
  'viewings.record': {
    input: z.strictObject({ id: Id, version: z.number().int().min(0), status: ViewingStatus.exclude(['booked']), feedback: textField('note', 2000).optional() }),
    output: Viewing,
    write: true,
    summary: 'Record how a viewing went (done with feedback, no-show, cancelled).',
  },
  'viewings.sheet': {
    input: z.strictObject({ id: Id }),
    output: ViewingSheet,
    write: false,
    summary: 'The data of the printable viewing confirmation sheet (看房确认书): the front desk, the viewing\'s agent and viewers with full access; printing is audited.',
  },
} as const satisfies ContractTable
