/** A statement that may change who is signed in, as whom: anything but a SELECT that names the staff or sessions table. */
const NAMES_SIGN_IN_TABLE = /\b(staff|sessions)\b/i
const SELECT = /^\s*select\b/i
const ENDS_TRANSACTION = /^\s*(commit|end|rollback)(\s+transaction)?\s*;?\s*$/i

/**
 * Counts the writer's changes to staff and sessions, so that sessions looked up before one can be
 * told from those after (the dispatcher keeps sessions between calls only while the count stands).
 * A statement that may change them is counted once it is over: at once outside a transaction,
 * else when its transaction ends (committed or rolled back), or when the writer's worker dies.
 * It overcounts (a rollback, an INSERT … SELECT FROM staff), never under: a changed session is never served from memory.
 */
export class SignInWrites {
  private count = 0
  private open = false
  private dirty = false

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
    if (!SELECT.test(sql) && NAMES_SIGN_IN_TABLE.test(sql)) this.dirty = true
    if (ENDS_TRANSACTION.test(sql)) this.open = false
    if (!this.open) this.settle()
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
