import type { HostText } from '@shared/contract/host-text'
import type { HandlerContext } from '../../api/handler'
import type { HostEvents } from '../../api/events'
import { insertNotices } from './notifications.repository'

/** An in-app notification for one staff member, pushed to their screens (and an OS notice on the desktop). */
export interface Notice {
  staffId: number
  /** what it is about: task, pool, assignment, visit, change */
  kind: string
  title: HostText
  body: HostText
  clientId: number | null
  taskId: number | null
}

/** Pushes stored notices to their receivers (call once the transaction that stored them has committed). */
export function publishNotices(events: HostEvents, notices: readonly Notice[]): void {
  for (const n of notices) {
    events.publish('notice.new', { title: n.title, body: n.body, clientId: n.clientId, taskId: n.taskId }, { kind: 'staff', staffId: n.staffId })
  }
}

/** Stores notices in the call's transaction and pushes them once it has committed. */
export async function notify(ctx: Pick<HandlerContext, 'db' | 'clock' | 'events' | 'afterCommit'>, notices: readonly Notice[]): Promise<void> {
  if (notices.length === 0) return
  await insertNotices(ctx.db, notices, ctx.clock.now().toISOString())
  ctx.afterCommit(() => publishNotices(ctx.events, notices))
}
