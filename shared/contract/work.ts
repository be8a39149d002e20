import { z } from 'zod'
import { Id, IsoTime, Ok, Page, PageInput, type ContractTable } from './common'
import { BranchRulesSchema } from '../domain/rules'
import { ClientRow } from './clients'
import { Viewing } from './viewings'
import { textField } from '../domain/text-kinds'

export const Task = z.object({
  id: Id,
  staffId: Id,
  clientId: Id.nullable(),
  clientName: z.string().nullable(),
  clientCode: z.string().nullable(),
  rule: z.string(),
  title: z.string(),
  detail: z.string().nullable(),
  dueAt: IsoTime,
  status: z.enum(['open', 'done', 'cancelled']),
  overdue: z.boolean(),
  createdAt: IsoTime,
})

export const Notification = z.object({
  id: Id,
  kind: z.string(),
  title: z.string(),
  body: z.string(),
  clientId: Id.nullable(),
  taskId: Id.nullable(),
  createdAt: IsoTime,
  read: z.boolean(),
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

export const DutyEntry = z.strictObject({ staffId: Id, region: textField('line', 40).nullable().default(null), clientKind: z.enum(['person', 'org']).nullable().default(null) })
/** A duty entry as stored and shown, with the agent's name. */
const DutyRow = z.object({ staffId: Id, region: z.string().nullable(), clientKind: z.enum(['person', 'org']).nullable(), staffName: z.string() })
const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/)

export const workContract = {
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
  'tasks.complete': {
    input: z.strictObject({ id: Id, note: textField('note', 500).optional() }),
    output: Task,
    write: true,
    summary: 'Mark one of your tasks done.',
  },
  'notifications.list': {
    input: PageInput.extend({ unreadOnly: z.boolean().default(false) }),
    output: Page(Notification),
    write: false,
    summary: 'Your in-app notifications, newest first.',
  },
  'notifications.markRead': {
    input: z.strictObject({ ids: z.array(Id).max(500).optional(), all: z.boolean().optional() }),
    output: Ok,
    write: false,
    summary: 'Mark notifications read.',
  },
  'pool.list': {
    input: PageInput.extend({ region: textField('line', 40).optional() }),
    output: Page(ClientRow),
    write: false,
    summary: 'The public pool (公客池): clients without an owner, most recently returned first.',
  },
  'pool.claim': {
    input: z.strictObject({ clientId: Id }),
    output: ClientRow,
    write: true,
    summary: 'Claim a pool client (daily cap and owner cap apply); a follow-up is then due within the obligation period.',
  },
  'pool.release': {
    input: z.strictObject({ clientId: Id, reason: textField('line', 200, 2) }),
    output: Ok,
    write: true,
    summary: 'Hand one of your clients back to the pool.',
  },
  'clients.assign': {
    input: z.strictObject({ clientId: Id, staffId: Id.optional(), reason: textField('line', 200, 2).default('分配') }),
    output: ClientRow,
    write: true,
    summary: 'Assign an unowned client: to the given agent (managers), or by the rota (round-robin by region and type among on-duty agents, weighted by load).',
  },
  'clients.reassign': {
    input: z.strictObject({ clientIds: z.array(Id).min(1).max(1000), toStaffId: Id, reason: textField('line', 200, 2) }),
    output: z.object({ moved: z.number().int() }),
    write: true,
    summary: 'Move clients to another agent (managers).',
  },
  'clients.markLost': {
    input: z.strictObject({ id: Id, reason: textField('line', 40, 1), note: textField('note', 500).optional() }),
    output: ClientRow,
    write: true,
    summary: 'Mark a client lost (流失) with a reason from the configured list.',
  },
  'clients.revive': {
    input: z.strictObject({ id: Id }),
    output: ClientRow,
    write: true,
    summary: 'Bring a lost client back at the stage they were in, history intact.',
  },
  'staff.depart': {
    input: z.strictObject({
      id: Id,
      /** colleagues who take the clients, shared evenly; empty: all go to the public pool. */
      toStaffIds: z.array(Id).max(50).default([]),
      reason: textField('line', 200).default('离职'),
    }),
    output: z.object({ moved: z.number().int(), pooled: z.number().int(), sessionsEnded: z.number().int() }),
    write: true,
    summary: 'Deactivate a departing agent: clients to chosen colleagues or the pool, open tasks moved, sessions ended, in one step.',
  },
  'duty.get': {
    input: z.strictObject({ day: Day }),
    output: z.object({ day: Day, entries: z.array(DutyRow) }),
    write: false,
    summary: 'Who is on duty on a day (for new-enquiry assignment).',
  },
  'duty.set': {
    input: z.strictObject({ day: Day, entries: z.array(DutyEntry).max(100) }),
    output: Ok,
    write: true,
    summary: 'Set the duty roster of a day (managers).',
  },
  'settings.getRules': {
    input: z.strictObject({}),
    output: BranchRulesSchema,
    write: false,
    summary: "The branch's follow-up, pool and protection rules.",
  },
  'settings.setRules': {
    input: BranchRulesSchema.partial(),
    output: BranchRulesSchema,
    write: true,
    summary: 'Change rules (managers and admins); the scheduler uses them at its next run.',
  },
  'reports.lostReasons': {
    input: z.strictObject({ from: IsoTime, to: IsoTime }),
    output: z.object({ reasons: z.array(z.object({ reason: z.string(), count: z.number().int() })) }),
    write: false,
    summary: 'Lost clients by reason in a period (dashboard).',
  },
  'scheduler.run': {
    input: z.strictObject({}),
    output: z.object({ tasksCreated: z.number().int(), tasksResolved: z.number().int(), pooled: z.number().int(), escalated: z.number().int() }),
    write: true,
    summary: 'Run the rules now (managers and admins); the host also runs them every minute and after each change.',
  },
} as const satisfies ContractTable
