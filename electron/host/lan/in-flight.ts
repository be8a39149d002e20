/** Work the server has accepted and not yet answered: HTTP requests and WebSocket calls. */
export class InFlight {
  private count = 0
  private readonly idle = new Set<() => void>()

  get size(): number {
    return this.count
  }

  /** Marks one piece of work started; call the returned function (once is enough) when it ends. */
  begin(): () => void {
    this.count++
    let ended = false
    return () => {
      if (ended) return
      ended = true
      this.count--
      if (this.count === 0) for (const wake of this.idle) wake()
    }
  }

  /** Resolves true once nothing is in flight, or false after `timeoutMs` with work still running. */
  settled(timeoutMs: number): Promise<boolean> {
    if (this.count === 0) return Promise.resolve(true)
    return new Promise((resolve) => {
      const done = (ok: boolean) => {
        clearTimeout(timer)
        this.idle.delete(wake)
        resolve(ok)
      }
      const wake = () => done(true)
      const timer = setTimeout(() => done(false), timeoutMs)
      this.idle.add(wake)
    })
  }
}
