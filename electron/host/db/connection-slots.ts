import { performance } from 'node:perf_hooks'
import { DbPoolError } from './pool-error'
import type { WorkerConnection } from './worker-connection'
import type { SlotPriority, WriterTrace } from './writer-trace'

export type { SlotPriority } from './writer-trace'

/**
 * The longest a slice of a long job waits while calls keep coming: past it, it goes before them
 * (one slice, about 10 ms of the writer), so a writer kept busy by calls still moves a rules pass
 * or a departure on, at most one slice a second.
 */
export const JOB_WAIT_LIMIT_MS = 1_000

interface Waiter {
  resolve(c: WorkerConnection): void
  reject(err: Error): void
  priority: SlotPriority
  askedAt: number
}

/**
 * The connections of one side (the writer, or the readers) and the calls waiting for one: each
 * connection serves one caller at a time; waiting is bounded, and first come, first served within
 * a priority: a person's call ('call') is handed a connection before any slice of a long job
 * ('job') that waits, so a job's slices queue behind the calls (a slice that has waited
 * JOB_WAIT_LIMIT_MS goes first).
 */
export class ConnectionSlots {
  private readonly live = new Set<WorkerConnection>()
  private readonly idle: WorkerConnection[] = []
  /** the calls waiting, then the jobs' slices: each in the order they asked. */
  private readonly waiting: { call: Waiter[]; job: Waiter[] } = { call: [], job: [] }
  /** KEYUAN_DB_TRACE's (see WriterTrace): told of each hand-out and return. */
  trace: WriterTrace | null = null
  private readonly idleWatchers: Array<() => void> = []
  /** workers being started for this side. */
  private spawning = 0
  private closed = false
  /** while held (a restore swaps the file), no connection is handed out: calls wait. */
  private held = false
  private readonly drainWatchers: Array<() => void> = []
  /** people's calls that found no free connection and had to wait, so far. */
  private callsThatWaited = 0

  constructor(
    readonly side: 'writer' | 'reader',
    private readonly maxWaiting: number,
    /** the clock waits are measured by (tests set it). */
    private readonly now: () => number = () => performance.now(),
  ) {}

  /**
   * A free connection, at once or when one is released (a 'job' only once no 'call' waits);
   * refuses when too many already wait.
   */
  acquire(priority: SlotPriority = 'call'): Promise<WorkerConnection> {
    if (this.closed) return Promise.reject(new DbPoolError('DB_POOL_CLOSED', 'the database is closed'))
    const askedAt = this.now()
    if (!this.held) {
      const free = this.idle.pop()
      if (free) {
        this.handOut(free, priority, askedAt)
        return Promise.resolve(free)
      }
      if (this.live.size === 0 && this.spawning === 0) {
        return Promise.reject(new DbPoolError('DB_WORKER_EXITED', `no ${this.side} connection is open`))
      }
    }
    if (this.waitingCount() >= this.maxWaiting) {
      return Promise.reject(new DbPoolError('DB_POOL_FULL', `${this.waitingCount()} calls already wait for a ${this.side} connection`))
    }
    if (priority === 'call') this.callsThatWaited++
    return new Promise((resolve, reject) => this.waiting[priority].push({ resolve, reject, priority, askedAt }))
  }

  /**
   * How many people's calls have had to wait for a connection so far (a count that only grows): a
   * job's slice that saw it change held up a person (JobRunner then keeps its slices short).
   */
  get callsWaited(): number {
    return this.callsThatWaited
  }

  /** Gives a connection back: to the next waiting call, or to the idle ones. A dead one is dropped. */
  release(c: WorkerConnection): void {
    this.trace?.released(c)
    if (!this.live.has(c) || !c.alive) return
    this.hand(c)
  }

  /** A new connection joins (at start, or replacing one whose worker died). */
  add(c: WorkerConnection): void {
    this.live.add(c)
    this.hand(c)
  }

  /** A connection whose worker exited leaves; with none left and none starting, waiting calls fail. */
  remove(c: WorkerConnection): void {
    this.live.delete(c)
    const i = this.idle.indexOf(c)
    if (i >= 0) this.idle.splice(i, 1)
    if (this.held) this.checkDrained()
    this.failWaitingIfNone()
    this.checkIdle()
  }

  /** Counts a worker being started (`+1`) or done starting, either way (`-1`). */
  starting(delta: 1 | -1): void {
    this.spawning += delta
    this.failWaitingIfNone()
  }

  /** Resolves once no connection is in use and nobody waits. */
  whenIdle(): Promise<void> {
    return new Promise((resolve) => {
      this.idleWatchers.push(resolve)
      this.checkIdle()
    })
  }

  /**
   * Hands out no connection until `resume`: calls wait (bounded as ever). Resolves once every
   * connection is back, so none is in use; returns them (a restore closes them and swaps the file).
   */
  async hold(): Promise<WorkerConnection[]> {
    this.held = true
    // counted as starting, so a connection that leaves meanwhile does not fail the waiting calls
    this.spawning++
    await new Promise<void>((resolve) => {
      this.drainWatchers.push(resolve)
      this.checkDrained()
    })
    return [...this.live]
  }

  /** Hands out connections again (those added while held, first to the calls that waited). */
  resume(): void {
    this.held = false
    this.spawning--
    for (const c of this.idle.splice(0)) this.hand(c)
    this.failWaitingIfNone()
  }

  /** Refuses every later acquire; returns the open connections (to close). */
  close(): WorkerConnection[] {
    this.closed = true
    for (const w of this.takeAllWaiting()) w.reject(new DbPoolError('DB_POOL_CLOSED', 'the database is closed'))
    return [...this.live]
  }

  /** The open connections (tests reach a worker through them). */
  connections(): readonly WorkerConnection[] {
    return [...this.live]
  }

  private hand(c: WorkerConnection): void {
    if (this.held) {
      this.idle.push(c)
      this.checkDrained()
      return
    }
    const overdue = this.waiting.job.length > 0 && this.now() - this.waiting.job[0]!.askedAt >= JOB_WAIT_LIMIT_MS
    const next = (overdue ? this.waiting.job.shift() : undefined) ?? this.waiting.call.shift() ?? this.waiting.job.shift()
    if (next) {
      this.handOut(c, next.priority, next.askedAt)
      next.resolve(c)
    } else this.idle.push(c)
    this.checkIdle()
  }

  private handOut(c: WorkerConnection, priority: SlotPriority, askedAt: number): void {
    this.trace?.handed(c, priority, askedAt)
  }

  /** What the health page shows of this side: connections open, in use, starting, and calls waiting. */
  status(): { open: number; busy: number; starting: number; waiting: number } {
    return { open: this.live.size, busy: this.live.size - this.idle.length, starting: this.spawning, waiting: this.waitingCount() }
  }

  private waitingCount(): number {
    return this.waiting.call.length + this.waiting.job.length
  }

  private takeAllWaiting(): Waiter[] {
    return [...this.waiting.call.splice(0), ...this.waiting.job.splice(0)]
  }

  private failWaitingIfNone(): void {
    if (this.live.size > 0 || this.spawning > 0) return
    for (const w of this.takeAllWaiting()) w.reject(new DbPoolError('DB_WORKER_EXITED', `no ${this.side} connection is open`))
  }

  private checkDrained(): void {
    if (this.idle.length < this.live.size) return
    for (const fn of this.drainWatchers.splice(0)) fn()
  }

  private checkIdle(): void {
    if (this.waitingCount() > 0 || this.idle.length < this.live.size) return
    for (const fn of this.idleWatchers.splice(0)) fn()
  }
}
