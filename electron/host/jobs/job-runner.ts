import { performance } from 'node:perf_hooks'
import type { Kysely } from 'kysely'
import type { DB } from '../db/schema'
import type { AnyJobKind, JobEnv, SliceOutcome } from './job-kind'
import { failJob, findJob, runningJobIds, saveSlice, type JobRecord } from './jobs.repository'

/** A slice should hold the database about this long: other calls wait at most one slice. */
const TARGET_SLICE_MS = 10
const MIN_SIZE = 10
const MAX_SIZE = 20_000

export interface JobRunnerOptions {
  db: Kysely<DB>
  env: JobEnv
  kinds: readonly AnyJobKind[]
  log?: (msg: string, err?: unknown) => void
  /**
   * People's calls that have had to wait for the writer so far (a growing count): a slice during
   * which it grew held someone up, and the next is sized to TARGET_SLICE_MS whatever its kind's
   * idleSliceMs. Absent: every slice is sized to TARGET_SLICE_MS.
   */
  callsWaited?: () => number
}

type Waiter = { resolve: (result: Record<string, number>) => void; reject: (err: unknown) => void }

/**
 * Lets the event loop answer what arrived meanwhile before the next slice. A timer, then an
 * immediate: the loop passes its poll phase between the two, so requests that came in during the
 * slice are read and started before the next slice takes the database (an immediate alone can run
 * before that poll, and a waiting request would then wait for two slices).
 */
const yieldToOthers = async () => {
  await new Promise<void>((resolve) => setTimeout(resolve, 0))
  await new Promise<void>((resolve) => setImmediate(resolve))
}

/**
 * Works the running jobs of the `jobs` table in slices, round robin, one slice (one short
 * transaction) at a time with the event loop free between them. Slices are sized to about
 * TARGET_SLICE_MS each. Started, it resumes what a stopped host left running; handlers queue jobs
 * in their transaction and signal `events.jobsQueued()` after commit.
 */
export class JobRunner {
  private readonly kinds = new Map<string, AnyJobKind>()
  private readonly sizes = new Map<number, number>()
  private readonly waiters = new Map<number, Waiter[]>()
  private loop: Promise<void> | null = null
  private queued = false
  private started = false
  private stopped = false
  private unsubscribe: (() => void) | null = null
  /** callsWaited when the running slice began (undefined: no slice, or no count to watch). */
  private waitedBefore: number | undefined
  /** What every slice sees: the host's env and whether a person has waited since the slice began (one object: kinds may key state by it). */
  private readonly env: JobEnv

  constructor(private readonly opts: JobRunnerOptions) {
    for (const k of opts.kinds) this.kinds.set(k.kind, k)
    this.env = { ...opts.env, heldUp: () => this.waitedBefore !== undefined && this.opts.callsWaited?.() !== this.waitedBefore }
  }

  /** Resumes the running jobs and listens for new ones. */
  start(): void {
    if (this.started) return
    this.started = true
    this.unsubscribe = this.opts.env.events.onJobsQueued(() => this.kick())
    this.kick()
  }

  /** Works the running jobs now (when not already at it). */
  kick(): void {
    this.queued = true
    if (this.loop || this.stopped || !this.started) return
    this.loop = this.work()
      .catch((err: unknown) => this.opts.log?.('job runner stopped on an error', err))
      .finally(() => {
        this.loop = null
        if (this.queued && !this.stopped) this.kick()
      })
  }

  /** What the job did once it has finished (resolves at once for a finished one). */
  async finished(id: number): Promise<Record<string, number>> {
    // a stopped runner settles no more waiters: whoever waits (the scheduler's pass at a stop) must not wait forever
    if (this.stopped) throw new Error('the host is stopping')
    const done = new Promise<Record<string, number>>((resolve, reject) => {
      const list = this.waiters.get(id)
      if (list) list.push({ resolve, reject })
      else this.waiters.set(id, [{ resolve, reject }])
    })
    // a stop while the job is read below settles `done` before it is returned: handled here, so the
    // rejection is not an unhandled one that ends the process (the caller still gets it)
    done.catch(() => undefined)
    const row = await findJob(this.opts.db, id)
    if (!row) this.settle(id, new Error(`no job ${id}`))
    else if (row.status === 'done') this.settle(id, JSON.parse(row.result ?? '{}') as Record<string, number>)
    else if (row.status === 'failed') this.settle(id, new Error(`job ${id} failed`))
    else if (this.stopped) this.settle(id, new Error('the host is stopping'))
    else this.kick()
    return done
  }

  /** Stops after the slice in hand; running jobs stay running in the table for the next start. */
  async stop(): Promise<void> {
    this.stopped = true
    this.unsubscribe?.()
    await this.loop
    for (const id of [...this.waiters.keys()]) this.settle(id, new Error('the host is stopping'))
  }

  private settle(id: number, outcome: Record<string, number> | Error): void {
    const list = this.waiters.get(id) ?? []
    this.waiters.delete(id)
    for (const w of list) {
      if (outcome instanceof Error) w.reject(outcome)
      else w.resolve(outcome)
    }
  }

  private async work(): Promise<void> {
    for (;;) {
      this.queued = false
      const ids = await runningJobIds(this.opts.db)
      if (ids.length === 0 && !this.queued) return
      for (const id of ids) {
        if (this.stopped) return
        await this.slice(id)
        await yieldToOthers()
      }
    }
  }

  /** One slice of one job in its own transaction; a failing slice fails its job (rolled back to its last cursor). */
  private async slice(id: number): Promise<void> {
    const { db } = this.opts
    const env = this.env
    const t0 = performance.now()
    const waitedBefore = this.opts.callsWaited?.()
    this.waitedBefore = waitedBefore
    let size = this.sizes.get(id)
    let idleMs: number | undefined
    let out: SliceOutcome<unknown> | null = null
    try {
      out = await db.transaction().execute(async (trx) => {
        const row = await findJob(trx, id)
        if (!row || row.status !== 'running') return null
        const kind = this.kinds.get(row.kind)
        if (!kind) throw new Error(`no job kind ${row.kind}`)
        idleMs = kind.idleSliceMs
        size ??= kind.firstSize
        return workSlice(trx, kind, row, size, env)
      })
    } catch (err) {
      this.opts.log?.(`job ${id} failed`, err)
      await failJob(db, id, env.clock.now().toISOString()).catch((e: unknown) => this.opts.log?.(`job ${id} not marked failed`, e))
      this.sizes.delete(id)
      this.settle(id, new Error(`job ${id} failed`))
      return
    }
    await env.auditLog.afterCommit(db).catch((err: unknown) => this.opts.log?.('audit anchor not written', err))
    if (!out) return
    out.afterCommit?.()
    if (out.finished) {
      this.sizes.delete(id)
      this.settle(id, out.result ?? {})
      return
    }
    // the next slice sized to the time target: shrinking at once (to a quarter at most), growing by a
    // quarter at most, since a slice's cost grows faster than its size (its commit writes more pages
    // the more rows it touched: 100 clients handed over commit in ~4 ms, 500 in ~150 ms)
    // a kind may take longer slices while nobody waits for the writer (idleSliceMs): once a call
    // has had to wait during one, the next is sized to the short target at once (no quarter step)
    const ms = Math.max(performance.now() - t0, 0.5)
    const now = size ?? MIN_SIZE
    const heldSomeoneUp = waitedBefore === undefined || this.opts.callsWaited?.() !== waitedBefore
    const target = idleMs !== undefined && !heldSomeoneUp ? idleMs : TARGET_SLICE_MS
    const floor = idleMs !== undefined && heldSomeoneUp ? MIN_SIZE : now / 4
    this.sizes.set(id, Math.round(Math.min(MAX_SIZE, Math.max(MIN_SIZE, floor, Math.min(now * 1.25, (now * target) / ms)))))
    // the other jobs wait with it: what a kind waits for comes within a slice's time or so
    if (out.wait) await out.wait
  }
}

/**
 * One slice of a running job, in the caller's transaction: its params and cursor parsed from the
 * row, at most `size` items done, and where it ended saved to the row (the cursor parsed again, so
 * a kind cannot save one it could not read back).
 */
async function workSlice(db: Kysely<DB>, kind: AnyJobKind, row: JobRecord, size: number, env: JobEnv): Promise<SliceOutcome<unknown>> {
  const job = { id: row.id, params: kind.params.parse(JSON.parse(row.params)), cursor: kind.cursor.parse(JSON.parse(row.cursor)), done: row.done }
  const r = await kind.slice(db, job, size, env)
  await saveSlice(db, row.id, { cursor: JSON.stringify(kind.cursor.parse(r.cursor)), done: r.done, finished: r.finished, result: r.result }, env.clock.now().toISOString())
  return r
}

/**
 * Works a job to its end inside the caller's transaction (a small one, such as a departure of a few
 * hundred clients, is done within the call that asked for it). Pushes run after that commit.
 */
export async function runJobInline(
  db: Kysely<DB>,
  kind: AnyJobKind,
  id: number,
  env: JobEnv,
  afterCommit: (fn: () => void) => void,
): Promise<Record<string, number>> {
  for (;;) {
    const row = await findJob(db, id)
    if (!row || row.status !== 'running') throw new Error(`job ${id} is not running`)
    const r = await workSlice(db, kind, row, MAX_SIZE, env)
    if (r.afterCommit) afterCommit(r.afterCommit)
    if (r.finished) return r.result ?? {}
  }
}
