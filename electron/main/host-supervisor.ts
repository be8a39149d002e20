import type { Scheduler, TimerId } from '../card-reader/scheduler'
import { parseHostReady, type HostReady } from './window-policy'

/** The host process as the supervisor sees it (Electron's utilityProcess behind it; a fake in tests). */
export interface SupervisedChild {
  onMessage(fn: (message: unknown) => void): void
  onExit(fn: (code: number | null) => void): void
  kill(): void
}

/** When to restart and when to stop trying. */
export interface RestartPolicy {
  /** the wait before the first restart; it doubles with each quick crash in a row. */
  firstDelayMs: number
  /** the longest wait between restarts. */
  maxDelayMs: number
  /** a host that served this long before it stopped was healthy: the count of quick crashes starts again. */
  stableAfterMs: number
  /** this many quick crashes in a row and the supervisor gives up (something is wrong that a restart will not fix). */
  maxQuickCrashes: number
}

// 0.5 s, 1, 2, 4, 8, 16, 30, 30: about a minute and a half of trying before giving up
export const DEFAULT_RESTART: RestartPolicy = { firstDelayMs: 500, maxDelayMs: 30_000, stableAfterMs: 60_000, maxQuickCrashes: 8 }

export interface SupervisorOptions {
  /** starts the host listening on `port` (0 picks a free one). */
  fork(port: number): SupervisedChild
  scheduler: Scheduler
  policy?: Partial<RestartPolicy>
  /** the host serves; `restarted` is false only the first time. */
  onReady(ready: HostReady, restarted: boolean): void
  /** the host stopped on its own and will be started again in `restartInMs`. */
  onCrash(info: { code: number | null; quickCrashes: number; restartInMs: number }): void
  /** the host stopped `quickCrashes` times in a row soon after starting; no more restarts until `retry()`. */
  onGiveUp(info: { code: number | null; quickCrashes: number }): void
}

export type SupervisorState = 'idle' | 'starting' | 'running' | 'waiting' | 'gave-up' | 'stopped'

/**
 * Keeps the host process running: restarts it when it stops, on the port its first start got (so
 * the window's address, and the token the page keeps for that address, stay valid), with doubling
 * waits, and gives up after too many quick crashes in a row.
 */
export class HostSupervisor {
  private readonly policy: RestartPolicy
  private child: SupervisedChild | null = null
  private port = 0
  private readyAt: number | null = null
  private everReady = false
  private quickCrashes = 0
  private timer: TimerId | null = null
  private current: SupervisorState = 'idle'

  constructor(private readonly opts: SupervisorOptions) {
    this.policy = { ...DEFAULT_RESTART, ...opts.policy }
  }

  get state(): SupervisorState {
    return this.current
  }

  /** Starts the host; `port` is the one to ask for the first time (0: any free port). */
  start(port = 0): void {
    if (this.current !== 'idle') return
    this.port = port
    this.launch()
  }

  /** After giving up: tries again with a fresh count (the user asked to). */
  retry(): void {
    if (this.current !== 'gave-up') return
    this.quickCrashes = 0
    this.launch()
  }

  /** Stops the host for good (the app is quitting): no restart follows its exit. */
  stop(): void {
    this.current = 'stopped'
    if (this.timer) this.opts.scheduler.clearTimeout(this.timer)
    this.timer = null
    this.child?.kill()
    this.child = null
  }

  private launch(): void {
    this.timer = null
    this.readyAt = null
    this.current = 'starting'
    const child = this.opts.fork(this.port)
    this.child = child
    child.onMessage((m) => {
      if (this.child !== child) return
      const ready = parseHostReady(m)
      if (!ready || this.readyAt !== null) return
      this.readyAt = this.opts.scheduler.now()
      this.current = 'running'
      // later starts ask for the same port, so the window's URL stays the same
      const port = Number(new URL(ready.url).port)
      if (port > 0) this.port = port
      const restarted = this.everReady
      this.everReady = true
      this.opts.onReady(ready, restarted)
    })
    child.onExit((code) => this.exited(child, code))
  }

  private exited(child: SupervisedChild, code: number | null): void {
    if (this.child !== child || this.current === 'stopped') return
    this.child = null
    const servedLongEnough = this.readyAt !== null && this.opts.scheduler.now() - this.readyAt >= this.policy.stableAfterMs
    this.quickCrashes = servedLongEnough ? 1 : this.quickCrashes + 1
    if (this.quickCrashes >= this.policy.maxQuickCrashes) {
      this.current = 'gave-up'
      this.opts.onGiveUp({ code, quickCrashes: this.quickCrashes })
      return
    }
    const restartInMs = Math.min(this.policy.maxDelayMs, this.policy.firstDelayMs * 2 ** (this.quickCrashes - 1))
    this.current = 'waiting'
    this.opts.onCrash({ code, quickCrashes: this.quickCrashes, restartInMs })
    this.timer = this.opts.scheduler.setTimeout(() => this.launch(), restartInMs)
  }
}
