import { createHash } from 'node:crypto'
import type { Kysely, Selectable } from 'kysely'
import type { AuditLogTable, DB } from '../../db/schema'

export const GENESIS_HASH = '0'.repeat(64)

export interface AuditEntry {
  at: string
  actorId: number | null
  actorName: string | null
  action: string
  target: string | null
  detail: string
  address: string | null
}

/** The chain link: SHA-256 over the previous hash and this row's content, in a fixed order. */
export function auditHash(prevHash: string, e: AuditEntry): string {
  const content = JSON.stringify([e.at, e.actorId, e.actorName, e.action, e.target, e.detail, e.address])
  return createHash('sha256').update(prevHash).update('\n').update(content).digest('hex')
}

/** Appends one entry, linked to the last one. Call inside the write's own transaction. */
export async function appendAudit(db: Kysely<DB>, e: AuditEntry): Promise<void> {
  const last = await db.selectFrom('audit_log').select('hash').orderBy('id', 'desc').limit(1).executeTakeFirst()
  const prevHash = last?.hash ?? GENESIS_HASH
  await db
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
      hash: auditHash(prevHash, e),
    })
    .execute()
}

/** A stored row's content, in the shape it was hashed. */
function entryOf(r: Selectable<AuditLogTable>): AuditEntry {
  return { at: r.at, actorId: r.actor_id, actorName: r.actor_name, action: r.action, target: r.target, detail: r.detail, address: r.address }
}

export interface AuditVerifyResult {
  ok: boolean
  checked: number
  firstBrokenId: number | null
}

/** Walks the whole chain in id order, in batches, and reports the first row that does not link. */
export async function verifyAudit(db: Kysely<DB>): Promise<AuditVerifyResult> {
  let prevHash = GENESIS_HASH
  let afterId = 0
  let checked = 0
  const BATCH = 5000
  for (;;) {
    const rows = await db
      .selectFrom('audit_log')
      .selectAll()
      .where('id', '>', afterId)
      .orderBy('id')
      .limit(BATCH)
      .execute()
    for (const r of rows) {
      const expected = auditHash(prevHash, entryOf(r))
      if (r.prev_hash !== prevHash || r.hash !== expected) return { ok: false, checked, firstBrokenId: r.id }
      prevHash = r.hash
      checked++
    }
    if (rows.length < BATCH) return { ok: true, checked, firstBrokenId: null }
    afterId = rows[rows.length - 1]!.id
  }
}

export interface AuditListFilter {
  offset: number
  limit: number
  actorId?: number | undefined
  action?: string | undefined
}

/** A page of the log, newest first. */
export async function listAudit(db: Kysely<DB>, f: AuditListFilter) {
  let q = db.selectFrom('audit_log')
  if (f.actorId !== undefined) q = q.where('actor_id', '=', f.actorId)
  if (f.action !== undefined) q = q.where('action', '=', f.action)
  const [rows, total] = await Promise.all([
    q.selectAll().orderBy('id', 'desc').offset(f.offset).limit(f.limit).execute(),
    q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ])
  return {
    total: total.n,
    rows: rows.map((r) => ({ id: r.id, ...entryOf(r), hash: r.hash })),
  }
}
