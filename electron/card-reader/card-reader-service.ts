import type { CardReaderBackend, CardReaderDevice, HidDeviceInfo } from './device'
import { toHex } from '@shared/domain/hex'
import { Listeners } from './listeners'
import type { ParserEvent, RawRead, RejectReason, ReportParser } from './parser-types'
import { decideReaderAccess } from './reader-access'
import { profileMatches, type ReaderProfile } from './reader-profile'
import { createParser, decodeRead } from './report-parser'
import { systemScheduler, type Scheduler, type TimerId } from './scheduler'

/** What the reader on this PC is doing, for the status light in the UI. */
export type ReaderStatus =
  | { state: 'none' }
  | { state: 'connected'; profile: ReaderProfile; device: HidDeviceInfo }
  /** a keyboard-type reader the driver cannot read: the renderer's burst detection must take swipes */
  | { state: 'keyboard-wedge'; profile: ReaderProfile; device: HidDeviceInfo; reason: string }
  | { state: 'error'; message: string; profile?: ReaderProfile }

/** A card read by the driver. */
export interface CardSwipe {
  /** canonical UID (see uid.ts) */
  uid: string
  /** what the reader produced: the typed text, or the UID bytes as hex in the order received */
  raw: string
  profile: ReaderProfile
  /** when the read completed, UTC ISO */
  at: string
  /** the input reports that made up the read, hex */
  reports: string[]
}

/** A read that produced no UID: the UI can ask for the card to be swiped again. */
export interface CardReadRejected {
  reason: RejectReason
  detail: string
  profile: ReaderProfile
  at: string
  reports: string[]
}

export interface CardReaderServiceOptions {
  backend: CardReaderBackend
  /** in priority order: the first profile that matches a plugged device wins */
  profiles: readonly ReaderProfile[]
  /** process.platform */
  platform: string
  scheduler?: Scheduler
  /** how often to look for plugged and unplugged readers */
  pollIntervalMs?: number
}

interface Connection {
  device: CardReaderDevice
  profile: ReaderProfile
  parser: ReportParser
  unsubscribe: Array<() => void>
}

function asError(e: unknown): Error {
  return e instanceof Error ? e : new Error(String(e))
}

function rawText(read: RawRead): string {
  return read.kind === 'text' ? read.text : toHex(read.bytes)
}

function statusKey(s: ReaderStatus): string {
  switch (s.state) {
    case 'none':
      return 'none'
    case 'connected':
      return `connected|${s.profile.id}|${s.device.path}`
    case 'keyboard-wedge':
      return `keyboard-wedge|${s.profile.id}|${s.device.path}|${s.reason}`
    case 'error':
      return `error|${s.message}`
  }
}

/**
 * The member-card reader of this PC: finds a reader matching a profile, reads it, turns
 * reports into canonical UIDs, notices unplugging and plugging (polling every ~2 s), and
 * reconnects without a restart. Plain Node; Electron main forwards its events.
 */
export class CardReaderService {
  private readonly scheduler: Scheduler
  private readonly pollIntervalMs: number
  private readonly swipes = new Listeners<CardSwipe>()
  private readonly rejects = new Listeners<CardReadRejected>()
  private readonly statuses = new Listeners<ReaderStatus>()
  /** null until the first look, so that first status is always reported */
  private current: ReaderStatus | null = null
  private connection: Connection | null = null
  private running = false
  private polling = false
  private pollAgain = false
  private pollTimer: TimerId | null = null
  private parserTimer: TimerId | null = null
  /** a device that failed while open: reported as an error if it is still there at the next look */
  private failed: { path: string; message: string; profile: ReaderProfile } | null = null

  constructor(private readonly options: CardReaderServiceOptions) {
    this.scheduler = options.scheduler ?? systemScheduler()
    this.pollIntervalMs = options.pollIntervalMs ?? 2000
  }

  /** Starts looking for a reader now and every poll interval. */
  start(): void {
    if (this.running) return
    this.running = true
    this.schedulePoll(0)
  }

  /** Looks for the reader now instead of at the next poll (e.g. to report it open right after start). */
  async lookNow(): Promise<void> {
    if (this.running) await this.poll()
  }

  /** Stops polling and closes the reader. */
  async stop(): Promise<void> {
    this.running = false
    if (this.pollTimer) this.scheduler.clearTimeout(this.pollTimer)
    this.pollTimer = null
    await this.disconnect()
  }

  /** The current reader status ('none' before the first look). */
  status(): ReaderStatus {
    return this.current ?? { state: 'none' }
  }

  /** Subscribes to swipes; returns the unsubscribe function. */
  onSwipe(listener: (swipe: CardSwipe) => void): () => void {
    return this.swipes.add(listener)
  }

  /** Subscribes to reads that produced no UID. */
  onRejected(listener: (rejected: CardReadRejected) => void): () => void {
    return this.rejects.add(listener)
  }

  /** Subscribes to status changes (only changes are reported). */
  onStatus(listener: (status: ReaderStatus) => void): () => void {
    return this.statuses.add(listener)
  }

  private schedulePoll(ms: number): void {
    if (!this.running) return
    if (this.pollTimer) this.scheduler.clearTimeout(this.pollTimer)
    this.pollTimer = this.scheduler.setTimeout(() => {
      this.pollTimer = null
      void this.poll()
    }, ms)
  }

  private async poll(): Promise<void> {
    if (this.polling) {
      this.pollAgain = true
      return
    }
    this.polling = true
    try {
      await this.look()
    } finally {
      this.polling = false
      if (this.pollAgain) {
        this.pollAgain = false
        this.schedulePoll(0)
      } else if (!this.pollTimer) {
        this.schedulePoll(this.pollIntervalMs)
      }
    }
  }

  private async look(): Promise<void> {
    let devices: HidDeviceInfo[]
    try {
      devices = await this.options.backend.list()
    } catch (e) {
      // an open reader keeps working (its read thread reports an unplug); only say so when there is none
      if (this.running && !this.connection) this.setStatus({ state: 'error', message: `cannot list HID devices: ${asError(e).message}` })
      return
    }
    if (!this.running) return
    const open = this.connection
    if (open) {
      const still = devices.find((d) => d.path === open.device.info.path)
      if (still) return this.setStatus({ state: 'connected', profile: open.profile, device: open.device.info })
      await this.disconnect()
    }
    const match = this.findReader(devices)
    const failed = this.failed
    this.failed = null
    if (!match) return this.setStatus({ state: 'none' })
    const { profile, device } = match
    if (failed && failed.path === device.path) {
      return this.setStatus({ state: 'error', message: failed.message, profile: failed.profile })
    }
    let decision = decideReaderAccess({ platform: this.options.platform, profile, device })
    if (decision.action === 'open') {
      try {
        if (await this.connect(profile, device)) this.setStatus({ state: 'connected', profile, device })
        return
      } catch (e) {
        if (!this.running) return
        decision = decideReaderAccess({ platform: this.options.platform, profile, device, openError: asError(e) })
      }
    }
    if (decision.action === 'keyboard-wedge') this.setStatus({ state: 'keyboard-wedge', profile, device, reason: decision.reason })
    else if (decision.action === 'error') this.setStatus({ state: 'error', message: decision.message, profile })
  }

  private findReader(devices: HidDeviceInfo[]): { profile: ReaderProfile; device: HidDeviceInfo } | null {
    for (const profile of this.options.profiles) {
      const device = devices.find((d) => profileMatches(profile, d))
      if (device) return { profile, device }
    }
    return null
  }

  /** Opens a reader; false when the service was stopped meanwhile (the reader is closed again). */
  private async connect(profile: ReaderProfile, info: HidDeviceInfo): Promise<boolean> {
    const device = this.options.backend.device(info)
    const parser = createParser(profile)
    const connection: Connection = { device, profile, parser, unsubscribe: [] }
    connection.unsubscribe.push(
      device.onData((report) => {
        if (this.connection === connection) this.handle(connection, parser.feed(report, this.scheduler.now()))
      }),
      device.onError((error) => {
        if (this.connection === connection) void this.deviceFailed(connection, error)
      }),
    )
    this.connection = connection
    try {
      await device.open()
    } catch (e) {
      if (this.connection === connection) this.connection = null
      for (const u of connection.unsubscribe) u()
      throw e
    }
    if (this.connection === connection) return true
    // stop() ran while the device was opening: it closed the device too early, so close it now
    await device.close()
    return false
  }

  private async deviceFailed(connection: Connection, error: Error): Promise<void> {
    this.failed = {
      path: connection.device.info.path,
      message: `reader "${connection.profile.name}" stopped: ${error.message}`,
      profile: connection.profile,
    }
    await this.disconnect()
    this.schedulePoll(0)
  }

  private async disconnect(): Promise<void> {
    const connection = this.connection
    if (!connection) return
    this.connection = null
    if (this.parserTimer) this.scheduler.clearTimeout(this.parserTimer)
    this.parserTimer = null
    for (const u of connection.unsubscribe) u()
    this.handle(connection, connection.parser.abort(this.scheduler.now()))
    await connection.device.close()
  }

  private handle(connection: Connection, events: ParserEvent[]): void {
    const { profile, parser } = connection
    for (const e of events) {
      const at = new Date(e.at).toISOString()
      const reports = e.reports.map(toHex)
      if (e.type === 'rejected') {
        this.rejects.emit({ reason: e.reason, detail: e.detail, profile, at, reports })
        continue
      }
      const decoded = decodeRead(profile, e.read)
      if (decoded.ok) this.swipes.emit({ uid: decoded.uid, raw: rawText(e.read), profile, at, reports })
      else this.rejects.emit({ reason: decoded.error, detail: decoded.message, profile, at, reports })
    }
    if (this.connection !== connection) return
    if (this.parserTimer) this.scheduler.clearTimeout(this.parserTimer)
    this.parserTimer = null
    const deadline = parser.deadline()
    if (deadline !== null) {
      this.parserTimer = this.scheduler.setTimeout(() => {
        this.parserTimer = null
        if (this.connection === connection) this.handle(connection, parser.tick(this.scheduler.now()))
      }, deadline - this.scheduler.now())
    }
  }

  private setStatus(status: ReaderStatus): void {
    if (this.current && statusKey(status) === statusKey(this.current)) return
    this.current = status
    this.statuses.emit(status)
  }
}
