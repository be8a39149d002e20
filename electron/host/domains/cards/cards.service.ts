import type { Selectable } from 'kysely'
import { DAY_MS } from '@shared/domain/rules'
import { ApiFailure } from '../../api/api-failure'
import type { DomainHandlers, HandlerContext } from '../../api/handler'
import { requireSession } from '../../api/require-session'
import type { MemberCardsTable } from '../../db/schema'
import { pushNotices } from '../../scheduler/evaluate-client'
import { refreshDerived } from '../clients/client-derived'
import { mayServeClient } from '@shared/domain/client-access'
import { mustServe } from '../clients/client-guards'
import { toClientRow, viewerOf } from '../clients/client-shape'
import { mustFindClient, snapshot } from '../clients/clients.service'
import { standingOf } from '../club/club.repository'
import { getRules } from '../settings/rules.repository'
import { findCard, insertCard, mustUidOfRead, uidOfRead } from './card-read'
import { selectTasks, toTask } from '../tasks/tasks.service'
import { selectViewings, toViewing } from '../viewings/viewings.service'

function toCard(c: Selectable<MemberCardsTable>) {
  return { id: c.id, uid: c.uid, clientId: c.client_id, status: c.status as 'active', issuedAt: c.issued_at, lostAt: c.lost_at, replacedBy: c.replaced_by }
}

async function mustFindCard(ctx: HandlerContext, id: number) {
  const c = await ctx.db.selectFrom('member_cards').selectAll().where('id', '=', id).executeTakeFirst()
  if (!c) throw new ApiFailure('NOT_FOUND', `no card ${id}`, 'cardId')
  return c
}

/**
 * The front-desk client card: everything the desk needs about who is standing there. The club
 * standing, last viewings and open tasks are service records: the desk and viewers with full
 * access see them, a colleague swiping someone else's client sees the basics only.
 */
export async function deskCard(ctx: HandlerContext, clientId: number, card: Selectable<MemberCardsTable> | null) {
  const c = await mustFindClient(ctx.db, clientId)
  const viewer = viewerOf(requireSession(ctx))
  const row = toClientRow(c, viewer)
  const serves = mayServeClient(viewer, { ownerId: c.owner_id, ownerTeam: c.owner_team })
  const nowIso = ctx.clock.now().toISOString()
  const [club, viewings, tasks, visit] = await Promise.all([
    serves ? standingOf(ctx.db, clientId) : null,
    serves ? selectViewings(ctx.db).where('v.client_id', '=', clientId).where('v.status', '!=', 'cancelled').orderBy('v.starts_at', 'desc').limit(3).execute() : [],
    serves ? selectTasks(ctx.db).where('t.client_id', '=', clientId).where('t.status', '=', 'open').orderBy('t.due_at').limit(5).execute() : [],
    ctx.db.selectFrom('visits').select('at').where('client_id', '=', clientId).orderBy('at', 'desc').limit(1).executeTakeFirst(),
  ])
  return {
    clientId: c.id,
    code: c.code,
    name: c.name,
    kind: row.kind,
    tier: row.tier,
    stage: row.stage,
    phone: row.phone,
    owner: row.owner,
    protectedUntil: c.protected_until,
    blacklisted: row.blacklisted,
    blacklistReason: row.blacklistReason,
    entrustedOther: c.entrusted_other === 1,
    entrustedAgencies: c.entrusted_agencies,
    club,
    lastViewings: viewings.map((v) => toViewing(v, viewer)),
    openTasks: tasks.map((t) => toTask(t, nowIso)),
    card: card ? { id: card.id, uid: card.uid, status: card.status as 'active' } : null,
    lastVisitAt: visit?.at ?? null,
  }
}

export const cardsHandlers: DomainHandlers<'cards.identify' | 'cards.issue' | 'cards.reportLost' | 'cards.replace' | 'cards.list' | 'frontdesk.registerVisit'> = {
  'cards.identify': async ({ read, log }, ctx) => {
    const s = requireSession(ctx)
    const at = ctx.clock.now().toISOString()
    const raw = 'uid' in read ? read.uid : read.text
    const logSwipe = async (result: string, uid: string | null, card?: Selectable<MemberCardsTable>) => {
      // every swipe is on record, including unreadable and unknown cards
      if (log) {
        await ctx.db
          .insertInto('swipe_log')
          .values({ uid, raw, card_id: card?.id ?? null, client_id: card?.client_id ?? null, result, staff_id: s.staffId, address: ctx.address, at })
          .execute()
      }
    }
    const parsed = uidOfRead(read)
    if (!parsed.ok) {
      await logSwipe('unreadable', null)
      return { status: 'unreadable' as const, message: parsed.message }
    }
    const found = await findCard(ctx.db, parsed.uid)
    if (!found.card) {
      await logSwipe(found.ambiguous ? 'ambiguous' : 'unknown', parsed.uid)
      return { status: 'unknown' as const, uid: parsed.uid }
    }
    const card = found.card
    await logSwipe(card.status === 'active' ? 'known' : card.status, parsed.uid, card)
    const desk = await deskCard(ctx, card.client_id, card)
    if (card.status !== 'active') {
      await ctx.audit('cards.blockedSwipe', `card:${card.id}`, { uid: parsed.uid, status: card.status })
      return { status: card.status as 'lost', uid: parsed.uid, card: desk }
    }
    return { status: 'known' as const, uid: parsed.uid, card: desk }
  },

  'cards.issue': async ({ clientId, read, note }, ctx) => {
    const s = requireSession(ctx)
    const uid = mustUidOfRead(read)
    const c = await mustFindClient(ctx.db, clientId, 'clientId')
    mustServe(s, c, 'clientId')
    const live = await ctx.db.selectFrom('member_cards').select('uid').where('client_id', '=', clientId).where('status', '=', 'active').executeTakeFirst()
    if (live) throw new ApiFailure('CONFLICT', `${c.name} already has card ${live.uid}; replace it instead`, 'clientId', 'has_card', { uid: live.uid })
    const card = await insertCard(ctx.db, uid, clientId, viewerOf(s), ctx.clock.now().toISOString(), note ?? null)
    await refreshDerived(ctx.db, clientId)
    ctx.auditTarget(`card:${card.id}`)
    return toCard(card)
  },

  'cards.reportLost': async ({ cardId, note }, ctx) => {
    const card = await mustFindCard(ctx, cardId)
    mustServe(requireSession(ctx), await mustFindClient(ctx.db, card.client_id, 'cardId'), 'cardId')
    if (card.status !== 'active') throw new ApiFailure('CONFLICT', `this card is already ${card.status}`, 'cardId', 'card_not_active')
    const at = ctx.clock.now().toISOString()
    const updated = await ctx.db
      .updateTable('member_cards')
      .set({ status: 'lost', lost_at: at, note: note ?? card.note })
      .where('id', '=', cardId)
      .returningAll()
      .executeTakeFirstOrThrow()
    await refreshDerived(ctx.db, card.client_id)
    ctx.auditTarget(`card:${cardId}`)
    return toCard(updated)
  },

  'cards.replace': async ({ cardId, read }, ctx) => {
    const s = requireSession(ctx)
    const old = await mustFindCard(ctx, cardId)
    mustServe(s, await mustFindClient(ctx.db, old.client_id, 'cardId'), 'cardId')
    if (old.status === 'replaced') throw new ApiFailure('CONFLICT', 'this card was already replaced', 'cardId', 'card_replaced')
    const uid = mustUidOfRead(read)
    const at = ctx.clock.now().toISOString()
    // the old card leaves the "one live card" slot before the new one takes it
    await ctx.db.updateTable('member_cards').set({ status: 'replaced', lost_at: old.lost_at ?? at }).where('id', '=', cardId).execute()
    const fresh = await insertCard(ctx.db, uid, old.client_id, viewerOf(s), at, `补卡，替换 ${old.uid}`)
    await ctx.db.updateTable('member_cards').set({ replaced_by: fresh.id }).where('id', '=', cardId).execute()
    await refreshDerived(ctx.db, old.client_id)
    ctx.auditTarget(`card:${cardId}->card:${fresh.id}`)
    return toCard(fresh)
  },

  'cards.list': async ({ clientId }, ctx) => {
    mustServe(requireSession(ctx), await mustFindClient(ctx.db, clientId, 'clientId'), 'clientId')
    const rows = await ctx.db.selectFrom('member_cards').selectAll().where('client_id', '=', clientId).orderBy('id', 'desc').execute()
    return { cards: rows.map(toCard) }
  },

  'frontdesk.registerVisit': async ({ clientId, cardId }, ctx) => {
    const s = requireSession(ctx)
    const c = await mustFindClient(ctx.db, clientId, 'clientId')
    if (cardId !== undefined) {
      const card = await mustFindCard(ctx, cardId)
      if (card.client_id !== clientId) throw new ApiFailure('VALIDATION', 'this card belongs to someone else', 'cardId', 'card_other_client')
      if (card.status !== 'active') throw new ApiFailure('CONFLICT', `this card is ${card.status}`, 'cardId', 'card_not_active')
    }
    const now = ctx.clock.now()
    const at = now.toISOString()
    const rules = await getRules(ctx.db)
    // the visit protection period (DESIGN §6): the owner keeps the client at least this long
    let protectedUntil = c.protected_until
    if (c.owner_id !== null) {
      const visitEnd = new Date(now.getTime() + rules.visitProtectionDays * DAY_MS).toISOString()
      if (!protectedUntil || protectedUntil < visitEnd) protectedUntil = visitEnd
    }
    await ctx.db
      .updateTable('clients')
      .set({ protected_until: protectedUntil, last_activity_at: at, updated_at: at, version: c.version + 1 })
      .where('id', '=', clientId)
      .execute()
    const visit = await ctx.db
      .insertInto('visits')
      .values({ client_id: clientId, card_id: cardId ?? null, registered_by: s.staffId, owner_id: c.owner_id, at, protected_until: protectedUntil })
      .returning('id')
      .executeTakeFirstOrThrow()
    if (c.owner_id !== null) {
      const title = '客户到店'
      const body = `${c.name}（${c.code}）已到店，前台：${s.name}`
      await ctx.db.insertInto('notifications').values({ staff_id: c.owner_id, kind: 'visit', title, body, client_id: clientId, task_id: null, created_at: at }).execute()
      pushNotices(ctx, [{ staffId: c.owner_id, title, body, clientId, taskId: null }])
    }
    ctx.auditTarget(`client:${clientId}`)
    await snapshot(ctx, clientId)
    return { visitId: visit.id, protectedUntil, ownerNotified: c.owner_id !== null }
  },
}
