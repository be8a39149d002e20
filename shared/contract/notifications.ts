import { z } from 'zod'
import { Id, IsoTime, Ok, Page, PageInput, type ContractTable } from './common'
import { HostText } from './host-text'

export const Notification = z.object({
  id: Id,
  kind: z.string(),
  title: HostText,
  body: HostText,
  clientId: Id.nullable(),
  taskId: Id.nullable(),
  createdAt: IsoTime,
  read: z.boolean(),
})

export const notificationsContract = {
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
} as const satisfies ContractTable
