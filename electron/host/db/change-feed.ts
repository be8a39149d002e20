import type Database from 'better-sqlite3-multiple-ciphers'
import { z } from 'zod'
import type { ProcedureContext, ReaderProcedure, WriterProcedure } from './procedures'

type SqliteHandle = InstanceType<typeof Database>
type Statement = Database.Statement<unknown[], unknown>
/** A connection's statements: the handle itself, or a reader procedure's context. */
interface Preparer {
  prepare(sql: string): unknown
}
const stmt = (db: Preparer, sql: string) => db.prepare(sql) as Statement

/**
 * The standby's change feed (issue #18 item 9): an AFTER INSERT/UPDATE/DELETE trigger on every
 * ordinary table writes the key of each row written into change_log; a standby asks for what
 * follows its cursor and gets the current row of each key (none: deleted). SQLite-only SQL
 * (triggers, sqlite_master, pragma tables): on PostgreSQL a logical replication slot does this.
 */

/** Tables never fed: the feed itself, each PC's own standby state, and the migrations' record (a different version re-seeds). */
const NOT_FED = new Set(['change_log', 'standby_feeds', 'standby_cursor', 'schema_version'])
const TRIGGER_PREFIX = 'keyuan_feed_'

/** A fed table: its name, the columns a row is written with, and the key naming a row (its primary key; rowid when it has none). */
export interface FeedTable {
  name: string
  columns: string[]
  key: string[]
}

const quoteId = (name: string) => `"${name.replace(/"/g, '""')}"`

/** Every fed table of the database, as sqlite_master lists it now (WITHOUT ROWID tables by their primary key; there are no virtual tables). */
export function feedTables(sqlite: Preparer): FeedTable[] {
  const names = stmt(sqlite, `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name`).pluck().all() as string[]
  const out: FeedTable[] = []
  for (const name of names) {
    if (NOT_FED.has(name)) continue
    const cols = stmt(sqlite, 'SELECT name, pk, hidden FROM pragma_table_xinfo(?)').all(name) as Array<{ name: string; pk: number; hidden: number }>
    // generated columns (hidden 2, 3) are computed again on the standby, never written
    const columns = cols.filter((c) => c.hidden === 0).map((c) => c.name)
    const pk = cols.filter((c) => c.pk > 0).sort((a, b) => a.pk - b.pk).map((c) => c.name)
    out.push(pk.length > 0 ? { name, columns, key: pk } : { name, columns: ['rowid', ...columns], key: ['rowid'] })
  }
  return out
}

function keyExpr(t: FeedTable, row: 'NEW' | 'OLD'): string {
  const parts = t.key.map((k) => `${row}.${quoteId(k)}`)
  return parts.length === 1 ? parts[0]! : `json_array(${parts.join(', ')})`
}

/** What the trigger functions run on: the opened handle at start, or a procedure's context on the writer inside the caller's transaction. */
export interface FeedSchema extends Preparer {
  exec(sql: string): unknown
}

/**
 * Makes the feed's triggers on every fed table that lacks them (so a table a later migration added
 * or rebuilt is covered). Idempotent; the caller holds the transaction. An UPDATE that changes a
 * key logs the old key too (that row is gone).
 */
export function ensureChangeTriggers(db: FeedSchema): number {
  const have = new Set(feedTriggerNames(db))
  let made = 0
  for (const t of feedTables(db)) {
    const tn = quoteId(t.name)
    const log = (row: 'NEW' | 'OLD') => `INSERT INTO change_log (tbl, row_key) VALUES (${sqlLiteral(t.name)}, ${keyExpr(t, row)});`
    const oldKeyMoved = t.key.map((k) => `OLD.${quoteId(k)} IS NOT NEW.${quoteId(k)}`).join(' OR ')
    const triggers: Array<[string, string]> = [
      [`${TRIGGER_PREFIX}i_${t.name}`, `AFTER INSERT ON ${tn} BEGIN ${log('NEW')} END`],
      [`${TRIGGER_PREFIX}u_${t.name}`, `AFTER UPDATE ON ${tn} BEGIN ${log('NEW')} INSERT INTO change_log (tbl, row_key) SELECT ${sqlLiteral(t.name)}, ${keyExpr(t, 'OLD')} WHERE ${oldKeyMoved}; END`],
      [`${TRIGGER_PREFIX}d_${t.name}`, `AFTER DELETE ON ${tn} BEGIN ${log('OLD')} END`],
    ]
    for (const [name, body] of triggers) {
      if (have.has(name)) continue
      db.exec(`CREATE TRIGGER ${quoteId(name)} ${body}`)
      made++
    }
  }
  return made
}

/** Drops every trigger of the feed (the change log keeps its newest row: the numbering goes on from it). */
export function dropChangeTriggers(db: FeedSchema): number {
  const names = feedTriggerNames(db)
  for (const name of names) db.exec(`DROP TRIGGER ${quoteId(name)}`)
  return names.length
}

function feedTriggerNames(db: Preparer): string[] {
  return stmt(db, `SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE '${TRIGGER_PREFIX}%'`).pluck().all() as string[]
}

/** Whether a paired device that is not unpaired is a standby now. */
function standbyRegistered(db: Preparer): boolean {
  return stmt(db, 'SELECT EXISTS (SELECT 1 FROM standby_feeds f JOIN paired_devices d ON d.id = f.device_id WHERE d.revoked_at IS NULL)').pluck().get() === 1
}

/**
 * The feed's triggers exist while a standby is registered, and only then: every write of a branch
 * without a standby would otherwise pay for a change_log row per row written (a third more time for
 * a bulk write, measured in docs/performance.md). Called at every start after the migrations (a
 * table they added is fed too) and by the calls that make or end a standby, in their transaction:
 * the head a new standby starts from is then the first change the triggers write after it.
 */
export function syncChangeTriggers(db: FeedSchema): { fed: boolean; made: number; dropped: number } {
  if (standbyRegistered(db)) return { fed: true, made: ensureChangeTriggers(db), dropped: 0 }
  return { fed: false, made: 0, dropped: dropChangeTriggers(db) }
}

/** syncChangeTriggers on the writer, inside the calling write's transaction (one message to its thread). */
export const feedTriggersProcedure: WriterProcedure<Record<string, never>, { fed: boolean; made: number; dropped: number }> = {
  name: 'standby.triggers',
  writes: true,
  run: (ctx) => syncChangeTriggers(ctx),
}

function sqlLiteral(text: string): string {
  return `'${text.replace(/'/g, "''")}'`
}

/** A value as it crosses the link: JSON has no bytes, so a BLOB travels as base64. */
const Blob64 = z.strictObject({ b64: z.string() })
const FeedValue = z.union([z.null(), z.number(), z.string(), Blob64])
type FeedValue = z.infer<typeof FeedValue>

/** One table's part of a batch: every key written since the cursor, and the current rows of those still there. */
const FeedTablePart = z.strictObject({
  name: z.string().min(1).max(100),
  columns: z.array(z.string().min(1).max(100)).min(1).max(500),
  key: z.array(z.string().min(1).max(100)).min(1).max(20),
  keys: z.array(z.array(FeedValue)),
  rows: z.array(z.array(FeedValue)),
})

/** What `GET /standby/changes?after=SEQ` answers: the changes up to `head` (more when `more`), or "re-seed". */
export const FeedBatch = z.discriminatedUnion('status', [
  z.strictObject({
    status: z.literal('changes'),
    after: z.number().int().min(0),
    head: z.number().int().min(0),
    more: z.boolean(),
    schemaVersion: z.number().int().min(0),
    /** the host's clock when the snapshot was read */
    at: z.string(),
    tables: z.array(FeedTablePart),
    sequences: z.array(z.tuple([z.string(), z.number().int()])),
  }),
  z.strictObject({ status: z.literal('reseed'), why: z.enum(['pruned', 'ahead', 'backlog', 'schema']), schemaVersion: z.number().int().min(0) }),
])
export type FeedBatch = z.infer<typeof FeedBatch>

/** The most change_log rows one answer carries; the standby asks again at once when there were more. */
export const FEED_BATCH_ROWS = 20_000
/** A standby further behind than this re-seeds: a fresh copy costs less than replaying it. */
export const FEED_MAX_BACKLOG = 2_000_000

function toFeed(v: unknown): FeedValue {
  if (v === null || typeof v === 'number' || typeof v === 'string') return v
  if (typeof v === 'bigint') return Number(v)
  if (v instanceof Uint8Array) return { b64: Buffer.from(v).toString('base64') }
  throw new Error(`a value of type ${typeof v} cannot be fed`)
}

function fromFeed(v: FeedValue): unknown {
  return v !== null && typeof v === 'object' ? Buffer.from(v.b64, 'base64') : v
}

export interface FeedArgs {
  after: number
  schemaVersion: number
  now: string
  limit?: number
}

/** Reads, in one snapshot on a reader, the changes after `after` and the current rows they name. */
export function readFeed(ctx: ProcedureContext, args: FeedArgs): FeedBatch {
  return ctx.snapshot(() => {
    const schemaVersion = Number(stmt(ctx, 'SELECT coalesce(max(version), 0) FROM schema_version').pluck().get())
    const head = Number(stmt(ctx, 'SELECT coalesce(max(seq), 0) FROM change_log').pluck().get())
    const oldest = stmt(ctx, 'SELECT min(seq) FROM change_log').pluck().get() as number | null
    if (args.schemaVersion !== schemaVersion) return { status: 'reseed', why: 'schema', schemaVersion }
    if (args.after > head) return { status: 'reseed', why: 'ahead', schemaVersion }
    if (oldest !== null && args.after < oldest - 1) return { status: 'reseed', why: 'pruned', schemaVersion }
    if (head - args.after > FEED_MAX_BACKLOG) return { status: 'reseed', why: 'backlog', schemaVersion }
    const limit = args.limit ?? FEED_BATCH_ROWS
    const changed = stmt(ctx, 'SELECT seq, tbl, row_key FROM change_log WHERE seq > ? ORDER BY seq LIMIT ?').raw().all(args.after, limit) as Array<[number, string, unknown]>
    const upTo = changed.length > 0 ? changed[changed.length - 1]![0] : args.after
    const byTable = new Map<string, Map<string, unknown[]>>()
    const tables = new Map(feedTables(ctx).map((t) => [t.name, t]))
    for (const [, tbl, rowKey] of changed) {
      const t = tables.get(tbl)
      // a table dropped since (a migration): the schema version differs, the standby re-seeds
      if (!t) continue
      let keys = byTable.get(tbl)
      if (!keys) byTable.set(tbl, (keys = new Map()))
      const text = typeof rowKey === 'string' ? `s${rowKey}` : `n${String(rowKey)}`
      if (!keys.has(text)) keys.set(text, t.key.length === 1 ? [rowKey] : (JSON.parse(String(rowKey)) as unknown[]))
    }
    const parts: z.infer<typeof FeedTablePart>[] = []
    for (const [name, keys] of byTable) {
      const t = tables.get(name)!
      const select = stmt(ctx, `SELECT ${t.columns.map(quoteId).join(', ')} FROM ${quoteId(name)} WHERE ${t.key.map((k) => `${quoteId(k)} = ?`).join(' AND ')}`).raw()
      const rows: FeedValue[][] = []
      for (const key of keys.values()) {
        const row = select.get(...key) as unknown[] | undefined
        if (row) rows.push(row.map(toFeed))
      }
      parts.push({ name, columns: t.columns, key: t.key, keys: [...keys.values()].map((k) => k.map(toFeed)), rows })
    }
    // only a database with an AUTOINCREMENT table has sqlite_sequence
    const hasSequences = stmt(ctx, `SELECT 1 FROM sqlite_master WHERE name = 'sqlite_sequence'`).pluck().get() !== undefined
    const sequences = hasSequences ? (stmt(ctx, 'SELECT name, seq FROM sqlite_sequence').raw().all() as Array<[string, number]>) : []
    return { status: 'changes', after: args.after, head: upTo, more: upTo < head, schemaVersion, at: args.now, tables: parts, sequences }
  })
}

/** The standby's feed read as a reader procedure (one message to a reader's thread, one back). */
export const feedProcedure: ReaderProcedure<FeedArgs, FeedBatch> = {
  name: 'standby.feed',
  run: readFeed,
}

/**
 * Applies a batch on the standby in one transaction: every changed row is deleted first, then
 * the final rows are inserted (a unique index never sees a half state), sqlite_sequence is set,
 * the cursor moves to the batch's head. The database's own triggers are set aside meanwhile (a
 * client's insert trigger would write rows the batch brings anyway) and made again before the
 * commit. Foreign keys must be off on this connection: the batch is consistent only once whole.
 */
export function applyFeed(sqlite: SqliteHandle, batch: Extract<FeedBatch, { status: 'changes' }>, hostUrl: string, now: string): void {
  const tables = new Map(feedTables(sqlite).map((t) => [t.name, t]))
  sqlite.transaction(() => {
    const cursor = stmt(sqlite, 'SELECT seq FROM standby_cursor WHERE id = 1').pluck().get() as number | undefined
    if ((cursor ?? 0) !== batch.after) throw new Error(`the batch follows change ${batch.after}, this standby is at ${cursor ?? 0}`)
    const triggers = stmt(sqlite, `SELECT name, sql FROM sqlite_master WHERE type = 'trigger'`).all() as Array<{ name: string; sql: string }>
    for (const t of triggers) sqlite.exec(`DROP TRIGGER ${quoteId(t.name)}`)
    for (const part of batch.tables) {
      const t = tables.get(part.name)
      if (!t || t.key.join() !== part.key.join()) throw new Error(`table ${part.name} differs from the host's`)
      const del = stmt(sqlite, `DELETE FROM ${quoteId(part.name)} WHERE ${part.key.map((k) => `${quoteId(k)} = ?`).join(' AND ')}`)
      for (const key of part.keys) del.run(...key.map(fromFeed))
      const ins = stmt(sqlite, `INSERT INTO ${quoteId(part.name)} (${part.columns.map(quoteId).join(', ')}) VALUES (${part.columns.map(() => '?').join(', ')})`)
      for (const row of part.rows) ins.run(...row.map(fromFeed))
    }
    if (batch.sequences.length > 0) {
      const setSeq = stmt(sqlite, 'UPDATE sqlite_sequence SET seq = ? WHERE name = ?')
      const addSeq = stmt(sqlite, 'INSERT INTO sqlite_sequence (name, seq) VALUES (?, ?)')
      for (const [name, seq] of batch.sequences) if (setSeq.run(seq, name).changes === 0 && tables.has(name)) addSeq.run(name, seq)
    }
    for (const t of triggers) sqlite.exec(t.sql)
    sqlite
      .prepare('INSERT INTO standby_cursor (id, host_url, seq, pulled_at) VALUES (1, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET host_url = excluded.host_url, seq = excluded.seq, pulled_at = excluded.pulled_at')
      .run(hostUrl, batch.head, now)
  })()
}

/** Where a standby stands: the last change applied (0 before the first pull after the seed). */
export function standbyCursor(sqlite: SqliteHandle): { seq: number; hostUrl: string; pulledAt: string } | null {
  const row = stmt(sqlite, 'SELECT seq, host_url AS hostUrl, pulled_at AS pulledAt FROM standby_cursor WHERE id = 1').get() as { seq: number; hostUrl: string; pulledAt: string } | undefined
  return row ?? null
}
