import type { Kysely } from 'kysely'
import type { DB } from '../../db/schema'
import type { AuditLog, AuditRecord } from './audit-log'

export interface AuditQueueDeps {
  writer: Kysely<DB>
  /** where the audit anchor reads the committed head after a batch. */
  reader: Kysely<DB>
  auditLog: AuditLog
  log?: ((msg: string, err?: unknown) => void) | undefined
}

/** Rows kept for another try after failed writes; beyond it the oldest are dropped (and logged as dropped). */
const MAX_WAITING = 10_000

/**
 * Audit rows a call leaves that its answer need not wait for (a search's phone lookups): each
 * row is made when the call runs (who, what, when), then written with the others waiting in one
 * writer transaction, started right after the answer has gone (setImmediate). The host drains the
 * queue before it closes. A batch that cannot be written is logged with its error and kept for
 * the next batch or the drain, so a row is never lost without a line in the host's log.
 */
export class AuditQueue {
  private waiting: AuditRecord[] = []
  private running: Promise<void> | null = null
  private timer: NodeJS.Immediate | null = null

  constructor(private readonly deps: AuditQueueDeps) {}

  /** Queues a row; it is written right after the current call has answered. */
  push(row: AuditRecord): void {
    this.waiting.push(row)
    this.timer ??= setImmediate(() => {
      this.timer = null
      void this.start()
    })
  }

  /**
   * Hands the waiting rows to a transaction about to write other audit rows, to go first (the
   * log keeps the calls' order); take them right before its connection is asked for, and give
   * them back (putBack) if it does not commit.
   */
  take(): AuditRecord[] {
    return this.waiting.splice(0)
  }

  /** Rows taken by a transaction that did not commit: they wait again, first. */
  putBack(rows: readonly AuditRecord[]): void {
    if (rows.length === 0) return
    this.waiting = [...rows, ...this.waiting]
    this.timer ??= setImmediate(() => {
      this.timer = null
      void this.start()
    })
  }

  /** Writes every row still waiting, and resolves once that is done (or logged as failed). */
  async drain(): Promise<void> {
    if (this.timer) clearImmediate(this.timer)
    this.timer = null
    await this.running
    // a failed batch is kept: one more try now, its failure logged again
    if (this.waiting.length > 0) await this.start()
  }

  /** One writer at a time: a batch in progress takes the rows that arrive meanwhile once it is done. */
  private start(): Promise<void> {
    this.running ??= this.writeAll().finally(() => {
      this.running = null
    })
    return this.running
  }

  private async writeAll(): Promise<void> {
    const { writer, reader, auditLog, log } = this.deps
    while (this.waiting.length > 0) {
      const batch = this.waiting
      this.waiting = []
      try {
        await writer.transaction().execute(async (trx) => {
          for (const row of batch) await auditLog.append(trx, row)
        })
      } catch (err) {
        log?.(`could not write ${batch.length} audit row(s) (${[...new Set(batch.map((r) => r.action))].join(', ')}); kept for the next try`, err)
        this.waiting = [...batch, ...this.waiting]
        const over = this.waiting.length - MAX_WAITING
        if (over > 0) {
          this.waiting.splice(0, over)
          log?.(`dropped the ${over} oldest audit row(s) waiting to be written`)
        }
        return
      }
      try {
        await auditLog.afterCommit(reader)
      } catch (err) {
        log?.('could not write the audit anchor', err)
      }
    }
  }
}
