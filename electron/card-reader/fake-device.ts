import { z } from 'zod'
import type { CardReaderBackend, CardReaderDevice, HidDeviceInfo } from './device'
import { fromHex } from '@shared/domain/hex'
import { Listeners } from './listeners'
import type { Scheduler, TimerId } from './scheduler'

const HexBytes = z.string().transform((s, ctx) => {
  const bytes = fromHex(s)
  if (!bytes) {
    ctx.addIssue({ code: 'custom', message: `not hex bytes: "${s}"` })
    return z.NEVER
  }
  return bytes
})
const Word = z.union([z.number().int().min(0).max(0xffff), z.string().regex(/^0x[0-9a-fA-F]{1,4}$/).transform((s) => parseInt(s, 16))])

/** One step of a recording: a report `t` ms after the device was opened, or the device being pulled out. */
export const RecordedEvent = z.union([
  z.object({ t: z.number().int().min(0), bytes: HexBytes }).strict(),
  z.object({ t: z.number().int().min(0), event: z.literal('unplug') }).strict(),
])
export type RecordedEvent = z.infer<typeof RecordedEvent>

/** A recorded (or synthesised) report sequence from one reader, with what it should yield. */
export const ReportRecording = z
  .object({
    description: z.string(),
    /** how the bytes were obtained: captured from a device, or synthesised by hand */
    origin: z.string(),
    device: z
      .object({
        vendorId: Word,
        productId: Word,
        usagePage: Word.optional(),
        usage: Word.optional(),
        product: z.string().optional(),
      })
      .strict(),
    events: z.array(RecordedEvent),
    expect: z
      .object({
        /** canonical UIDs, in order */
        swipes: z.array(z.string()),
        /** reject reasons, in order */
        rejected: z.array(z.string()),
      })
      .strict(),
  })
  .strict()
export type ReportRecording = z.infer<typeof ReportRecording>

export interface FakePlugOptions {
  /** played once, from the first open */
  events?: readonly RecordedEvent[]
  /** every open fails with this */
  openError?: Error
}

interface Plugged {
  info: HidDeviceInfo
  options: FakePlugOptions
  played: boolean
  open: FakeDevice | null
}

/**
 * A reader backend with no hardware: devices are plugged and pulled by the test, and each
 * replays its recording on the scheduler once it is opened. Same interface as node-hid's.
 */
export class FakeBackend implements CardReaderBackend {
  private readonly plugged = new Map<string, Plugged>()
  private listError: Error | null = null

  constructor(private readonly scheduler: Scheduler) {}

  /** Connects a device; its recording starts when the service opens it. */
  plug(info: HidDeviceInfo, options: FakePlugOptions = {}): void {
    this.plugged.set(info.path, { info, options, played: false, open: null })
  }

  /** Pulls a device out: it disappears from the list and an open one fails like node-hid does. */
  unplug(path: string): void {
    const p = this.plugged.get(path)
    this.plugged.delete(path)
    p?.open?.fail(new Error('could not read from HID device'))
  }

  /** Drops a device from enumeration without its read thread noticing (some platforms do that). */
  vanish(path: string): void {
    this.plugged.delete(path)
  }

  /** Fails the open device at `path` (an I/O error) while it stays plugged in. */
  fail(path: string, error: Error): void {
    this.plugged.get(path)?.open?.fail(error)
  }

  /** Makes enumeration fail (null: work again). */
  failList(error: Error | null): void {
    this.listError = error
  }

  /** Delivers one report to the open device at `path` now. */
  send(path: string, bytes: Uint8Array): void {
    this.plugged.get(path)?.open?.deliver(bytes)
  }

  async list(): Promise<HidDeviceInfo[]> {
    if (this.listError) throw this.listError
    return [...this.plugged.values()].map((p) => p.info)
  }

  device(info: HidDeviceInfo): CardReaderDevice {
    return new FakeDevice(info, this.scheduler, this.port)
  }

  private readonly port: FakePort = {
    attach: (device) => {
      const p = this.plugged.get(device.info.path)
      if (!p) throw new Error('could not open HID device')
      if (p.options.openError) throw p.options.openError
      p.open = device
      const events = p.played ? [] : (p.options.events ?? [])
      p.played = true
      return events
    },
    detach: (device) => {
      const p = this.plugged.get(device.info.path)
      if (p?.open === device) p.open = null
    },
    pull: (path) => this.unplug(path),
  }
}

/** How a fake device reaches its backend. */
interface FakePort {
  /** registers an opening device; returns the steps it should replay */
  attach(device: FakeDevice): readonly RecordedEvent[]
  detach(device: FakeDevice): void
  /** a replayed 'unplug' step */
  pull(path: string): void
}

/** A device of the fake backend; replays its recording relative to the moment it was opened. */
export class FakeDevice implements CardReaderDevice {
  private readonly data = new Listeners<Uint8Array>()
  private readonly errors = new Listeners<Error>()
  private timers: TimerId[] = []
  private isOpen = false

  constructor(
    readonly info: HidDeviceInfo,
    private readonly scheduler: Scheduler,
    private readonly port: FakePort,
  ) {}

  async open(): Promise<void> {
    if (this.isOpen) return
    const events = this.port.attach(this)
    this.isOpen = true
    this.timers = events.map((e) =>
      this.scheduler.setTimeout(() => {
        if ('bytes' in e) this.deliver(e.bytes)
        else this.port.pull(this.info.path)
      }, e.t),
    )
  }

  async close(): Promise<void> {
    this.stop()
  }

  onData(listener: (report: Uint8Array) => void): () => void {
    return this.data.add(listener)
  }

  onError(listener: (error: Error) => void): () => void {
    return this.errors.add(listener)
  }

  /** Emits a report if the device is open. */
  deliver(bytes: Uint8Array): void {
    if (this.isOpen) this.data.emit(bytes)
  }

  /** Fails the open device once, as a read-thread error does. */
  fail(error: Error): void {
    if (!this.isOpen) return
    this.stop()
    this.errors.emit(error)
  }

  private stop(): void {
    for (const t of this.timers) this.scheduler.clearTimeout(t)
    this.timers = []
    this.isOpen = false
    this.port.detach(this)
  }
}
