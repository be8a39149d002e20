import type { Kysely } from 'kysely'
import type { Clock } from '../clock'
import type { DB } from '../db/schema'
import type { RuleCounts } from '../domains/followups/rules/evaluate'
import { queueRulePass, rulesPassJob } from '../domains/followups/rules/pass-job'
import type { JobRunner } from '../jobs/job-runner'
import { runningJobOf } from '../jobs/jobs.repository'

export interface SchedulerOptions {
  db: Kysely<DB>
  clock: Clock
  runner: JobRunner
  /** ms between full evaluations; the rules are also evaluated per client after each change. */
  intervalMs?: number
  log?: (msg: string, err?: unknown) => void
}

/** What a pass over the book did. */
export type PassResult = RuleCounts & { expired: number }

/**
 * Decides when the follow-up rules (domains/followups/rules) run over all clients: on a timer,
 * and at start (a catch-up). A pass is a job (rulesPassJob) worked in slices by the job runner,
 * so the host answers while it runs, and a pass cut off by a stop resumes at the next start.
 * It also closes 小订 and holds that ran out. State lives in the database (tasks with event
 * keys, client timestamps), so a restart or a week switched off catches up in one pass.
 */
export class Scheduler {
  private timer: ReturnType<typeof setInterval> | null = null
  private running: Promise<PassResult> | null = null
  private lastPassAt: Date | null = null
  private startedAt: Date | null = null

  constructor(private readonly opts: SchedulerOptions) {}

  /**
   * For the health page: when the last pass began, and how far past its due time the next one is
   * (a pass that outlasts the interval, or a timer starved by a busy host, shows here); 0 with the timer off.
   */
  status(): { intervalMs: number; lastPassAt: string | null; overdueMs: number } {
    const intervalMs = this.timer ? (this.opts.intervalMs ?? 60_000) : 0
    const since = this.lastPassAt ?? this.startedAt
    const overdueMs = this.timer && since ? Math.max(0, this.opts.clock.now().getTime() - since.getTime() - intervalMs) : 0
    return { intervalMs, lastPassAt: this.lastPassAt?.toISOString() ?? null, overdueMs }
  }

  /** One full pass now, or the one already running (passes are never concurrent); resolves when it has finished. */
  async runOnce(): Promise<PassResult> {
    if (this.running) return this.running
    const { db, clock, runner } = this.opts
    this.lastPassAt = clock.now()
    this.running = (async () => {
      const id = (await runningJobOf(db, rulesPassJob.kind)) ?? (await db.transaction().execute((trx) => queueRulePass(trx, clock.now().toISOString(), null)))
      const r = await runner.finished(id)
      return { tasksCreated: r.tasksCreated ?? 0, tasksResolved: r.tasksResolved ?? 0, pooled: r.pooled ?? 0, escalated: r.escalated ?? 0, expired: r.expired ?? 0 }
    })().finally(() => {
      this.running = null
    })
    return this.running
  }

  start(): void {
    if (this.timer) return
    this.startedAt = this.opts.clock.now()
    const tick = () => void this.runOnce().catch((err: unknown) => this.opts.log?.('scheduler run failed', err))
    tick()
    this.timer = setInterval(tick, this.opts.intervalMs ?? 60_000)
    this.timer.unref?.()
  }

  /** Stops the timer (call after the runner stopped: a pass in hand then ends unfinished, to resume at the next start). */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer)
    this.timer = null
    await this.running?.catch(() => undefined)
  }
}
