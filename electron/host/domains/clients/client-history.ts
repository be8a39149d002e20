import type { Kysely } from 'kysely'
import type { HandlerContext } from '../../api/handler'
import type { DB } from '../../db/schema'
import type { refreshDerived } from './client-derived'
import { mustFindClient } from './client-lookup'
import { phonesOf, saveClientVersion, type ClientRecord } from './clients.repository'

/** The record refreshDerived read back after the change, as it is stored now (saves reading it twice). */
type Fresh = Awaited<ReturnType<typeof refreshDerived>>

function stored(fresh: Fresh): ClientRecord {
  const { phones: _phones, needCount: _needs, ...rec } = fresh
  return rec
}

/**
 * Saves the state a client's version number stands for, after any domain changed the client:
 * its history, and the base of stale-write diffs (clients.update).
 */
export async function snapshot(ctx: HandlerContext, id: number, fresh?: Fresh): Promise<void> {
  const { rec, phones } = fresh ? { rec: stored(fresh), phones: fresh.phones } : { rec: await mustFindClient(ctx.db, id), phones: await phonesOf(ctx.db, id) }
  await saveSnapshot(ctx.db, id, { rec, phones }, ctx.session?.staffId ?? null, ctx.clock.now().toISOString())
}

/** snapshot from the record refreshDerived read back, by `by` at `at` (where no HandlerContext is: a writer procedure). */
export async function snapshotFresh(db: Kysely<DB>, id: number, fresh: Fresh, by: number | null, at: string): Promise<void> {
  await saveSnapshot(db, id, { rec: stored(fresh), phones: fresh.phones }, by, at)
}

async function saveSnapshot(db: Kysely<DB>, id: number, { rec, phones }: { rec: ClientRecord; phones: Fresh['phones'] }, by: number | null, at: string): Promise<void> {
  const { owner_name: _n, owner_phone: _p, owner_team: _t, collaborator_ids: _c, ...row } = rec
  await saveClientVersion(db, id, rec.version, { ...row, phones: phones.map((p) => p.e164) }, by, at)
}
