import { hostTextOf } from '@shared/domain/host-text-keys'
import { DAY_MS } from '@shared/domain/rules'
import { ApiFailure } from '../../api/api-failure'
import type { HandlersOf } from '../../api/handler'
import { requireSession } from '../../api/require-session'
import { mustFindCard } from '../cards/card-read'
import { snapshot } from '../clients/client-history'
import { mustFindClient } from '../clients/client-lookup'
import { updateClient } from '../clients/clients.repository'
import { notify } from '../notifications/notice'
import { getRules } from '../settings/rules.repository'
import { writeBehaviourTags } from '../clients/behaviour-tags'
import { linkableCampaign } from '../campaigns/campaign-link'
import { insertVisit } from './frontdesk.repository'

/** The front desk's own acts (到访登记); who is at the counter is cards.identify. */
export const frontdeskHandlers: HandlersOf<'frontdesk'> = {
  'frontdesk.registerVisit': async ({ clientId, cardId, campaignId }, ctx) => {
    const s = requireSession(ctx)
    const c = await mustFindClient(ctx.db, clientId, 'clientId')
    if (cardId !== undefined) {
      const card = await mustFindCard(ctx.db, cardId)
      if (card.client_id !== clientId) throw new ApiFailure('VALIDATION', 'this card belongs to someone else', 'cardId', 'card_other_client')
      if (card.status !== 'active') throw new ApiFailure('CONFLICT', `this card is ${card.status}`, 'cardId', 'card_not_active')
    }
    if (campaignId !== undefined) await linkableCampaign(ctx, campaignId)
    const now = ctx.clock.now()
    const at = now.toISOString()
    const rules = await getRules(ctx.db)
    // the visit protection period (DESIGN §6): the owner keeps the client at least this long
    let protectedUntil = c.protected_until
    if (c.owner_id !== null) {
      const visitEnd = new Date(now.getTime() + rules.visitProtectionDays * DAY_MS).toISOString()
      if (!protectedUntil || protectedUntil < visitEnd) protectedUntil = visitEnd
    }
    await updateClient(ctx.db, clientId, { protected_until: protectedUntil, last_activity_at: at, updated_at: at })
    const visitId = await insertVisit(ctx.db, { clientId, cardId: cardId ?? null, by: s.staffId, ownerId: c.owner_id, at, protectedUntil, campaignId: campaignId ?? null })
    // an arrival is a contact: the client's behaviour tags count it at once
    await writeBehaviourTags(ctx.db, now, { clientIds: [clientId] })
    if (c.owner_id !== null) {
      await notify(ctx, [
        { staffId: c.owner_id, kind: 'visit', title: hostTextOf('notice.visit'), body: hostTextOf('notice.visitClient', { client: c.name, code: c.code, desk: s.name }), clientId, taskId: null },
      ])
    }
    ctx.auditTarget(`client:${clientId}`)
    await snapshot(ctx, clientId)
    return { visitId, protectedUntil, ownerNotified: c.owner_id !== null }
  },
}
