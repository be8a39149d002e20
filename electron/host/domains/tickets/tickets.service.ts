import type { z } from 'zod'
import { fullAccessScope } from '@shared/domain/client-access'
import type { Tier } from '@shared/domain/client-enums'
import { hostTextOf } from '@shared/domain/host-text-keys'
import { nextTicketState, ticketDeadline, ticketOverdue, type TicketAction, type TicketState } from '@shared/domain/tickets'
import { mayCloseTicket, mayDispatchTicket, mayHandleTicket, mayOpenTicket, seesTicket, type TicketParties } from '@shared/domain/tickets-access'
import type { Ticket, TicketCategory, TicketChannel } from '@shared/contract/tickets'
import { ApiFailure } from '../../api/api-failure'
import type { HandlerContext, HandlersOf, SessionInfo } from '../../api/handler'
import { requireSession } from '../../api/require-session'
import { ownerScopeOf } from '../care/care.repository'
import { ownershipOf, viewerOf } from '../clients/client-shape'
import { findClient } from '../clients/clients.repository'
import { notify } from '../notifications/notice'
import { insertTask } from '../tasks/tasks.repository'
import {
  endTicketTask,
  findCategory,
  findHandler,
  findTicket,
  insertCategory,
  insertTicket,
  listCategories,
  ticketsPage,
  ticketTaskId,
  ticketTaskKey,
  updateCategory,
  updateTicket,
  type CategoryRecord,
  type TicketRecord,
  type TicketScope,
} from './tickets.repository'

type TicketOut = z.infer<typeof Ticket>

function toCategory(r: CategoryRecord): z.infer<typeof TicketCategory> {
  return {
    id: r.id,
    code: r.code,
    kind: r.kind as z.infer<typeof TicketCategory>['kind'],
    nameZh: r.name_zh,
    nameEn: r.name_en,
    hours: { vip: r.hours_vip, key: r.hours_key, normal: r.hours_normal, potential: r.hours_potential },
    active: r.active === 1,
    version: r.version,
  }
}

function partiesOf(r: TicketRecord): TicketParties {
  return { ownerId: r.owner_id, ownerTeam: r.owner_team, intakeBy: r.intake_by, assigneeId: r.assignee_id }
}

function toTicket(r: TicketRecord, nowIso: string): TicketOut {
  const state = r.state as TicketState
  return {
    id: r.id,
    client: { id: r.client_id, code: r.client_code, name: r.client_name, tier: r.client_tier as Tier, owner: r.owner_id === null ? null : { id: r.owner_id, name: r.owner_name ?? '' } },
    categoryId: r.category_id,
    channel: r.channel as z.infer<typeof TicketChannel>,
    content: r.content,
    state,
    intakeBy: { id: r.intake_by, name: r.intake_name },
    assignee: r.assignee_id === null ? null : { id: r.assignee_id, name: r.assignee_name ?? '' },
    deadlineAt: r.deadline_at,
    overdue: ticketOverdue({ state, deadlineAt: r.deadline_at }, nowIso),
    createdAt: r.created_at,
    dispatchedAt: r.dispatched_at,
    handlingAt: r.handling_at,
    fedBackAt: r.fed_back_at,
    feedback: r.feedback,
    closedAt: r.closed_at,
    returnVisit: r.return_visit,
    satisfaction: r.satisfaction,
    version: r.version,
  }
}

/** A ticket the caller sees: NOT_FOUND when there is none, FORBIDDEN when it is not theirs to see. */
async function visibleTicket(ctx: HandlerContext, s: SessionInfo, id: number): Promise<TicketRecord> {
  const t = await findTicket(ctx.db, id)
  if (!t) throw new ApiFailure('NOT_FOUND', `no ticket ${id}`, 'id')
  if (!seesTicket(viewerOf(s), partiesOf(t))) throw new ApiFailure('FORBIDDEN', 'you may not see this ticket', 'id', 'no_ticket_access')
  return t
}

/** The state an action leads to, or a CONFLICT naming the state the ticket is in. */
function nextState(t: TicketRecord, action: TicketAction): TicketState {
  const to = nextTicketState(t.state as TicketState, action)
  if (to === null) throw new ApiFailure('CONFLICT', `a ${t.state} ticket cannot do ${action}`, 'id', 'ticket_state', { state: t.state })
  return to
}

/** Writes a change to a ticket read at `version` (STALE_WRITE when it moved meanwhile) and answers the ticket as it now is. */
async function saveTicket(ctx: HandlerContext, t: TicketRecord, version: number, change: Parameters<typeof updateTicket>[3]): Promise<TicketOut> {
  const now = ctx.clock.now().toISOString()
  if (t.version !== version || !(await updateTicket(ctx.db, t.id, version, change, now))) {
    throw new ApiFailure('STALE_WRITE', 'this ticket changed meanwhile; reload', 'version', 'stale')
  }
  ctx.auditTarget(`ticket:${t.id}`)
  const after = await findTicket(ctx.db, t.id)
  if (!after) throw new ApiFailure('INTERNAL', 'the ticket went away')
  return toTicket(after, now)
}

/** The caller's scope over tickets: a manager's all, else their own and those of the clients they see in full. */
async function scopeOf(ctx: HandlerContext, s: SessionInfo): Promise<TicketScope> {
  if (s.role === 'manager') return 'all'
  const full = fullAccessScope(viewerOf(s))
  // the desk sees every client's basics but only the tickets it took in or handles
  return { staffId: s.staffId, owners: full === 'none' ? null : await ownerScopeOf(ctx.db, full) }
}

/** Complaints and service tickets (issue #20): intake, dispatch with a deadline, handling, feedback, return visit. */
export const ticketsHandlers: HandlersOf<'tickets'> = {
  'tickets.categories': async (_input, ctx) => {
    requireSession(ctx)
    return { categories: (await listCategories(ctx.db)).map(toCategory) }
  },

  'tickets.saveCategory': async ({ id, version, ...values }, ctx) => {
    requireSession(ctx)
    let saved: number
    if (id === undefined) saved = await insertCategory(ctx.db, values)
    else {
      const before = await findCategory(ctx.db, id)
      if (!before) throw new ApiFailure('NOT_FOUND', `no category ${id}`, 'id')
      if (version === undefined) throw new ApiFailure('VALIDATION', 'pass the version you read', 'version', 'required')
      if (!(await updateCategory(ctx.db, id, version, values))) throw new ApiFailure('STALE_WRITE', 'this category changed meanwhile; reload', 'version', 'stale')
      saved = id
    }
    ctx.auditTarget(`ticket-category:${saved}`)
    const after = await findCategory(ctx.db, saved)
    if (!after) throw new ApiFailure('INTERNAL', 'the category went away')
    return toCategory(after)
  },

  'tickets.create': async (input, ctx) => {
    const s = requireSession(ctx)
    const c = await findClient(ctx.db, input.clientId)
    // one answer for a client that does not exist and one the caller may not see: nothing tells them apart
    if (!c || c.merged_into !== null || !mayOpenTicket(viewerOf(s), ownershipOf(c))) {
      throw new ApiFailure('FORBIDDEN', 'you may not open a ticket for this client', 'clientId', 'no_client_access')
    }
    const category = await findCategory(ctx.db, input.categoryId)
    if (!category) throw new ApiFailure('NOT_FOUND', `no category ${input.categoryId}`, 'categoryId')
    if (category.active !== 1) throw new ApiFailure('VALIDATION', 'this category is no longer used', 'categoryId', 'inactive_category')
    const now = ctx.clock.now().toISOString()
    const id = await insertTicket(ctx.db, { clientId: c.id, categoryId: category.id, channel: input.channel, content: input.content, intakeBy: s.staffId, at: now })
    ctx.auditTarget(`ticket:${id}`)
    const t = await findTicket(ctx.db, id)
    if (!t) throw new ApiFailure('INTERNAL', 'the ticket went away')
    return toTicket(t, now)
  },

  'tickets.list': async ({ state, mine, clientId, overdue, offset, limit }, ctx) => {
    const s = requireSession(ctx)
    const now = ctx.clock.now().toISOString()
    const page = await ticketsPage(
      ctx.db,
      await scopeOf(ctx, s),
      { state, clientId, assigneeId: mine ? s.staffId : undefined, overdueAt: overdue ? now : undefined },
      offset,
      limit,
    )
    return { rows: page.rows.map((r) => toTicket(r, now)), total: page.total }
  },

  'tickets.get': async ({ id }, ctx) => {
    const s = requireSession(ctx)
    return toTicket(await visibleTicket(ctx, s, id), ctx.clock.now().toISOString())
  },

  'tickets.dispatch': async ({ id, version, assigneeId }, ctx) => {
    const s = requireSession(ctx)
    const t = await visibleTicket(ctx, s, id)
    if (!mayDispatchTicket(viewerOf(s), partiesOf(t))) throw new ApiFailure('FORBIDDEN', 'only a manager or whoever took it in dispatches a ticket', 'id', 'no_ticket_access')
    const to = nextState(t, 'dispatch')
    const who = await findHandler(ctx.db, assigneeId)
    if (!who) throw new ApiFailure('NOT_FOUND', `no active staff member ${assigneeId} to take it`, 'assigneeId')
    const category = await findCategory(ctx.db, t.category_id)
    if (!category) throw new ApiFailure('INTERNAL', 'the ticket has no category')
    const now = ctx.clock.now().toISOString()
    const hours = toCategory(category).hours
    const deadline = ticketDeadline(hours, t.client_tier as Tier, now)
    const dispatch = t.dispatches + 1
    // the previous handler's task ends: the ticket is someone else's (or theirs again, anew)
    if (t.dispatches > 0) await endTicketTask(ctx.db, t.id, t.dispatches, 'cancelled', now)
    const out = await saveTicket(ctx, t, version, { state: to, assignee_id: who.id, deadline_at: deadline, dispatched_at: now, handling_at: null, dispatches: dispatch })
    // a task of the handler's, due at the deadline: the follow-up engine escalates it to the managers when overdue
    const title = hostTextOf('task.ticket')
    await insertTask(ctx.db, { staffId: who.id, clientId: t.client_id, rule: 'ticket', title, detail: t.client_name, dueAt: deadline, eventKey: ticketTaskKey(t.id, dispatch), at: now })
    const taskId = await ticketTaskId(ctx.db, t.id, dispatch)
    await notify(ctx, [{ staffId: who.id, kind: 'task', title, body: hostTextOf('notice.subject', { subject: t.client_name }), clientId: t.client_id, taskId }])
    return out
  },

  'tickets.start': async ({ id, version }, ctx) => {
    const s = requireSession(ctx)
    const t = await visibleTicket(ctx, s, id)
    if (!mayHandleTicket(viewerOf(s), partiesOf(t))) throw new ApiFailure('FORBIDDEN', 'this ticket went to someone else', 'id', 'no_ticket_access')
    return saveTicket(ctx, t, version, { state: nextState(t, 'start'), handling_at: ctx.clock.now().toISOString() })
  },

  'tickets.feedBack': async ({ id, version, feedback }, ctx) => {
    const s = requireSession(ctx)
    const t = await visibleTicket(ctx, s, id)
    if (!mayHandleTicket(viewerOf(s), partiesOf(t))) throw new ApiFailure('FORBIDDEN', 'this ticket went to someone else', 'id', 'no_ticket_access')
    const to = nextState(t, 'feedBack')
    const now = ctx.clock.now().toISOString()
    const out = await saveTicket(ctx, t, version, { state: to, fed_back_at: now, feedback })
    // the client has their answer: the handler's task is done (and escalates no more)
    await endTicketTask(ctx.db, t.id, t.dispatches, 'done', now)
    return out
  },

  'tickets.close': async ({ id, version, returnVisit, satisfaction }, ctx) => {
    const s = requireSession(ctx)
    const t = await visibleTicket(ctx, s, id)
    if (!mayCloseTicket(viewerOf(s), partiesOf(t))) throw new ApiFailure('FORBIDDEN', 'a manager or whoever took it in closes a ticket', 'id', 'no_ticket_access')
    return saveTicket(ctx, t, version, { state: nextState(t, 'close'), closed_at: ctx.clock.now().toISOString(), return_visit: returnVisit, satisfaction })
  },
}
