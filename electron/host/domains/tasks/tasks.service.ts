import { branchDay, branchDayStart, DAY_MS } from '@shared/domain/rules'
import { ApiFailure } from '../../api/api-failure'
import type { HandlersOf } from '../../api/handler'
import { requireSession } from '../../api/require-session'
import { toClientRow, viewerOf } from '../clients/client-shape'
import { callProcedure } from '../../db/procedures'
import { toViewing } from '../viewings/viewing-shape'
import { toTask } from './task-shape'
import { activeAgents, teamDayCounts } from './team-day.repository'
import { findTask, markTaskDone, tasksPage } from './tasks.repository'
import { todayProcedure } from './today-procedure'

/** Tasks the rules (and follow-ups' next actions) set, and the agent's home screen built on them. */
export const tasksHandlers: HandlersOf<'tasks'> = {
  'tasks.today': async (_input, ctx) => {
    const s = requireSession(ctx)
    const now = ctx.clock.now()
    const nowIso = now.toISOString()
    const day = branchDay(now)
    const dayStart = branchDayStart(day)
    const dayEnd = new Date(Date.parse(dayStart) + DAY_MS).toISOString()
    const { tasks, viewings, claimed, unread } = await callProcedure(ctx.db, todayProcedure, { staffId: s.staffId, now: nowIso, dayStart, dayEnd })
    return {
      day,
      overdue: tasks.overdue.map((t) => toTask(t, nowIso)),
      due: tasks.due.map((t) => toTask(t, nowIso)),
      wakingUp: tasks.waking.map((t) => toTask(t, nowIso)),
      viewings: viewings.map((v) => toViewing(v, viewerOf(s))),
      claimed: claimed.map((c) => toClientRow(c, viewerOf(s))),
      unreadNotifications: unread,
    }
  },

  'tasks.list': async ({ status, staffId, offset, limit }, ctx) => {
    const s = requireSession(ctx)
    const who = staffId ?? s.staffId
    if (who !== s.staffId && s.role !== 'manager') throw new ApiFailure('FORBIDDEN', 'only a manager sees other people’s tasks', 'staffId')
    const nowIso = ctx.clock.now().toISOString()
    const page = await tasksPage(ctx.db, who, status, offset, limit)
    return { rows: page.rows.map((t) => toTask(t, nowIso)), total: page.total }
  },

  'tasks.team': async (_input, ctx) => {
    requireSession(ctx)
    const now = ctx.clock.now()
    const day = branchDay(now)
    const dayStart = branchDayStart(day)
    const dayEnd = new Date(Date.parse(dayStart) + DAY_MS).toISOString()
    const [agents, counts] = await Promise.all([activeAgents(ctx.db), teamDayCounts(ctx.db, { now: now.toISOString(), dayStart, dayEnd, day })])
    const of = (m: Map<number, number>, id: number) => m.get(id) ?? 0
    return {
      day,
      agents: agents.map((a) => ({
        staffId: a.id,
        name: a.name,
        role: a.role === 'senior_agent' ? ('senior_agent' as const) : ('agent' as const),
        team: a.team,
        overdue: of(counts.overdue, a.id),
        escalated: of(counts.escalated, a.id),
        dueToday: of(counts.dueToday, a.id),
        viewingsToday: of(counts.viewings, a.id),
        visitsToday: of(counts.visits, a.id),
        claimsToday: of(counts.claims, a.id),
      })),
      pendingApprovals: counts.pendingApprovals,
    }
  },

  'tasks.complete': async ({ id }, ctx) => {
    const s = requireSession(ctx)
    const t = await findTask(ctx.db, id)
    if (!t) throw new ApiFailure('NOT_FOUND', `no task ${id}`, 'id')
    if (t.staff_id !== s.staffId) throw new ApiFailure('FORBIDDEN', 'not your task', 'id')
    if (t.status !== 'open') throw new ApiFailure('CONFLICT', 'this task is already closed', 'id', 'task_closed')
    const now = ctx.clock.now().toISOString()
    await markTaskDone(ctx.db, id, now)
    ctx.auditTarget(`task:${id}`)
    return toTask({ ...t, status: 'done', done_at: now }, now)
  },
}
