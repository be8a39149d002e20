/** One HID interface as enumeration reports it (node-hid's Device, trimmed to what we use). */
export interface HidDeviceInfo {
  /** OS path that opens exactly this interface */
  path: string
  vendorId: number
  productId: number
  usagePage?: number
  usage?: number
  interface?: number
  product?: string
  manufacturer?: string
}

/** HID usage page 0x01 usage 0x06: the interface is a keyboard (the OS owns it on Windows). */
export function isKeyboardInterface(d: Pick<HidDeviceInfo, 'usagePage' | 'usage'>): boolean {
  return d.usagePage === 0x01 && d.usage === 0x06
}

/**
 * An opened-or-openable reader interface. Listeners get input reports exactly as the
 * device delivers them; `error` fires once when the device fails (typically unplugged),
 * after which the device is closed and delivers nothing more.
 */
export interface CardReaderDevice {
  readonly info: HidDeviceInfo
  open(): Promise<void>
  close(): Promise<void>
  onData(listener: (report: Uint8Array) => void): () => void
  onError(listener: (error: Error) => void): () => void
}

/** Where readers come from: node-hid on a PC, recorded fixtures in tests. */
export interface CardReaderBackend {
  list(): Promise<HidDeviceInfo[]>
  device(info: HidDeviceInfo): CardReaderDevice
}
