import type { Kysely } from 'kysely'
import type { AnchorCheck, AuditVerifyOutput } from '@shared/contract/audit'
import type { Clock } from '../../clock'
import type { DB } from '../../db/schema'
import type { AuditAnchor } from './audit-anchor'
import { numberKey, type AuditKeys } from './audit-keys'
import { maskNumbersInText, normalizeSearchNumber } from './audit-numbers'
import { redactForAudit } from './audit-redact'
import { auditHashOf, auditHead, firstKeyedId, insertAuditRow, verifyChain, type AuditHead } from './audit.repository'

/** One audit row as its writer gives it: `detail` is the raw input or detail object, redacted here. */
export interface AuditRecord {
  at: string
  actorId: number | null
  actorName: string | null
  action: string
  target: string | null
  detail: unknown
  address: string | null
}

/** What appends audit rows: the log itself, or (in a writer procedure, without the host's keys) a list the caller appends after. */
export type AuditAppender = Pick<AuditLog, 'append'>

/** What /healthz shows of the log: cheap, from the last checks this process made. */
export interface AuditHealth {
  ok: boolean
  head: AuditHead | null
  anchor: AnchorCheck | null
  /** the last full walk of the chain (at start and on each audit.verify). */
  lastVerify: Pick<AuditVerifyOutput, 'ok' | 'checked' | 'firstBrokenId' | 'verifiedAt'> | null
}

/**
 * The host's audit log: every row goes through here, so every row is redacted and keyed the
 * same way, and every commit that added rows moves the anchor.
 *
 * What the keyed chain protects against: anyone who can change rows but does not hold the
 * database key (SQL reached through some other path, a future server database's operator)
 * cannot re-link an edit, as plain SHA-256 would let them. What it does not: whoever holds the
 * database key can derive the chain key and re-hash everything after an edit; the anchor file
 * (kept outside the database) is what catches that, as long as they cannot rewrite it too.
 */
export class AuditLog {
  private pending = false
  private anchored: AuditHead | null
  private lastAnchorCheck: AnchorCheck | null = null
  private lastVerify: AuditHealth['lastVerify'] = null
  private firstKeyed: number | null = null
  /** the newest committed row this process has seen (the anchor may be frozen behind it). */
  private lastHead: AuditHead | null = null

  constructor(
    private readonly keys: AuditKeys,
    private readonly anchor: AuditAnchor | null,
    private readonly clock: Clock,
  ) {
    this.anchored = anchor?.last() ?? null
  }

  /** Redacts and appends one row in the caller's transaction; the anchor moves once it commits (see afterCommit). */
  async append(db: Kysely<DB>, r: AuditRecord): Promise<void> {
    const { value, numbers } = redactForAudit(r.detail ?? {})
    // the target is free text too (`client:12`, but a writer may name anything there)
    const found = new Set(numbers)
    const target = r.target === null ? null : maskNumbersInText(r.target, { add: (n) => void found.add(n) })
    const numberKeys = [...new Set([...found].map((n) => numberKey(this.keys, n)))].sort().join(' ')
    this.pending = true
    await insertAuditRow(db, this.keys.chain, { ...r, target, detail: JSON.stringify(value ?? {}), numberKeys })
  }

  /**
   * Call after a transaction that may have appended rows has committed: writes the committed
   * head to the anchor file, unless the anchor no longer agrees with the database (then it is
   * left as it is, as evidence, and health and verify report it).
   */
  async afterCommit(db: Kysely<DB>): Promise<void> {
    if (!this.pending || !this.anchor) return
    this.pending = false
    const head = await auditHead(db)
    this.lastHead = head
    if (!head || (this.anchored && head.id <= this.anchored.id)) return
    const check = await this.checkAnchor(db)
    if (check.status !== 'agrees' && check.status !== 'none' && check.status !== 'missing') return
    // another commit's call may have anchored this head or a newer one meanwhile: lines only move forward
    if (this.anchored && head.id <= this.anchored.id) return
    this.anchor.append(head)
    this.anchored = head
    const from = check.from ?? head.id
    const keyedFrom = await this.keyedFrom(db)
    this.lastAnchorCheck = { status: 'agrees', last: head, from, coversAll: keyedFrom === null || from <= keyedFrom }
  }

  /**
   * At start: anchors the current head when the anchor is behind (the process stopped between a
   * commit and its anchor line) or missing. Returns what it found before, for the host's log.
   */
  async catchUp(db: Kysely<DB>): Promise<AnchorCheck> {
    const before = await this.checkAnchor(db)
    this.pending = true
    await this.afterCommit(db)
    return before
  }

  /** The anchor file against the database: a few row lookups. */
  async checkAnchor(db: Kysely<DB>): Promise<AnchorCheck> {
    const last = this.anchor?.last() ?? null
    const first = this.anchor?.first() ?? null
    const keyedFrom = await this.keyedFrom(db)
    let status: AnchorCheck['status']
    if (!last) status = keyedFrom === null ? 'none' : 'missing'
    else {
      const stored = await auditHashOf(db, last.id)
      status = stored === null ? 'ahead' : stored === last.hash ? 'agrees' : 'disagrees'
    }
    const check: AnchorCheck = {
      status,
      last,
      from: first?.id ?? null,
      coversAll: keyedFrom === null || (first !== null && first.id <= keyedFrom),
    }
    this.lastAnchorCheck = check
    return check
  }

  /** The first keyed row; it never changes once there is one, so it is looked up once. */
  private async keyedFrom(db: Kysely<DB>): Promise<number | null> {
    this.firstKeyed ??= await firstKeyedId(db)
    return this.firstKeyed
  }

  /**
   * After a restore swapped the database: the anchor file vouched for the database set aside, so
   * `setAside` moves it away with that database, and a new anchor starts at the restored head.
   */
  async restartAnchor(db: Kysely<DB>, setAside: (anchorFile: string) => void): Promise<AnchorCheck> {
    if (this.anchor) {
      this.anchor.close()
      setAside(this.anchor.file)
    }
    this.anchored = null
    this.lastHead = null
    this.firstKeyed = null
    this.lastVerify = null
    this.lastAnchorCheck = null
    return this.catchUp(db)
  }

  /** Walks the chain of another database under this host's key (a backup's): the anchor is not consulted. */
  verifyChainOf(db: Kysely<DB>): ReturnType<typeof verifyChain> {
    return verifyChain(db, this.keys.chain)
  }

  /** Walks the whole chain and checks the anchor: the answer of `audit.verify`. */
  async verify(db: Kysely<DB>): Promise<AuditVerifyOutput> {
    const chain = await verifyChain(db, this.keys.chain)
    const anchor = await this.checkAnchor(db)
    const verifiedAt = this.clock.now().toISOString()
    const ok = chain.ok && anchorAgrees(anchor)
    this.lastVerify = { ok, checked: chain.checked, firstBrokenId: chain.firstBrokenId, verifiedAt }
    this.lastHead = await auditHead(db)
    return { ...chain, ok, head: this.lastHead, anchor, keyedFrom: await this.keyedFrom(db), verifiedAt }
  }

  /** What /healthz shows: the last checks, no database work. */
  health(): AuditHealth {
    const anchor = this.lastAnchorCheck
    const ok = (anchor === null || anchorAgrees(anchor)) && (this.lastVerify?.ok ?? true)
    return { ok, head: this.lastHead ?? this.anchored, anchor, lastVerify: this.lastVerify }
  }

  /** The keyed hash `audit.list` matches for what an admin typed, and its kind; null when it is not a phone or ID number. */
  searchKey(typed: string): { key: string; kind: 'phone' | 'id' } | null {
    const normalized = normalizeSearchNumber(typed)
    if (normalized === null) return null
    return { key: numberKey(this.keys, normalized), kind: normalized.startsWith('id:') ? 'id' : 'phone' }
  }

  /** Flushes and closes the anchor file. */
  close(): void {
    this.anchor?.close()
  }
}

/** The anchor vouches for the database: it agrees, or there is nothing to vouch for yet. */
function anchorAgrees(a: AnchorCheck): boolean {
  return a.status === 'agrees' || a.status === 'none'
}
