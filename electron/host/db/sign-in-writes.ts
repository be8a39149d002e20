/** The table a write goes to: INSERT [OR …] INTO t, REPLACE INTO t, UPDATE [OR …] t, DELETE FROM t (quoted or not). */
export const WRITE_TARGET = /\b(?:insert(?:\s+or\s+\w+)?\s+into|replace\s+into|update(?:\s+or\s+\w+)?|delete\s+from)\s+["`[]?(\w+)/gi
const SIGN_IN_TABLES = new Set(['staff', 'sessions'])
/** Statements that change no table, or whose target WRITE_TARGET finds; anything else (DDL …) that names the tables counts. */
export const ORDINARY = /^\s*(select|insert|replace|update|delete|with|begin|commit|end|rollback|savepoint|release|pragma)\b/i
const NAMES_SIGN_IN_TABLE = /\b(staff|sessions)\b/i
const ENDS_TRANSACTION = /^\s*(commit|end|rollback)(\s+transaction)?\s*;?\s*$/i

/** Whether `sql` may change who is signed in, as whom: a write to staff or sessions. */
export function writesSignIns(sql: string): boolean {
  for (const m of sql.matchAll(WRITE_TARGET)) if (SIGN_IN_TABLES.has(m[1]!.toLowerCase())) return true
  return !ORDINARY.test(sql) && NAMES_SIGN_IN_TABLE.test(sql)
}

/**
 * Counts the writer's changes to some tables (`touches` says whether a statement may change
 * them), so that what was read from them before one can be told from what was read after: a
 * caller keeps its reading in memory only while the count stands. A statement that may change
 * them is counted once it is over: at once outside a transaction, else when its transaction ends
 * (committed or rolled back), or when the writer's worker dies. It may overcount (a rollback),
 * never undercount: a changed row is never served from memory.
 */
export class TableWrites {
  private count = 0
  private open = false
  private dirty = false

  constructor(private readonly touches: (sql: string) => boolean) {}

  /** changes counted so far. */
  get generation(): number {
    return this.count
  }

  /** A transaction began (its BEGIN is on its way). */
  began(): void {
    this.open = true
  }

  /** `sql` was answered (or failed): counts what it may have changed once that is final. */
  ran(sql: string): void {
    if (this.touches(sql)) this.dirty = true
    if (ENDS_TRANSACTION.test(sql)) this.open = false
    if (!this.open) this.settle()
  }

  /** The database file was swapped (a restore): everything read before may be gone or changed. */
  replaced(): void {
    this.open = false
    this.dirty = false
    this.count++
  }

  /** The writer is gone: whatever it was doing may have been committed. */
  lost(): void {
    this.open = false
    this.settle()
  }

  private settle(): void {
    if (!this.dirty) return
    this.dirty = false
    this.count++
  }
}

/** The writer's changes to staff and sessions: the dispatcher keeps sessions between calls only while the count stands. */
export class SignInWrites extends TableWrites {
  constructor() {
    super(writesSignIns)
  }
}
