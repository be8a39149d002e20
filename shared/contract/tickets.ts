import { z } from 'zod'
import { Id, IsoTime, Page, PageInput, type ContractTable } from './common'
import { Tier } from '../domain/client-enums'
import { textField } from '../domain/text-kinds'
import { MAX_TICKET_HOURS, TICKET_CHANNELS, TICKET_KINDS, TICKET_STATES } from '../domain/tickets'

export const TicketChannel = z.enum(TICKET_CHANNELS)
export const TicketKind = z.enum(TICKET_KINDS)
export const TicketState = z.enum(TICKET_STATES)

const Hours = z.number().int().min(1).max(MAX_TICKET_HOURS)
/** Hours to feed back per client tier. */
export const TierHours = z.strictObject({ vip: Hours, key: Hours, normal: Hours, potential: Hours })

/** A category of the standard taxonomy (seed 001), with its deadlines per client tier (seed 004). */
export const TicketCategory = z.object({
  id: Id,
  code: z.string(),
  kind: TicketKind,
  nameZh: z.string(),
  nameEn: z.string(),
  hours: TierHours,
  active: z.boolean(),
  version: z.number().int().min(0),
})

const Person = z.object({ id: Id, name: z.string() })

/** A ticket as a list or its page shows it; the client's basics only (the profile is the client's own page). */
export const Ticket = z.object({
  id: Id,
  /** the client's basics and owner (what everyone may see of a client) */
  client: z.object({ id: Id, code: z.string(), name: z.string(), tier: Tier, owner: Person.nullable() }),
  categoryId: Id,
  channel: TicketChannel,
  content: z.string(),
  state: TicketState,
  intakeBy: Person,
  assignee: Person.nullable(),
  deadlineAt: IsoTime.nullable(),
  overdue: z.boolean(),
  createdAt: IsoTime,
  dispatchedAt: IsoTime.nullable(),
  handlingAt: IsoTime.nullable(),
  fedBackAt: IsoTime.nullable(),
  feedback: z.string().nullable(),
  closedAt: IsoTime.nullable(),
  returnVisit: z.string().nullable(),
  satisfaction: z.number().int().min(1).max(5).nullable(),
  version: z.number().int().min(0),
})

const Version = z.number().int().min(0)

export const ticketsContract = {
  'tickets.categories': {
    input: z.strictObject({}),
    output: z.object({ categories: z.array(TicketCategory) }),
    write: false,
    summary: 'The complaint and service taxonomy with its deadlines per client tier (inactive categories too, for old tickets).',
  },
  'tickets.saveCategory': {
    input: z.strictObject({
      /** absent: a new category */
      id: Id.optional(),
      version: Version.optional(),
      kind: TicketKind,
      nameZh: textField('line', 40, 1),
      nameEn: textField('line', 80, 1),
      hours: TierHours,
      active: z.boolean().default(true),
    }),
    output: TicketCategory,
    write: true,
    summary: 'The manager edits or adds a category of the taxonomy (names, family, hours per tier, active).',
  },
  'tickets.create': {
    input: z.strictObject({ clientId: Id, categoryId: Id, channel: TicketChannel, content: textField('note', 2000, 1) }),
    output: Ticket,
    write: true,
    summary: 'Take in a complaint or service request for a client (phone, visit, front desk). A client the caller may not see is refused without saying whether it exists.',
  },
  'tickets.list': {
    input: PageInput.extend({
      state: TicketState.optional(),
      /** only tickets dispatched to the caller */
      mine: z.boolean().default(false),
      clientId: Id.optional(),
      overdue: z.boolean().default(false),
    }),
    output: Page(Ticket),
    write: false,
    summary: 'Tickets the caller sees (a manager all; others those they took in or handle, and those of the clients they see in full), newest first.',
  },
  'tickets.get': {
    input: z.strictObject({ id: Id }),
    output: Ticket,
    write: false,
    summary: 'One ticket the caller sees.',
  },
  'tickets.dispatch': {
    input: z.strictObject({ id: Id, version: Version, assigneeId: Id }),
    output: Ticket,
    write: true,
    summary: "Send a ticket to a person (again, to reassign it): its deadline follows from the category and the client's tier, and it is a task of theirs that escalates when overdue.",
  },
  'tickets.start': {
    input: z.strictObject({ id: Id, version: Version }),
    output: Ticket,
    write: true,
    summary: 'The person a ticket went to starts handling it.',
  },
  'tickets.feedBack': {
    input: z.strictObject({ id: Id, version: Version, feedback: textField('note', 2000, 1) }),
    output: Ticket,
    write: true,
    summary: 'Record what was done and told to the client; the ticket waits for its return visit.',
  },
  'tickets.close': {
    input: z.strictObject({ id: Id, version: Version, returnVisit: textField('note', 2000, 1), satisfaction: z.number().int().min(1).max(5) }),
    output: Ticket,
    write: true,
    summary: 'Close a ticket after the return visit, with the client’s satisfaction (1–5).',
  },
} as const satisfies ContractTable
