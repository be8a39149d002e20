import type { ReaderEntry } from './reader-bridge'

/** 0x1a2b -> "1A2B". */
export function hex4(n: number): string {
  return n.toString(16).toUpperCase().padStart(4, '0')
}

/** A device's name as the admin recognises it. */
export function deviceName(r: Pick<ReaderEntry, 'manufacturer' | 'product'>, unnamed: string): string {
  return [r.manufacturer, r.product].filter(Boolean).join(' ') || unnamed
}

/** A report's hex split into bytes, each marked when it is one of the UID's (vendor readers). */
export function markedBytes(hex: string, uidOffset: number | undefined, lengthByteOffset: number | undefined): Array<{ byte: string; uid: boolean }> {
  const bytes = hex.match(/../g) ?? []
  const length = lengthByteOffset === undefined ? 0 : parseInt(bytes[lengthByteOffset] ?? '0', 16)
  return bytes.map((byte, i) => ({ byte, uid: uidOffset !== undefined && i >= uidOffset && i < uidOffset + length }))
}
