import type { Kysely, Selectable } from 'kysely'
import type { DB, SignInLimitsTable } from '../../db/schema'
import type { BackoffCounter, BackoffState } from './backoff'

/**
 * Keeps a BackoffCounter's keys in the sign_in_limits table. The counter decides in memory (it
 * must, synchronously, before any await); changed keys are written on `flush`, one transaction per
 * batch, in order, always with the key's latest state.
 */
export class LimitsStore {
  private counter: BackoffCounter | null = null
  private readonly dirty = new Set<string>()
  private chain: Promise<void> = Promise.resolve()

  private constructor(
    private readonly db: Kysely<DB>,
    private rows: Selectable<SignInLimitsTable>[],
  ) {}

  /** Reads the stored keys; they go into the counter that `attach` is given. */
  static async open(db: Kysely<DB>): Promise<LimitsStore> {
    return new LimitsStore(db, await db.selectFrom('sign_in_limits').selectAll().execute())
  }

  /** Fills the counter with the stored keys (time since they were written is applied as it reads them). */
  attach(counter: BackoffCounter): void {
    this.counter = counter
    for (const r of this.rows) counter.restore(r.key, fromRow(r))
    this.rows = []
  }

  /** The key changed in memory: write it on the next flush. */
  changed(key: string): void {
    this.dirty.add(key)
  }

  /** Writes every changed key; resolves when they are on disk (rejects if the write failed, keeping them to retry). */
  flush(): Promise<void> {
    const next = this.chain.then(() => this.take((keys) => this.db.transaction().execute((trx) => this.write(trx, keys))))
    this.chain = next.catch(() => {})
    return next
  }

  /** Writes every changed key inside the caller's transaction (so a change and its audit row land together). */
  flushWithin(trx: Kysely<DB>): Promise<void> {
    return this.take((keys) => this.write(trx, keys))
  }

  private async take(write: (keys: string[]) => Promise<void>): Promise<void> {
    if (!this.counter || this.dirty.size === 0) return
    const keys = [...this.dirty]
    this.dirty.clear()
    try {
      await write(keys)
    } catch (err) {
      for (const k of keys) this.dirty.add(k)
      throw err
    }
  }

  private async write(db: Kysely<DB>, keys: readonly string[]): Promise<void> {
    for (const key of keys) {
      const s = this.counter?.snapshot(key)
      if (!s) {
        await db.deleteFrom('sign_in_limits').where('key', '=', key).execute()
        continue
      }
      const row = toRow(key, s)
      await db
        .insertInto('sign_in_limits')
        .values(row)
        .onConflict((oc) => oc.column('key').doUpdateSet(row))
        .execute()
    }
  }
}

function toRow(key: string, s: BackoffState): Selectable<SignInLimitsTable> {
  return {
    key,
    failures: s.failures,
    level: s.level,
    last_failure_at: new Date(s.lastFailureAt).toISOString(),
    locked_until: s.lockedUntil ? new Date(s.lockedUntil).toISOString() : null,
    failed_by: JSON.stringify(s.by),
  }
}

function fromRow(r: Selectable<SignInLimitsTable>): BackoffState {
  return {
    failures: r.failures,
    level: r.level,
    lastFailureAt: Date.parse(r.last_failure_at),
    lockedUntil: r.locked_until ? Date.parse(r.locked_until) : 0,
    by: parseSources(r.failed_by),
  }
}

/** The stored JSON object of counts; anything else (a hand-edited row) counts as none. */
function parseSources(text: string): Record<string, number> {
  try {
    const v: unknown = JSON.parse(text)
    if (!v || typeof v !== 'object' || Array.isArray(v)) return {}
    return Object.fromEntries(
      Object.entries(v).filter((e): e is [string, number] => Number.isInteger(e[1]) && (e[1] as number) > 0),
    )
  } catch {
    return {}
  }
}
