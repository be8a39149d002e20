import { z } from 'zod'
import { Id, IsoTime, Page, PageInput, type ContractTable } from './common'
import { ClientRow } from './clients'
import { HostText } from './host-text'
import { Viewing } from './viewings'
import { textField } from '../domain/text-kinds'

export const Task = z.object({
  id: Id,
  staffId: Id,
  clientId: Id.nullable(),
  clientName: z.string().nullable(),
  clientCode: z.string().nullable(),
  rule: z.string(),
  /** what to do, worded by the renderer */
  title: HostText,
  /** what it is about, as stored (a client's name, a viewing's address) */
  detail: z.string().nullable(),
  dueAt: IsoTime,
  status: z.enum(['open', 'done', 'cancelled']),
  overdue: z.boolean(),
  createdAt: IsoTime,
})

export const Today = z.object({
  day: z.string(),
  overdue: z.array(Task),
  due: z.array(Task),
  viewings: z.array(Viewing),
  wakingUp: z.array(Task),
  claimed: z.array(ClientRow),
  unreadNotifications: z.number().int(),
})

/** One agent's day as the manager's team page shows it. */
export const TeamAgentDay = z.object({
  staffId: Id,
  name: z.string(),
  role: z.enum(['agent', 'senior_agent']),
  team: z.string().nullable(),
  /** open tasks past due */
  overdue: z.number().int(),
  /** of those, the ones already escalated to the managers */
  escalated: z.number().int(),
  /** open tasks due later today */
  dueToday: z.number().int(),
  /** viewings booked for today (not cancelled) */
  viewingsToday: z.number().int(),
  /** front-desk visits today of clients this agent owns */
  visitsToday: z.number().int(),
  /** clients claimed from the pool today */
  claimsToday: z.number().int(),
})

/** The manager's start page: every active agent's day and what waits for the branch. */
export const TeamDay = z.object({
  day: z.string(),
  agents: z.array(TeamAgentDay),
  /** change requests still waiting for a decision */
  pendingApprovals: z.number().int(),
})

export const tasksContract = {
  'tasks.today': {
    input: z.strictObject({}),
    output: Today,
    write: false,
    summary: "The agent's home screen: overdue and due tasks, today's viewings, clients waking up, recent pool claims.",
  },
  'tasks.list': {
    input: PageInput.extend({ status: z.enum(['open', 'done', 'cancelled']).default('open'), staffId: Id.optional() }),
    output: Page(Task),
    write: false,
    summary: 'Tasks, yours by default (managers may pass staffId).',
  },
  'tasks.team': {
    input: z.strictObject({}),
    output: TeamDay,
    write: false,
    summary: "The manager's team page: per active agent, overdue and escalated tasks, today's viewings, visits and pool claims; pending approvals.",
  },
  'tasks.complete': {
    input: z.strictObject({ id: Id, note: textField('note', 500).optional() }),
    output: Task,
    write: true,
    summary: 'Mark one of your tasks done.',
  },
} as const satisfies ContractTable
