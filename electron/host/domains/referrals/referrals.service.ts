import { ApiFailure } from '../../api/api-failure'
import type { HandlersOf } from '../../api/handler'
import { requireSession } from '../../api/require-session'
import { mustHaveFullAccess } from '../clients/client-guards'
import { mustFindClient } from '../clients/client-lookup'
import { insertReferral, isReferred } from './referrals.repository'

/** 转介: who referred whom; the referrer earns club points when the referred client signs. */
export const referralsHandlers: HandlersOf<'referrals'> = {
  'referrals.create': async ({ referrerId, referredId }, ctx) => {
    const s = requireSession(ctx)
    if (referrerId === referredId) throw new ApiFailure('VALIDATION', 'a client cannot refer themselves', 'referredId', 'same_client')
    await mustFindClient(ctx.db, referrerId, 'referrerId')
    // the referred client's record gains a referrer who earns points on their deal: theirs to say, who see them in full;
    // the referrer (often a colleague's client) is named only, as anyone may
    mustHaveFullAccess(s, await mustFindClient(ctx.db, referredId, 'referredId'), 'referredId')
    if (await isReferred(ctx.db, referredId)) throw new ApiFailure('CONFLICT', 'this client already has a referrer', 'referredId', 'already_referred')
    await insertReferral(ctx.db, { referrerId, referredId, by: s.staffId, at: ctx.clock.now().toISOString() })
    ctx.auditTarget(`client:${referredId}`)
    return { ok: true as const }
  },
}
