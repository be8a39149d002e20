import { EventEmitter } from 'node:events'
import type { EventName, EventPayload } from '@shared/contract/events'

/** Whom a pushed event is for. */
export type Audience = { kind: 'all' } | { kind: 'staff'; staffId: number } | { kind: 'session'; tokenHash: string }

export interface PushedEvent<N extends EventName = EventName> {
  name: N
  payload: EventPayload<N>
  audience: Audience
}

/** In-host bus: domains publish, transports deliver to connected clients. */
export class HostEvents {
  private readonly emitter = new EventEmitter()

  constructor() {
    this.emitter.setMaxListeners(0)
  }

  publish<N extends EventName>(name: N, payload: EventPayload<N>, audience: Audience = { kind: 'all' }): void {
    this.emitter.emit('event', { name, payload, audience } satisfies PushedEvent<N>)
  }

  /** Sessions were revoked (logout, deactivation, password change): transports drop them. */
  sessionsRevoked(tokenHashes: readonly string[]): void {
    if (tokenHashes.length > 0) this.emitter.emit('revoked', tokenHashes)
  }

  /** Jobs were queued (a committed write added rows to `jobs`): the job runner takes them up. */
  jobsQueued(): void {
    this.emitter.emit('jobs')
  }

  onJobsQueued(fn: () => void): () => void {
    this.emitter.on('jobs', fn)
    return () => this.emitter.off('jobs', fn)
  }

  onEvent(fn: (e: PushedEvent) => void): () => void {
    this.emitter.on('event', fn)
    return () => this.emitter.off('event', fn)
  }

  onRevoked(fn: (tokenHashes: readonly string[]) => void): () => void {
    this.emitter.on('revoked', fn)
    return () => this.emitter.off('revoked', fn)
  }
}
