import { ApiFailure } from '../../api/api-failure'
import type { HandlersOf } from '../../api/handler'
import { requireSession } from '../../api/require-session'
import { textOf } from '../../db/stored-text'
import { markRead, notificationsPage } from './notifications.repository'

/** Each staff member's in-app notifications (the same ones pushed as notice.new). */
export const notificationsHandlers: HandlersOf<'notifications'> = {
  'notifications.list': async ({ unreadOnly, offset, limit }, ctx) => {
    const s = requireSession(ctx)
    const page = await notificationsPage(ctx.db, s.staffId, unreadOnly, offset, limit)
    return {
      total: page.total,
      rows: page.rows.map((n) => ({
        id: n.id,
        kind: n.kind,
        title: textOf(n.title_key, n.title_params),
        body: textOf(n.body_key, n.body_params),
        clientId: n.client_id,
        taskId: n.task_id,
        createdAt: n.created_at,
        read: n.read_at !== null,
      })),
    }
  },

  'notifications.markRead': async ({ ids, all }, ctx) => {
    const s = requireSession(ctx)
    if (!all && !ids?.length) throw new ApiFailure('VALIDATION', 'say which notifications', 'ids', 'too_small')
    await markRead(ctx.db, s.staffId, all ? 'all' : (ids ?? []), ctx.clock.now().toISOString())
    return { ok: true as const }
  },
}
