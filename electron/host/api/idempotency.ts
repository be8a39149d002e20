import { createHash } from 'node:crypto'
import type { Kysely } from 'kysely'
import type { DB } from '../db/schema'
import { ApiFailure } from './api-failure'

/** How long a write's reply is kept for a retry: a terminal offline longer than that refetches anyway. */
export const KEEP_REPLY_MS = 24 * 3600_000
// pruning is one indexed DELETE; once an hour is plenty to keep the table at a day's writes
const PRUNE_EVERY_MS = 3600_000

/**
 * The fingerprint a key is tied to: sha-256 of the method and the parsed input, keys sorted, so
 * the same call sent again (whatever the order of its fields) matches and any other call does not.
 */
export function callHash(method: string, input: unknown): string {
  return createHash('sha256').update(method).update('\0').update(JSON.stringify(sortedKeys(input ?? null))).digest('hex')
}

/** A copy of a JSON value with every object's keys in order (arrays keep theirs). */
function sortedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedKeys)
  if (value === null || typeof value !== 'object') return value
  const out: Record<string, unknown> = {}
  for (const k of Object.keys(value).sort()) out[k] = sortedKeys((value as Record<string, unknown>)[k])
  return out
}

/**
 * The replies of writes sent with an idempotency key (table idempotent_writes): a write cut off
 * before its reply and sent again with the same key is answered from here, not applied twice.
 * Used inside the write's own transaction, so the reply is kept exactly when the write commits.
 */
export class IdempotentReplies {
  private lastPruneAt = 0

  /**
   * The stored reply of an earlier write under this key, or undefined when there was none. A key
   * kept for another call (method or input, see callHash) is refused: answering it with the first
   * reply would drop this write without a word.
   */
  async find(trx: Kysely<DB>, staffId: number, key: string, method: string, inputHash: string): Promise<{ reply: unknown } | undefined> {
    const row = await trx
      .selectFrom('idempotent_writes')
      .select(['method', 'reply', 'input_hash'])
      .where('staff_id', '=', staffId)
      .where('key', '=', key)
      .executeTakeFirst()
    if (!row) return undefined
    // rows kept before migration 035 have no hash: their method is all there is to compare
    if (row.method !== method || (row.input_hash !== null && row.input_hash !== inputHash)) {
      throw new ApiFailure('CONFLICT', 'this idempotency key was already used for another call', 'key', 'idempotency_key_reused')
    }
    return { reply: JSON.parse(row.reply) as unknown }
  }

  /** Keeps a write's reply under its key (same transaction as the write); drops replies older than a day now and then. */
  async keep(trx: Kysely<DB>, staffId: number, key: string, method: string, inputHash: string, reply: unknown, now: Date): Promise<void> {
    await trx
      .insertInto('idempotent_writes')
      .values({ staff_id: staffId, key, method, input_hash: inputHash, reply: JSON.stringify(reply ?? null), created_at: now.toISOString() })
      .execute()
    if (now.getTime() - this.lastPruneAt < PRUNE_EVERY_MS) return
    this.lastPruneAt = now.getTime()
    await trx.deleteFrom('idempotent_writes').where('created_at', '<', new Date(now.getTime() - KEEP_REPLY_MS).toISOString()).execute()
  }
}
