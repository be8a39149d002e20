import type { Kysely } from 'kysely'
import type { DB } from '../db/schema'
import { ApiFailure } from './api-failure'

/** How long a write's reply is kept for a retry: a terminal offline longer than that refetches anyway. */
export const KEEP_REPLY_MS = 24 * 3600_000
// pruning is one indexed DELETE; once an hour is plenty to keep the table at a day's writes
const PRUNE_EVERY_MS = 3600_000

/**
 * The replies of writes sent with an idempotency key (table idempotent_writes): a write cut off
 * before its reply and sent again with the same key is answered from here, not applied twice.
 * Used inside the write's own transaction, so the reply is kept exactly when the write commits.
 */
export class IdempotentReplies {
  private lastPruneAt = 0

  /** The stored reply of an earlier write under this key, or undefined when there was none. */
  async find(trx: Kysely<DB>, staffId: number, key: string, method: string): Promise<{ reply: unknown } | undefined> {
    const row = await trx
      .selectFrom('idempotent_writes')
      .select(['method', 'reply'])
      .where('staff_id', '=', staffId)
      .where('key', '=', key)
      .executeTakeFirst()
    if (!row) return undefined
    if (row.method !== method) throw new ApiFailure('CONFLICT', 'this idempotency key was already used for another call', 'key')
    return { reply: JSON.parse(row.reply) as unknown }
  }

  /** Keeps a write's reply under its key (same transaction as the write); drops replies older than a day now and then. */
  async keep(trx: Kysely<DB>, staffId: number, key: string, method: string, reply: unknown, now: Date): Promise<void> {
    await trx
      .insertInto('idempotent_writes')
      .values({ staff_id: staffId, key, method, reply: JSON.stringify(reply ?? null), created_at: now.toISOString() })
      .execute()
    if (now.getTime() - this.lastPruneAt < PRUNE_EVERY_MS) return
    this.lastPruneAt = now.getTime()
    await trx.deleteFrom('idempotent_writes').where('created_at', '<', new Date(now.getTime() - KEEP_REPLY_MS).toISOString()).execute()
  }
}
