import type { EventName } from '@shared/contract/events'
import type { Audience } from '../api/events'

/** One pushed event as kept for catch-up: its number, whom it is for, and its frame as sent. */
export interface KeptEvent {
  seq: number
  name: EventName
  audience: Audience
  frame: string
}

/**
 * The host's last pushed events, bounded in count and bytes, so a terminal back from a blip hears
 * what it missed (ResumeFrame). Oldest out first; `since` says when a gap is no longer covered.
 */
export class EventBacklog {
  private readonly kept: KeptEvent[] = []
  private bytes = 0
  private lastSeq = 0

  constructor(
    private readonly maxEvents: number,
    private readonly maxBytes: number,
  ) {}

  /** The number of the last event pushed (0 before the first). */
  get seq(): number {
    return this.lastSeq
  }

  /** Numbers and keeps the next event; returns its number. */
  add(name: EventName, audience: Audience, frameOf: (seq: number) => string): KeptEvent {
    const seq = ++this.lastSeq
    const e: KeptEvent = { seq, name, audience, frame: frameOf(seq) }
    this.kept.push(e)
    this.bytes += e.frame.length
    while (this.kept.length > this.maxEvents || (this.bytes > this.maxBytes && this.kept.length > 0)) {
      this.bytes -= this.kept.shift()!.frame.length
    }
    return e
  }

  /** The events after `after`, oldest first; null when some of them are no longer kept. */
  since(after: number): KeptEvent[] | null {
    if (after > this.lastSeq) return null
    const oldest = this.kept[0]?.seq ?? this.lastSeq + 1
    // every event from after+1 on must still be here
    if (after + 1 < oldest) return null
    return this.kept.filter((e) => e.seq > after)
  }
}
