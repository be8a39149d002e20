import type { HandlerContext } from '../../api/handler'
import { mustFindClient } from './client-lookup'
import { phonesOf, saveClientVersion } from './clients.repository'

/**
 * Saves the state a client's version number stands for, after any domain changed the client:
 * its history, and the base of stale-write diffs (clients.update).
 */
export async function snapshot(ctx: HandlerContext, id: number): Promise<void> {
  const rec = await mustFindClient(ctx.db, id)
  const phones = await phonesOf(ctx.db, id)
  const { owner_name: _n, owner_phone: _p, owner_team: _t, ...row } = rec
  await saveClientVersion(ctx.db, id, rec.version, { ...row, phones: phones.map((p) => p.e164) }, ctx.session?.staffId ?? null, ctx.clock.now().toISOString())
}
