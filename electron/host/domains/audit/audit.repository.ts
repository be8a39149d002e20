import { createHash, createHmac } from 'node:crypto'
import type { Kysely, Selectable } from 'kysely'
import type { AuditAlg, AuditLogTable, DB } from '../../db/schema'

export const GENESIS_HASH = '0'.repeat(64)

/** One row's content as it is stored and linked. */
export interface AuditEntry {
  at: string
  actorId: number | null
  actorName: string | null
  action: string
  target: string | null
  /** the redacted input, as JSON. */
  detail: string
  address: string | null
  /** keyed hashes of the numbers in the row, space-separated and sorted; '' for none. */
  numberKeys?: string
}

/** The newest row of the chain. */
export interface AuditHead {
  id: number
  hash: string
  at: string
}

/** The link of a row written before the chain was keyed: SHA-256 over the previous hash and the content. */
export function sha256Link(prevHash: string, e: AuditEntry): string {
  const content = JSON.stringify([e.at, e.actorId, e.actorName, e.action, e.target, e.detail, e.address])
  return createHash('sha256').update(prevHash).update('\n').update(content).digest('hex')
}

/**
 * The link of a keyed row: HMAC-SHA256 (key derived from the database key) over the previous
 * hash and the content, the algorithm and the number hashes included, so neither can be
 * swapped without the key.
 */
export function hmacLink(key: Buffer, prevHash: string, e: AuditEntry): string {
  const content = JSON.stringify(['hmac-sha256', e.at, e.actorId, e.actorName, e.action, e.target, e.detail, e.address, e.numberKeys ?? ''])
  return createHmac('sha256', key).update(prevHash).update('\n').update(content).digest('hex')
}

/**
 * Appends one keyed row linked to the last one, and its number hashes to the search index.
 * Call inside the write's own transaction.
 */
export async function insertAuditRow(db: Kysely<DB>, chainKey: Buffer, e: AuditEntry): Promise<AuditHead> {
  const last = await db.selectFrom('audit_log').select('hash').orderBy('id', 'desc').limit(1).executeTakeFirst()
  const prevHash = last?.hash ?? GENESIS_HASH
  const numberKeys = e.numberKeys ?? ''
  const hash = hmacLink(chainKey, prevHash, e)
  const row = await db
    .insertInto('audit_log')
    .values({
      at: e.at,
      actor_id: e.actorId,
      actor_name: e.actorName,
      action: e.action,
      target: e.target,
      detail: e.detail,
      address: e.address,
      prev_hash: prevHash,
      hash,
      alg: 'hmac-sha256',
      number_keys: numberKeys,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  if (numberKeys !== '') {
    await db
      .insertInto('audit_number')
      .values(numberKeys.split(' ').map((key) => ({ key, audit_id: row.id })))
      .execute()
  }
  return { id: row.id, hash, at: e.at }
}

/** A stored row's content, in the shape it was linked. */
function entryOf(r: Selectable<AuditLogTable>): AuditEntry {
  return {
    at: r.at,
    actorId: r.actor_id,
    actorName: r.actor_name,
    action: r.action,
    target: r.target,
    detail: r.detail,
    address: r.address,
    numberKeys: r.number_keys,
  }
}

export interface AuditChainResult {
  ok: boolean
  checked: number
  firstBrokenId: number | null
}

/**
 * Walks the whole chain in id order, in batches, and reports the first row that does not link.
 * Rows from before the chain was keyed are checked with plain SHA-256; once a keyed row has
 * been seen, a plain one is a break (nobody may turn keyed rows back into plain ones).
 */
export async function verifyChain(db: Kysely<DB>, chainKey: Buffer): Promise<AuditChainResult> {
  let prevHash = GENESIS_HASH
  let keyed = false
  let afterId = 0
  let checked = 0
  const BATCH = 5000
  for (;;) {
    const rows = await db.selectFrom('audit_log').selectAll().where('id', '>', afterId).orderBy('id').limit(BATCH).execute()
    for (const r of rows) {
      const alg: AuditAlg = r.alg
      if (alg === 'sha256' && keyed) return { ok: false, checked, firstBrokenId: r.id }
      keyed = alg === 'hmac-sha256'
      const expected = keyed ? hmacLink(chainKey, prevHash, entryOf(r)) : sha256Link(prevHash, entryOf(r))
      if (r.prev_hash !== prevHash || r.hash !== expected) return { ok: false, checked, firstBrokenId: r.id }
      prevHash = r.hash
      checked++
    }
    if (rows.length < BATCH) return { ok: true, checked, firstBrokenId: null }
    afterId = rows[rows.length - 1]!.id
  }
}

/** The newest row, or null for an empty log. */
export async function auditHead(db: Kysely<DB>): Promise<AuditHead | null> {
  const r = await db.selectFrom('audit_log').select(['id', 'hash', 'at']).orderBy('id', 'desc').limit(1).executeTakeFirst()
  return r ?? null
}

/** The stored hash of one row, or null when there is no such row. */
export async function auditHashOf(db: Kysely<DB>, id: number): Promise<string | null> {
  const r = await db.selectFrom('audit_log').select('hash').where('id', '=', id).executeTakeFirst()
  return r?.hash ?? null
}

/** The id of the first keyed row, or null while every row is from before the chain was keyed. */
export async function firstKeyedId(db: Kysely<DB>): Promise<number | null> {
  // in id order, stopping at the first keyed row: only the rows from before the keyed chain are read
  const r = await db.selectFrom('audit_log').select('id').where('alg', '=', 'hmac-sha256').orderBy('id').limit(1).executeTakeFirst()
  return r?.id ?? null
}

export interface AuditListFilter {
  offset: number
  limit: number
  actorId?: number | undefined
  action?: string | undefined
  /** keyed hash of a normalised number: only rows that mention it. */
  numberKey?: string | undefined
}

/** A page of the log, newest first. */
export async function listAudit(db: Kysely<DB>, f: AuditListFilter) {
  let q = db.selectFrom('audit_log')
  if (f.actorId !== undefined) q = q.where('actor_id', '=', f.actorId)
  if (f.action !== undefined) q = q.where('action', '=', f.action)
  if (f.numberKey !== undefined) {
    const key = f.numberKey
    q = q.where('id', 'in', (eb) => eb.selectFrom('audit_number').select('audit_id').where('key', '=', key))
  }
  const [rows, total] = await Promise.all([
    q.selectAll().orderBy('id', 'desc').offset(f.offset).limit(f.limit).execute(),
    q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ])
  return {
    total: total.n,
    rows: rows.map((r) => {
      // the keyed number hashes stay in the database: they only serve the admin's search
      const { numberKeys: _keys, ...entry } = entryOf(r)
      return { id: r.id, ...entry, hash: r.hash }
    }),
  }
}
