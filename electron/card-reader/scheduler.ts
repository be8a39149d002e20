/** Time and timers, injected so the reader service and fake devices are tested without waiting. */
export interface Scheduler {
  /** milliseconds since the epoch */
  now(): number
  setTimeout(fn: () => void, ms: number): TimerId
  clearTimeout(id: TimerId): void
}

export type TimerId = { readonly timer: number }

/** The real clock and timers (timers never keep the process alive). */
export function systemScheduler(): Scheduler {
  let next = 1
  const live = new Map<number, ReturnType<typeof setTimeout>>()
  return {
    now: () => Date.now(),
    setTimeout(fn, ms) {
      const id = next++
      const handle = setTimeout(() => {
        live.delete(id)
        fn()
      }, ms)
      handle.unref?.()
      live.set(id, handle)
      return { timer: id }
    },
    clearTimeout(id) {
      const handle = live.get(id.timer)
      if (handle !== undefined) clearTimeout(handle)
      live.delete(id.timer)
    },
  }
}

/** A scheduler the tests move by hand; `advance` runs due timers in time order and lets promises settle. */
export class ManualScheduler implements Scheduler {
  private current: number
  private next = 1
  private readonly timers = new Map<number, { at: number; fn: () => void }>()

  constructor(start = Date.UTC(2026, 10, 25, 2, 0, 0)) {
    this.current = start
  }

  now(): number {
    return this.current
  }

  setTimeout(fn: () => void, ms: number): TimerId {
    const id = this.next++
    this.timers.set(id, { at: this.current + Math.max(0, ms), fn })
    return { timer: id }
  }

  clearTimeout(id: TimerId): void {
    this.timers.delete(id.timer)
  }

  /** Number of timers still waiting. */
  pending(): number {
    return this.timers.size
  }

  /** Moves time forward by `ms`, firing every timer that falls due (also ones set while advancing). */
  async advance(ms: number): Promise<void> {
    const end = this.current + ms
    await settle()
    for (;;) {
      const due = this.earliest(end)
      if (!due) break
      this.timers.delete(due.id)
      this.current = due.at
      due.fn()
      await settle()
    }
    this.current = end
    await settle()
  }

  private earliest(limit: number): { id: number; at: number; fn: () => void } | null {
    let best: { id: number; at: number; fn: () => void } | null = null
    for (const [id, t] of this.timers) {
      if (t.at <= limit && (!best || t.at < best.at || (t.at === best.at && id < best.id))) best = { id, ...t }
    }
    return best
  }
}

/** Lets every pending promise callback run (one macrotask turn; no real waiting). */
export function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve))
}
