import type { Kysely } from 'kysely'
import { branchDay, branchDayStart, DAY_MS } from '@shared/domain/rules'
import { ApiFailure } from '../../api/api-failure'
import type { DomainHandlers } from '../../api/handler'
import { requireSession } from '../../api/require-session'
import type { DB } from '../../db/schema'
import { toClientRow, viewerOf } from '../clients/client-shape'
import { selectClientRows } from '../clients/clients.repository'
import { getRules } from '../settings/rules.repository'
import { selectViewings, toViewing } from '../viewings/viewings.service'

/** Tasks with their client's name and code. */
export function selectTasks(db: Kysely<DB>) {
  return db
    .selectFrom('tasks as t')
    .leftJoin('clients as c', 'c.id', 't.client_id')
    .selectAll('t')
    .select(['c.name as client_name', 'c.code as client_code'])
}
export type TaskRow = Awaited<ReturnType<ReturnType<typeof selectTasks>['executeTakeFirstOrThrow']>>

/** A task as the API shows it; overdue when open past its due time. */
export function toTask(r: TaskRow, nowIso: string) {
  return {
    id: r.id,
    staffId: r.staff_id,
    clientId: r.client_id,
    clientName: r.client_name,
    clientCode: r.client_code,
    rule: r.rule,
    title: r.title,
    detail: r.detail,
    dueAt: r.due_at,
    status: r.status as 'open',
    overdue: r.status === 'open' && r.due_at < nowIso,
    createdAt: r.created_at,
  }
}

export const tasksHandlers: DomainHandlers<'tasks.today' | 'tasks.list' | 'tasks.complete' | 'notifications.list' | 'notifications.markRead'> = {
  'tasks.today': async (_input, ctx) => {
    const s = requireSession(ctx)
    const now = ctx.clock.now()
    const nowIso = now.toISOString()
    const day = branchDay(now)
    const dayStart = branchDayStart(day)
    const dayEnd = new Date(Date.parse(dayStart) + DAY_MS).toISOString()
    const rules = await getRules(ctx.db)
    const open = selectTasks(ctx.db).where('t.staff_id', '=', s.staffId).where('t.status', '=', 'open')
    const [overdue, due, waking, viewings, claimed, unread] = await Promise.all([
      open.where('t.rule', '!=', 'wake').where('t.due_at', '<', nowIso).orderBy('t.due_at').limit(100).execute(),
      open.where('t.rule', '!=', 'wake').where('t.due_at', '>=', nowIso).where('t.due_at', '<', dayEnd).orderBy('t.due_at').limit(100).execute(),
      open.where('t.rule', '=', 'wake').orderBy('t.due_at').limit(50).execute(),
      selectViewings(ctx.db)
        .where('v.agent_id', '=', s.staffId)
        .where('v.starts_at', '>=', dayStart)
        .where('v.starts_at', '<', dayEnd)
        .where('v.status', '!=', 'cancelled')
        .orderBy('v.starts_at')
        .execute(),
      selectClientRows(ctx.db)
        .where('c.owner_id', '=', s.staffId)
        .where('c.claimed_at', '>=', new Date(now.getTime() - rules.claimObligationDays * DAY_MS).toISOString())
        .where('c.merged_into', 'is', null)
        .orderBy('c.claimed_at', 'desc')
        .limit(50)
        .execute(),
      ctx.db
        .selectFrom('notifications')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('staff_id', '=', s.staffId)
        .where('read_at', 'is', null)
        .executeTakeFirstOrThrow(),
    ])
    return {
      day,
      overdue: overdue.map((t) => toTask(t, nowIso)),
      due: due.map((t) => toTask(t, nowIso)),
      wakingUp: waking.map((t) => toTask(t, nowIso)),
      viewings: viewings.map((v) => toViewing(v, viewerOf(s))),
      claimed: claimed.map((c) => toClientRow(c, viewerOf(s))),
      unreadNotifications: unread.n,
    }
  },

  'tasks.list': async ({ status, staffId, offset, limit }, ctx) => {
    const s = requireSession(ctx)
    const who = staffId ?? s.staffId
    if (who !== s.staffId && s.role !== 'manager') throw new ApiFailure('FORBIDDEN', 'only a manager sees other people’s tasks', 'staffId')
    const q = ctx.db.selectFrom('tasks as t').where('t.staff_id', '=', who).where('t.status', '=', status)
    const nowIso = ctx.clock.now().toISOString()
    const [rows, total] = await Promise.all([
      selectTasks(ctx.db).where('t.staff_id', '=', who).where('t.status', '=', status).orderBy('t.due_at', status === 'open' ? 'asc' : 'desc').offset(offset).limit(limit).execute(),
      q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ])
    return { rows: rows.map((t) => toTask(t, nowIso)), total: total.n }
  },

  'tasks.complete': async ({ id }, ctx) => {
    const s = requireSession(ctx)
    const t = await selectTasks(ctx.db).where('t.id', '=', id).executeTakeFirst()
    if (!t) throw new ApiFailure('NOT_FOUND', `no task ${id}`, 'id')
    if (t.staff_id !== s.staffId) throw new ApiFailure('FORBIDDEN', 'not your task', 'id')
    if (t.status !== 'open') throw new ApiFailure('CONFLICT', 'this task is already closed', 'id', 'task_closed')
    const now = ctx.clock.now().toISOString()
    await ctx.db.updateTable('tasks').set({ status: 'done', done_at: now }).where('id', '=', id).execute()
    ctx.auditTarget(`task:${id}`)
    return toTask({ ...t, status: 'done', done_at: now }, now)
  },

  'notifications.list': async ({ unreadOnly, offset, limit }, ctx) => {
    const s = requireSession(ctx)
    let q = ctx.db.selectFrom('notifications').where('staff_id', '=', s.staffId)
    if (unreadOnly) q = q.where('read_at', 'is', null)
    const [rows, total] = await Promise.all([
      q.selectAll().orderBy('id', 'desc').offset(offset).limit(limit).execute(),
      q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ])
    return {
      total: total.n,
      rows: rows.map((n) => ({ id: n.id, kind: n.kind, title: n.title, body: n.body, clientId: n.client_id, taskId: n.task_id, createdAt: n.created_at, read: n.read_at !== null })),
    }
  },

  'notifications.markRead': async ({ ids, all }, ctx) => {
    const s = requireSession(ctx)
    if (!all && !ids?.length) throw new ApiFailure('VALIDATION', 'say which notifications', 'ids', 'too_small')
    let q = ctx.db.updateTable('notifications').set({ read_at: ctx.clock.now().toISOString() }).where('staff_id', '=', s.staffId).where('read_at', 'is', null)
    if (!all) q = q.where('id', 'in', ids ?? [])
    await q.execute()
    return { ok: true as const }
  },
}
