import type { Kysely } from 'kysely'
import type { HostEvents } from '../api/events'
import type { Clock } from '../clock'
import type { DB } from '../db/schema'
import type { AuditLog } from '../domains/audit/audit-log'
import { evaluateRules, type RulePass } from '../domains/followups/rules/evaluate'
import { publishNotices } from '../domains/notifications/notice'
import { getRules } from '../domains/settings/rules.repository'
import { expireHolds } from '../domains/units/units.repository'

export interface SchedulerOptions {
  db: Kysely<DB>
  clock: Clock
  events: HostEvents
  auditLog: AuditLog
  /** ms between full evaluations; the rules are also evaluated per client after each change. */
  intervalMs?: number
  log?: (msg: string, err?: unknown) => void
}

/**
 * Decides when the follow-up rules (domains/followups/rules) run over all clients: on a timer,
 * and at start (a catch-up). It also closes 小订 and holds that ran out. State lives in the
 * database (tasks with event keys, client timestamps), so a restart or a week switched off
 * catches up in one run.
 */
export class Scheduler {
  private timer: ReturnType<typeof setInterval> | null = null
  private running: Promise<RulePass> | null = null

  constructor(private readonly opts: SchedulerOptions) {}

  /** One full evaluation now (runs are never concurrent). */
  async runOnce(): Promise<RulePass> {
    if (this.running) return this.running
    const { db, clock, events, auditLog } = this.opts
    this.running = db
      .transaction()
      .execute(async (trx) => {
        const expired = await expireHolds(trx, clock.now().toISOString())
        return { ...(await evaluateRules(trx, auditLog, clock.now(), await getRules(trx))), expired }
      })
      .then(async ({ expired, ...r }) => {
        await auditLog.afterCommit(db).catch((err: unknown) => this.opts.log?.('audit anchor not written', err))
        // 小订 and holds that ran out: their cells turn available on every board
        const byProject = new Map<number, number[]>()
        for (const e of expired) {
          const units = byProject.get(e.project_id)
          if (units) units.push(e.unit_id)
          else byProject.set(e.project_id, [e.unit_id])
        }
        for (const [projectId, unitIds] of byProject) events.publish('board.changed', { projectId, unitIds })
        publishNotices(events, r.notices)
        return r
      })
      .finally(() => {
        this.running = null
      })
    return this.running
  }

  start(): void {
    if (this.timer) return
    const tick = () => void this.runOnce().catch((err: unknown) => this.opts.log?.('scheduler run failed', err))
    tick()
    this.timer = setInterval(tick, this.opts.intervalMs ?? 60_000)
    this.timer.unref?.()
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer)
    this.timer = null
    await this.running?.catch(() => undefined)
  }
}
