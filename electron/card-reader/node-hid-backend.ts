import type { CardReaderBackend, CardReaderDevice, HidDeviceInfo } from './device'
import { Listeners } from './listeners'

/** A device as node-hid enumerates it. */
export interface NodeHidDeviceInfo {
  vendorId: number
  productId: number
  path?: string
  usagePage?: number
  usage?: number
  interface?: number
  product?: string
  manufacturer?: string
}

/** An open node-hid HIDAsync handle, as far as the driver uses it. */
export interface NodeHidHandle {
  on(event: 'data', listener: (data: Buffer) => void): unknown
  on(event: 'error', listener: (error: unknown) => void): unknown
  removeAllListeners(): unknown
  close(): Promise<void>
}

/** The part of the node-hid module the driver uses: the real module fits it, tests pass a stub. */
export interface NodeHidModule {
  devicesAsync(): Promise<NodeHidDeviceInfo[]>
  HIDAsync: { open(path: string): Promise<NodeHidHandle> }
}

/** Loads node-hid (its native binding) on first use, so a missing binary is a reader error, not a crash at start. */
export async function loadNodeHid(): Promise<NodeHidModule> {
  return await import('node-hid')
}

function asError(e: unknown): Error {
  return e instanceof Error ? e : new Error(String(e))
}

/** Readers through node-hid: enumeration, and devices opened by path so usagePage picks the interface. */
export class NodeHidBackend implements CardReaderBackend {
  private hid: Promise<NodeHidModule> | null = null

  constructor(private readonly load: () => Promise<NodeHidModule> = loadNodeHid) {}

  async list(): Promise<HidDeviceInfo[]> {
    const hid = await this.module()
    const found = await hid.devicesAsync()
    return found.flatMap((d) =>
      d.path
        ? [{
            path: d.path,
            vendorId: d.vendorId,
            productId: d.productId,
            usagePage: d.usagePage,
            usage: d.usage,
            interface: d.interface,
            product: d.product,
            manufacturer: d.manufacturer,
          }]
        : [],
    )
  }

  device(info: HidDeviceInfo): CardReaderDevice {
    return new NodeHidDevice(info, () => this.module())
  }

  private module(): Promise<NodeHidModule> {
    this.hid ??= this.load().catch((e: unknown) => {
      this.hid = null
      throw new Error(`node-hid is not available: ${asError(e).message}`)
    })
    return this.hid
  }
}

/**
 * One reader interface through node-hid's HIDAsync (its own read thread emits `data`).
 * An error from the read thread (unplug) closes the handle and is reported once.
 */
class NodeHidDevice implements CardReaderDevice {
  private handle: NodeHidHandle | null = null
  /** bumped by close(), so an open() still in flight knows it was cancelled */
  private generation = 0
  private readonly data = new Listeners<Uint8Array>()
  private readonly errors = new Listeners<Error>()

  constructor(
    readonly info: HidDeviceInfo,
    private readonly hid: () => Promise<NodeHidModule>,
  ) {}

  async open(): Promise<void> {
    if (this.handle) return
    const generation = this.generation
    const hid = await this.hid()
    const handle = await hid.HIDAsync.open(this.info.path)
    if (generation !== this.generation) {
      await handle.close().catch(() => undefined)
      throw new Error('reader closed while opening')
    }
    this.handle = handle
    handle.on('error', (e) => this.fail(handle, asError(e)))
    handle.on('data', (d) => {
      if (this.handle === handle) this.data.emit(new Uint8Array(d))
    })
  }

  async close(): Promise<void> {
    this.generation++
    const handle = this.handle
    this.handle = null
    if (!handle) return
    handle.removeAllListeners()
    // an 'error' with no listener would throw from node-hid's read thread: keep a sink
    handle.on('error', () => undefined)
    // closing an unplugged device fails on some platforms; it is gone either way
    await handle.close().catch(() => undefined)
  }

  onData(listener: (report: Uint8Array) => void): () => void {
    return this.data.add(listener)
  }

  onError(listener: (error: Error) => void): () => void {
    return this.errors.add(listener)
  }

  private fail(handle: NodeHidHandle, error: Error): void {
    if (this.handle !== handle) return
    void this.close()
    this.errors.emit(error)
  }
}
