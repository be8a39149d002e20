import type { Kysely } from 'kysely'
import type { Clock } from '../../clock'
import type { DB } from '../../db/schema'
import type { AuditLog } from '../audit/audit-log'

/** The sign-in refusals that are collapsed per address; others stay one audit row each. */
export type CollapsedCode = 'BAD_CREDENTIALS' | 'RATE_LIMITED'

export interface SignInAuditDeps {
  db: Kysely<DB>
  auditLog: AuditLog
  clock: Clock
  /** true while sign-ins as the username from the address are locked: the lock ends the burst at once. */
  signInLocked(address: string | null, username: string): boolean
  log?: ((msg: string, err?: unknown) => void) | undefined
  /** how long a burst collects before its counted row is written (default 10 min). */
  windowMs?: number
}

interface Burst {
  code: CollapsedCode
  address: string
  openedAt: number
  count: number
  usernames: string[]
  first: string | null
  last: string | null
}

// Bounds memory: usernames kept per burst, bursts open at once (the oldest is written early).
const MAX_USERNAMES = 20
const MAX_BURSTS = 1_000

/**
 * Collapses repeated failed sign-ins from one address into one counted audit row. The first
 * failure from an address writes its row at once, as any denied call does; the ones after it
 * within the window are counted in memory and written as one row `auth.login:<code>` with
 * `{ count, usernames, first, last }` when the window closes, when a failure locks the sign-in it tried, when
 * a sign-in from it succeeds, and when the host stops (`close`). Audit rows are hash-chained and
 * never updated, so a burst is written only once it is over.
 */
export class SignInAudit {
  private readonly bursts = new Map<string, Burst>()
  private readonly windowMs: number
  private timer: NodeJS.Timeout | null = null

  constructor(private readonly deps: SignInAuditDeps) {
    this.windowMs = deps.windowMs ?? 10 * 60_000
  }

  /** Checks for closed windows every `everyMs` of real time until `close` (the host's loop; tests call `closeExpired`). */
  start(everyMs = 60_000): void {
    this.timer ??= setInterval(() => void this.closeExpired(), everyMs)
    this.timer.unref()
  }

  /** Records a refused sign-in; `detail` (the audit log redacts it) goes into the burst's first row. */
  async failed(code: CollapsedCode, address: string | null, username: string, detail: unknown): Promise<void> {
    const addr = address ?? ''
    const key = `${code} ${addr}`
    await this.closeExpired()
    const now = this.deps.clock.now()
    const burst = this.bursts.get(key)
    if (burst) {
      burst.count++
      if (!burst.usernames.includes(username) && burst.usernames.length < MAX_USERNAMES) burst.usernames.push(username)
      burst.first ??= now.toISOString()
      burst.last = now.toISOString()
    } else {
      if (this.bursts.size >= MAX_BURSTS) await this.closeOldest()
      // opened before the write is awaited, so failures arriving meanwhile are counted, not written
      this.bursts.set(key, { code, address: addr, openedAt: now.getTime(), count: 0, usernames: [], first: null, last: null })
      await this.write(code, address, detail)
    }
    if (code === 'BAD_CREDENTIALS' && this.deps.signInLocked(address, username)) await this.closeKey(key)
  }

  /** A sign-in from the address succeeded: its bursts end first, so their rows come before the sign-in's. */
  async endBursts(address: string | null): Promise<void> {
    const addr = address ?? ''
    for (const [key, b] of [...this.bursts]) if (b.address === addr) await this.closeKey(key)
  }

  /** Writes the bursts whose window has closed. */
  async closeExpired(): Promise<void> {
    const now = this.deps.clock.now().getTime()
    for (const [key, b] of [...this.bursts]) if (now - b.openedAt >= this.windowMs) await this.closeKey(key)
  }

  /** Writes every open burst and stops the timer: the host calls it before closing the database. */
  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer)
    this.timer = null
    for (const key of [...this.bursts.keys()]) await this.closeKey(key)
  }

  private async closeOldest(): Promise<void> {
    const oldest = this.bursts.keys().next().value
    if (oldest !== undefined) await this.closeKey(oldest)
  }

  private async closeKey(key: string): Promise<void> {
    const b = this.bursts.get(key)
    if (!b) return
    this.bursts.delete(key)
    if (b.count === 0) return
    await this.write(b.code, b.address || null, { count: b.count, usernames: b.usernames, first: b.first, last: b.last })
  }

  private async write(code: CollapsedCode, address: string | null, detail: unknown): Promise<void> {
    const entry = {
      at: this.deps.clock.now().toISOString(),
      actorId: null,
      actorName: null,
      action: `auth.login:${code}`,
      target: null,
      detail: detail ?? {},
      address,
    }
    try {
      await this.deps.db.transaction().execute((trx) => this.deps.auditLog.append(trx, entry))
      await this.deps.auditLog.afterCommit(this.deps.db)
    } catch (err) {
      this.deps.log?.('could not audit failed sign-ins', err)
    }
  }
}
