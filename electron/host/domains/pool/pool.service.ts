import { hostTextOf } from '@shared/domain/host-text-keys'
import { branchDay, DAY_MS } from '@shared/domain/rules'
import { ApiFailure } from '../../api/api-failure'
import type { HandlerContext, HandlersOf } from '../../api/handler'
import { requireSession } from '../../api/require-session'
import { evaluateClient } from '../followups/rules/evaluate'
import { insertFollowUp } from '../followups/followups.repository'
import { refuseOverCap } from '../clients/client-guards'
import { snapshot } from '../clients/client-history'
import { mustFindClient } from '../clients/client-lookup'
import { toClientRow, viewerOf } from '../clients/client-shape'
import { findClient, moveToPool } from '../clients/clients.repository'
import { getRules } from '../settings/rules.repository'
import { cancelOpenTasksOfClients, insertTask } from '../tasks/tasks.repository'
import { claim, claimsOn, poolPage } from './pool.repository'

/**
 * Hands clients back to the pool: each must still be the caller's (a client moved meanwhile is
 * named on its field, and nothing is released); the reason goes into each client's log.
 */
async function release(ctx: HandlerContext, staffId: number, ids: readonly number[], reason: string, field: (i: number) => string): Promise<void> {
  for (const [i, id] of ids.entries()) {
    const c = await mustFindClient(ctx.db, id, field(i))
    if (c.owner_id !== staffId) throw new ApiFailure('FORBIDDEN', 'only the owner hands a client to the pool', field(i), 'not_owner', { client: c.name })
  }
  const at = ctx.clock.now().toISOString()
  await moveToPool(ctx.db, ids, at, true)
  await cancelOpenTasksOfClients(ctx.db, ids, at)
  for (const id of ids) {
    await insertFollowUp(ctx.db, { clientId: id, staffId, channel: 'note', content: reason, text: hostTextOf('followup.released'), at })
    await snapshot(ctx, id)
  }
}

/** The public pool (公客池): clients without an owner, claimed under a daily cap, handed back by their owner. */
export const poolHandlers: HandlersOf<'pool'> = {
  'pool.list': async ({ region, offset, limit }, ctx) => {
    const viewer = viewerOf(requireSession(ctx))
    const page = await poolPage(ctx.db, region, offset, limit)
    return { rows: page.rows.map((r) => toClientRow(r, viewer)), total: page.total }
  },

  'pool.claim': async ({ clientId }, ctx) => {
    const s = requireSession(ctx)
    const rules = await getRules(ctx.db)
    const c = await mustFindClient(ctx.db, clientId, 'clientId')
    if (c.owner_id !== null) throw new ApiFailure('CONFLICT', `already owned by ${c.owner_name}`, 'clientId', 'not_in_pool', { ownerName: c.owner_name ?? '' })
    if (c.stage === 'lost') throw new ApiFailure('CONFLICT', 'a lost client is revived, not claimed', 'clientId', 'client_lost')
    const now = ctx.clock.now()
    const day = branchDay(now)
    if ((await claimsOn(ctx.db, s.staffId, day)) >= rules.dailyClaimCap) {
      throw new ApiFailure('LIMIT_REACHED', `you may claim ${rules.dailyClaimCap} pool clients a day`, 'clientId', 'daily_claim_cap', { cap: rules.dailyClaimCap })
    }
    await refuseOverCap(ctx.db, s.staffId, rules.ownerCap, 'clientId')
    const at = now.toISOString()
    await claim(ctx.db, clientId, s.staffId, at, day)
    // the obligation that comes with a claim (DESIGN §6): follow up within 7 days or it returns
    await insertTask(ctx.db, {
      staffId: s.staffId,
      clientId,
      rule: 'claim',
      title: hostTextOf('task.claim'),
      detail: c.name,
      dueAt: new Date(now.getTime() + rules.claimObligationDays * DAY_MS).toISOString(),
      eventKey: `claim:${clientId}:${at}`,
      at,
    })
    ctx.auditTarget(`client:${clientId}`)
    await snapshot(ctx, clientId)
    await evaluateClient(ctx, clientId)
    const row = await findClient(ctx.db, clientId)
    return toClientRow(row!, viewerOf(s))
  },

  'pool.release': async ({ clientId, reason }, ctx) => {
    const s = requireSession(ctx)
    await release(ctx, s.staffId, [clientId], reason, () => 'clientId')
    ctx.auditTarget(`client:${clientId}`)
    return { ok: true as const }
  },

  'pool.releaseMany': async ({ clientIds, reason }, ctx) => {
    const s = requireSession(ctx)
    const ids = [...new Set(clientIds)]
    await release(ctx, s.staffId, ids, reason, (i) => `clientIds.${clientIds.indexOf(ids[i]!)}`)
    ctx.auditTarget(ids.map((id) => `client:${id}`).join(','))
    return { released: ids.length }
  },
}
