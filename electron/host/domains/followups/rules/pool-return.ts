import { sql } from 'kysely'
import { DAY_MS } from '@shared/domain/rules'
import { likely } from '../../../db/sqlite-sql'
import { moveToPool } from '../../clients/clients.repository'
import { cancelOpenTasksOfClients } from '../../tasks/tasks.repository'
import { inScope } from '../../clients/client-scope'
import { pooledOwners } from './digest'
import { isoFrom, type FollowUpRule } from './rule'

/**
 * 7 + 8. No follow-up for 30 days, or a claim not followed up within 7 days: back to the public
 * pool, open tasks cancelled, one audit row for the pass (or slice); the owners, for one notice each
 * per pass.
 */
export const poolReturnRule: FollowUpRule = {
  name: 'pool-return',
  async evaluate(db, { now, at, rules, scope, auditLog }) {
    const toPool = (
      await sql<{ id: number; owner_id: number; name: string }>`
        SELECT c.id, c.owner_id, c.name FROM clients c
        WHERE ${likely(sql`c.merged_into IS NULL`)} AND c.owner_id IS NOT NULL AND c.stage NOT IN ('closed', 'repeat', 'lost') ${inScope(scope, 'c.id')}
          AND (c.last_activity_at <= ${isoFrom(now, -rules.poolReturnDays * DAY_MS)}
            OR (c.claimed_at IS NOT NULL AND c.claimed_at <= ${isoFrom(now, -rules.claimObligationDays * DAY_MS)}
                AND (c.last_follow_up_at IS NULL OR c.last_follow_up_at < c.claimed_at)))`.execute(db)
    ).rows
    if (toPool.length === 0) return {}
    const ids = toPool.map((r) => r.id)
    for (let i = 0; i < ids.length; i += 5000) {
      const chunk = ids.slice(i, i + 5000)
      await moveToPool(db, chunk, at, false)
      await cancelOpenTasksOfClients(db, chunk, at)
    }
    await auditLog.append(db, { at, actorId: null, actorName: 'scheduler', action: 'pool.return', target: null, detail: { clientIds: ids }, address: null })
    return { pooled: toPool.length, pooledOwners: pooledOwners(toPool) }
  },
}
