import type { Kysely } from 'kysely'
import type { HostEvents } from '../api/events'
import type { Clock } from '../clock'
import type { DB } from '../db/schema'
import { getRules } from '../domains/settings/rules.repository'
import { evaluateRules, type RuleRunResult } from './rules-engine'

export interface SchedulerOptions {
  db: Kysely<DB>
  clock: Clock
  events: HostEvents
  /** ms between full evaluations; the rules are also evaluated per client after each change. */
  intervalMs?: number
  log?: (msg: string, err?: unknown) => void
}

/**
 * Runs the rules over all clients on a timer. State lives in the database (tasks with event
 * keys, client timestamps), so a restart or a week switched off catches up in one run.
 */
export class Scheduler {
  private timer: ReturnType<typeof setInterval> | null = null
  private running: Promise<RuleRunResult> | null = null

  constructor(private readonly opts: SchedulerOptions) {}

  /** One full evaluation now (runs are never concurrent). */
  async runOnce(): Promise<RuleRunResult> {
    if (this.running) return this.running
    const { db, clock, events } = this.opts
    this.running = db
      .transaction()
      .execute(async (trx) => evaluateRules(trx, clock.now(), await getRules(trx)))
      .then((r) => {
        for (const n of r.notices) {
          events.publish('notice.new', { title: n.title, body: n.body, clientId: n.clientId, taskId: n.taskId }, { kind: 'staff', staffId: n.staffId })
        }
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
