import fs from 'node:fs'
import { monitorEventLoopDelay, performance, PerformanceObserver } from 'node:perf_hooks'
import { walFrames } from './wal-index'

/** Who asked for a connection: a person's call, or a slice of a long job (see ConnectionSlots). */
export type SlotPriority = 'call' | 'job'

/** How often the trace writes a line. */
const TRACE_EVERY_MS = 5_000
/** How often it reads the WAL's length from the shared-memory index. */
const WAL_EVERY_MS = 100

interface Held {
  at: number
  sample: Sample
}

interface Sample {
  priority: SlotPriority
  waitMs: number
  holdMs: number
  messages: number
}

function pct(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!
}

function summary(values: number[]) {
  const s = [...values].sort((a, b) => a - b)
  const r = (x: number) => Math.round(x * 100) / 100
  return { n: s.length, p50: r(pct(s, 50)), p99: r(pct(s, 99)), max: r(s[s.length - 1] ?? 0), sum: r(s.reduce((a, b) => a + b, 0)) }
}

/**
 * A diagnosis aid for the writer's queue, off unless KEYUAN_DB_TRACE names a file: every
 * TRACE_EVERY_MS it appends one JSON line with, per priority, how long each hand-out of the
 * writer waited, how long it was held and how many messages went to the writer's thread while
 * held; and the event loop's delay, the GC pauses and the WAL's size over the same time.
 * docs/performance.md says what it found.
 */
export class WriterTrace {
  private readonly held = new Map<object, Held>()
  private samples: Sample[] = []
  private gcMs = 0
  private gcCount = 0
  private readonly timer: NodeJS.Timeout
  private readonly delay = monitorEventLoopDelay({ resolution: 10 })
  private readonly gc: PerformanceObserver
  private readonly walTimer: NodeJS.Timeout
  /** frames in the WAL: the longest seen in this line's time, and the last reading. */
  private walFramesMax = 0
  private walNow = 0

  private constructor(
    private readonly file: string,
    private readonly dbFile: string,
  ) {
    this.delay.enable()
    this.gc = new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        this.gcMs += e.duration
        this.gcCount++
      }
    })
    this.gc.observe({ entryTypes: ['gc'] })
    this.timer = setInterval(() => this.flush(), TRACE_EVERY_MS)
    this.timer.unref()
    this.walTimer = setInterval(() => {
      // the page size SQLCipher uses by default (the host sets no other); the file is only stat'ed (wal-index.ts)
      this.walNow = walFrames(this.dbFile, 4096)
      this.walFramesMax = Math.max(this.walFramesMax, this.walNow)
    }, WAL_EVERY_MS)
    this.walTimer.unref()
  }

  /** The trace KEYUAN_DB_TRACE asks for, or null (the usual case: nothing is measured). */
  static fromEnv(env: NodeJS.ProcessEnv, dbFile: string): WriterTrace | null {
    const file = env.KEYUAN_DB_TRACE
    return file ? new WriterTrace(file, dbFile) : null
  }

  /** A connection was handed out after waiting since `askedAt`. */
  handed(conn: object, priority: SlotPriority, askedAt: number): void {
    const now = performance.now()
    const sample: Sample = { priority, waitMs: now - askedAt, holdMs: 0, messages: 0 }
    this.held.set(conn, { at: now, sample })
  }

  /** A message went to the thread of `conn`. */
  sent(conn: object): void {
    const h = this.held.get(conn)
    if (h) h.sample.messages++
  }

  /** `conn` came back: its hand-out is counted in the line being gathered. */
  released(conn: object): void {
    const h = this.held.get(conn)
    if (!h) return
    this.held.delete(conn)
    h.sample.holdMs = performance.now() - h.at
    this.samples.push(h.sample)
  }

  stop(): void {
    clearInterval(this.timer)
    clearInterval(this.walTimer)
    this.gc.disconnect()
    this.delay.disable()
    this.flush()
  }

  private flush(): void {
    const by = (p: SlotPriority) => this.samples.filter((s) => s.priority === p)
    const line = {
      at: new Date().toISOString(),
      ...Object.fromEntries(
        (['call', 'job'] as const).map((p) => {
          const s = by(p)
          return [p, { wait: summary(s.map((x) => x.waitMs)), hold: summary(s.map((x) => x.holdMs)), messages: summary(s.map((x) => x.messages)) }]
        }),
      ),
      loopDelayP99Ms: Math.round(this.delay.percentile(99) / 1e4) / 100,
      loopDelayMaxMs: Math.round(this.delay.max / 1e4) / 100,
      gc: { count: this.gcCount, ms: Math.round(this.gcMs) },
      walBytes: walSize(this.dbFile),
      walFrames: { max: this.walFramesMax, now: this.walNow },
    }
    this.walFramesMax = 0
    this.samples = []
    this.gcMs = 0
    this.gcCount = 0
    this.delay.reset()
    fs.appendFileSync(this.file, `${JSON.stringify(line)}\n`)
  }
}

function walSize(dbFile: string): number {
  try {
    return fs.statSync(`${dbFile}-wal`).size
  } catch {
    return 0
  }
}

