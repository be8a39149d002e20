import type { Clock } from '../clock'

/** Lines of one kind written per window; a flood of bad requests must not flood the log. */
const LINES_PER_WINDOW = 20
const WINDOW_MS = 60_000
/** characters of outside text (a Host header, a path) quoted in a line. */
const QUOTED_CHARS = 80

/**
 * One line per refused or broken request, at most LINES_PER_WINDOW per kind a minute; what was
 * left out is counted in the next line of that kind. No stacks: these are the outside's faults.
 */
export class EventLog {
  private readonly windows = new Map<string, { start: number; written: number; dropped: number }>()

  constructor(
    private readonly write: ((msg: string) => void) | undefined,
    private readonly clock: Clock,
  ) {}

  /** Logs `detail` under `kind` (e.g. 'refused host'). */
  event(kind: string, detail: string): void {
    if (!this.write) return
    const now = this.clock.now().getTime()
    let w = this.windows.get(kind)
    if (!w || now - w.start >= WINDOW_MS) {
      const dropped = w?.dropped ?? 0
      w = { start: now, written: 0, dropped: 0 }
      this.windows.set(kind, w)
      if (dropped > 0) this.write(`${kind}: ${dropped} more in the last minute were not logged`)
    }
    if (w.written >= LINES_PER_WINDOW) {
      w.dropped++
      return
    }
    w.written++
    this.write(`${kind}: ${detail}`)
  }
}

/** Outside text made safe for one log line: quoted, control characters escaped, cut short. */
export function quote(text: string | undefined): string {
  if (text === undefined) return '(none)'
  const cut = text.length > QUOTED_CHARS ? `${text.slice(0, QUOTED_CHARS)}…` : text
  return JSON.stringify(cut)
}
