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
  'tasks.complete': {
    input: z.strictObject({ id: Id, note: textField('note', 500).optional() }),
    output: Task,
    write: true,
    summary: 'Mark one of your tasks done.',
  },
} as const satisfies ContractTable
