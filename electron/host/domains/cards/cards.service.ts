import { ApiFailure } from '../../api/api-failure'
import type { HandlersOf } from '../../api/handler'
import { requireSession } from '../../api/require-session'
import { refreshDerived } from '../clients/client-derived'
import { mustServe } from '../clients/client-guards'
import { mustFindClient } from '../clients/client-lookup'
import { viewerOf } from '../clients/client-shape'
import { findCard, issueCard, mustFindCard, mustUidOfRead, uidOfRead } from './card-read'
import { cardsOf, liveCardOf, logSwipe, markCardLost, markCardReplaced, setReplacedBy, type CardRecord } from './cards.repository'
import { deskCard } from './desk-card'

function toCard(c: CardRecord) {
  return { id: c.id, uid: c.uid, clientId: c.client_id, status: c.status as 'active', issuedAt: c.issued_at, lostAt: c.lost_at, replacedBy: c.replaced_by }
}

/** Member cards: who is at the counter (a swipe), issuing, losing and replacing cards. */
export const cardsHandlers: HandlersOf<'cards'> = {
  'cards.identify': async ({ read, log }, ctx) => {
    const s = requireSession(ctx)
    const at = ctx.clock.now().toISOString()
    const raw = 'uid' in read ? read.uid : read.text
    const swiped = async (result: string, uid: string | null, card?: CardRecord) => {
      // every swipe is on record, including unreadable and unknown cards
      if (log) await logSwipe(ctx.db, { uid, raw, cardId: card?.id ?? null, clientId: card?.client_id ?? null, result, staffId: s.staffId, address: ctx.address, at })
    }
    const parsed = uidOfRead(read)
    if (!parsed.ok) {
      await swiped('unreadable', null)
      return { status: 'unreadable' as const, message: parsed.message }
    }
    const found = await findCard(ctx.db, parsed.uid)
    if (!found.card) {
      await swiped(found.ambiguous ? 'ambiguous' : 'unknown', parsed.uid)
      return { status: 'unknown' as const, uid: parsed.uid }
    }
    const card = found.card
    await swiped(card.status === 'active' ? 'known' : card.status, parsed.uid, card)
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
    const live = await liveCardOf(ctx.db, clientId)
    if (live) throw new ApiFailure('CONFLICT', `${c.name} already has card ${live.uid}; replace it instead`, 'clientId', 'has_card', { uid: live.uid })
    const card = await issueCard(ctx.db, uid, clientId, viewerOf(s), ctx.clock.now().toISOString(), note ?? null)
    await refreshDerived(ctx.db, clientId)
    ctx.auditTarget(`card:${card.id}`)
    return toCard(card)
  },

  'cards.reportLost': async ({ cardId, note }, ctx) => {
    const card = await mustFindCard(ctx.db, cardId)
    mustServe(requireSession(ctx), await mustFindClient(ctx.db, card.client_id, 'cardId'), 'cardId')
    if (card.status !== 'active') throw new ApiFailure('CONFLICT', `this card is already ${card.status}`, 'cardId', 'card_not_active')
    const updated = await markCardLost(ctx.db, cardId, ctx.clock.now().toISOString(), note ?? card.note)
    await refreshDerived(ctx.db, card.client_id)
    ctx.auditTarget(`card:${cardId}`)
    return toCard(updated)
  },

  'cards.replace': async ({ cardId, read }, ctx) => {
    const s = requireSession(ctx)
    const old = await mustFindCard(ctx.db, cardId)
    mustServe(s, await mustFindClient(ctx.db, old.client_id, 'cardId'), 'cardId')
    if (old.status === 'replaced') throw new ApiFailure('CONFLICT', 'this card was already replaced', 'cardId', 'card_replaced')
    const uid = mustUidOfRead(read)
    const at = ctx.clock.now().toISOString()
    // the old card leaves the "one live card" slot before the new one takes it
    await markCardReplaced(ctx.db, cardId, old.lost_at ?? at)
    // the old card's replaced_by says which card replaced it: the new one needs no note
    const fresh = await issueCard(ctx.db, uid, old.client_id, viewerOf(s), at, null)
    await setReplacedBy(ctx.db, cardId, fresh.id)
    await refreshDerived(ctx.db, old.client_id)
    ctx.auditTarget(`card:${cardId}->card:${fresh.id}`)
    return toCard(fresh)
  },

  'cards.list': async ({ clientId }, ctx) => {
    mustServe(requireSession(ctx), await mustFindClient(ctx.db, clientId, 'clientId'), 'clientId')
    return { cards: (await cardsOf(ctx.db, clientId)).map(toCard) }
  },
}
