import path from 'node:path'
import { CardReaderService, loadReaderProfiles, type CardReaderBackend, type ReaderStatus, type Scheduler } from '../card-reader'

/** What the renderer learns about the reader: a small, serialisable status for the status light. */
export interface ReaderLight {
  state: ReaderStatus['state']
  /** the reader's profile name, or the error. */
  detail: string | null
  /** for keyboard-wedge readers: how the typed text becomes a UID. */
  uidFormat: string | null
}

/** Turns the driver's status into the renderer's status light. */
export function readerLight(s: ReaderStatus): ReaderLight {
  switch (s.state) {
    case 'none':
      return { state: 'none', detail: null, uidFormat: null }
    case 'connected':
      return { state: 'connected', detail: s.profile.name, uidFormat: null }
    case 'keyboard-wedge':
      return { state: 'keyboard-wedge', detail: s.profile.name, uidFormat: s.profile.uidFormat }
    case 'error':
      return { state: 'error', detail: s.message, uidFormat: null }
  }
}

export interface BridgeOptions {
  backend: CardReaderBackend
  /** learned profiles first, then the bundled ones. */
  profileFiles: readonly string[]
  platform: NodeJS.Platform
  /** delivers an event to the window on this PC. */
  send: (channel: 'card:swipe' | 'card:status' | 'card:rejected', payload: unknown) => void
  /** timers; injected by tests. */
  scheduler?: Scheduler
}

/** Starts the reader of this PC and forwards swipes and status to the renderer; returns a stop function. */
export async function startCardReaderBridge(opts: BridgeOptions): Promise<() => Promise<void>> {
  const profiles = await loadReaderProfiles(opts.profileFiles)
  const reader = new CardReaderService({ backend: opts.backend, profiles, platform: opts.platform, scheduler: opts.scheduler })
  reader.onSwipe((s) => opts.send('card:swipe', s.uid))
  reader.onRejected((r) => opts.send('card:rejected', r.reason))
  reader.onStatus((s) => opts.send('card:status', readerLight(s)))
  reader.start()
  return () => reader.stop()
}

/** Where reader profiles live: the PC's learned ones, then those shipped with the app. */
export function profileFiles(userDataDir: string, resourcesDir: string): string[] {
  return [path.join(userDataDir, 'reader-profiles.json'), path.join(resourcesDir, 'reader-profiles', 'profiles.json')]
}
