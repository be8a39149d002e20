import { toHex } from './hex'

/*
 * Card UID normalisation: one canonical string per card, whatever the reader prints.
 *
 * Canonical form (what a 'swipe' carries and what member_cards should store):
 *
 * - A full UID is the uppercase hex of the UID bytes in card order: UID0 first, the order
 *   ISO 14443 anticollision delivers them and NFC/Mifare tools print them ("04A1B2C3").
 *   It is zero-padded to the card's byte length: 4 (Mifare Classic, and the 32-bit number
 *   that 125 kHz readers print), 5 (EM4100 with its version byte), 7 (Ultralight, DESFire)
 *   or 10 (triple-size UIDs).
 * - A Wiegand-26 read is 'W26:' + 6 hex digits. Readers set to print 8 decimal digits
 *   (3-digit facility 0-255 + 5-digit card 0-65535) only know the low 24 bits of the 32-bit
 *   number, so the card cannot be named fully: these reads get their own namespace and are
 *   never equal to a full UID. uidAliases() gives the W26 key of a full UID so the host can
 *   also match by the low 24 bits; 256 cards share one W26 key, so a match there is only
 *   good when it is unique among the branch's cards.
 *
 * Byte order: 'be' readers print or send UID0 first (UID0 is the most significant byte of
 * the number they print); 'le' readers (反码) reverse the bytes before printing or sending.
 * Text readers may drop leading zeros; text is padded back to the card length. Byte readers
 * send exact lengths, so a byte read of any other length is refused.
 */

/** Formats in which keyboard-type readers type a UID. */
export const TEXT_UID_FORMATS = ['decimal-10', 'decimal-10-le', 'decimal-8', 'hex-be', 'hex-le'] as const
/** Formats in which vendor-report readers send a UID. */
export const BYTES_UID_FORMATS = ['bytes-be', 'bytes-le'] as const

export type TextUidFormat = (typeof TEXT_UID_FORMATS)[number]
export type BytesUidFormat = (typeof BYTES_UID_FORMATS)[number]

/** Byte lengths a card UID can have; the canonical form is padded to one of them. */
export const UID_BYTE_LENGTHS = [4, 5, 7, 10] as const

export type UidError = 'bad-format' | 'out-of-range' | 'bad-length'
export type UidResult = { ok: true; uid: string } | { ok: false; error: UidError; message: string }

const W26_PREFIX = 'W26:'
const CANONICAL = /^(?:[0-9A-F]{8}|[0-9A-F]{10}|[0-9A-F]{14}|[0-9A-F]{20}|W26:[0-9A-F]{6})$/

function fail(error: UidError, message: string): UidResult {
  return { ok: false, error, message }
}

function fitLength(n: number): number | null {
  return UID_BYTE_LENGTHS.find((l) => l >= n) ?? null
}

function uint32Bytes(v: number): number[] {
  return [(v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff]
}

function hexBytes(hex: string): number[] {
  const out: number[] = []
  for (let i = 0; i < hex.length; i += 2) out.push(parseInt(hex.slice(i, i + 2), 16))
  return out
}

function w26Key(value24: number): string {
  return W26_PREFIX + value24.toString(16).toUpperCase().padStart(6, '0')
}

function fromDecimal32(text: string, reversed: boolean): UidResult {
  if (!/^\d{1,10}$/.test(text)) return fail('bad-format', `expected up to 10 decimal digits, got "${text}"`)
  const value = Number(text)
  if (value > 0xffffffff) return fail('out-of-range', `${text} is more than 32 bits`)
  const bytes = uint32Bytes(value)
  return { ok: true, uid: toHex(reversed ? bytes.reverse() : bytes) }
}

function fromWiegand26(text: string): UidResult {
  const comma = /^(\d{1,3}),(\d{1,5})$/.exec(text)
  const plain = /^\d{1,8}$/.test(text) ? text.padStart(8, '0') : null
  const facility = comma ? Number(comma[1]) : plain ? Number(plain.slice(0, 3)) : NaN
  const card = comma ? Number(comma[2]) : plain ? Number(plain.slice(3)) : NaN
  if (Number.isNaN(facility) || Number.isNaN(card)) {
    return fail('bad-format', `expected 8 decimal digits (facility + card), got "${text}"`)
  }
  if (facility > 0xff || card > 0xffff) return fail('out-of-range', `facility ${facility} or card ${card} out of range`)
  return { ok: true, uid: w26Key(facility * 0x10000 + card) }
}

function fromHexText(text: string, reversed: boolean): UidResult {
  const clean = text.replace(/[\s:-]/g, '')
  if (!/^[0-9a-fA-F]{1,20}$/.test(clean)) return fail('bad-format', `expected up to 20 hex digits, got "${text}"`)
  const length = fitLength(Math.ceil(clean.length / 2)) ?? 0
  const bytes = hexBytes(clean.padStart(length * 2, '0'))
  return { ok: true, uid: toHex(reversed ? bytes.reverse() : bytes) }
}

const EXACT: Record<TextUidFormat, RegExp> = {
  'decimal-10': /^\d{10}$/,
  'decimal-10-le': /^\d{10}$/,
  'decimal-8': /^(?:\d{8}|\d{3},\d{5})$/,
  'hex-be': /^(?:[0-9a-fA-F]{8}|[0-9a-fA-F]{10}|[0-9a-fA-F]{14}|[0-9a-fA-F]{20})$/,
  'hex-le': /^(?:[0-9a-fA-F]{8}|[0-9a-fA-F]{10}|[0-9a-fA-F]{14}|[0-9a-fA-F]{20})$/,
}

/**
 * Canonical UID of text in a reader format. People copy numbers off cards without leading
 * zeros, so by default short text is padded; `exact` (used for what a reader typed) demands
 * the full width the reader always prints, so a lost keystroke is refused, not misread.
 */
export function uidFromText(text: string, format: TextUidFormat, options: { exact?: boolean } = {}): UidResult {
  const t = text.trim()
  if (options.exact && !EXACT[format].test(t)) return fail('bad-format', `"${t}" is not the full width of ${format}`)
  switch (format) {
    case 'decimal-10':
      return fromDecimal32(t, false)
    case 'decimal-10-le':
      return fromDecimal32(t, true)
    case 'decimal-8':
      return fromWiegand26(t)
    case 'hex-be':
      return fromHexText(t, false)
    case 'hex-le':
      return fromHexText(t, true)
  }
}

/** Canonical UID of the bytes a vendor-report reader sent. */
export function uidFromBytes(bytes: Uint8Array | readonly number[], format: BytesUidFormat): UidResult {
  if (!(UID_BYTE_LENGTHS as readonly number[]).includes(bytes.length)) {
    return fail('bad-length', `a UID has ${UID_BYTE_LENGTHS.join(', ')} bytes, got ${bytes.length}`)
  }
  const ordered = Array.from(bytes)
  return { ok: true, uid: toHex(format === 'bytes-le' ? ordered.reverse() : ordered) }
}

/** Whether a string is a canonical UID (full or W26). */
export function isCanonicalUid(s: string): boolean {
  return CANONICAL.test(s)
}

/** Whether a canonical UID is a W26 read (low 24 bits only). */
function isW26Uid(uid: string): boolean {
  return uid.startsWith(W26_PREFIX)
}

/** The 32-bit number a 4- or 5-byte card is known by (EM4100: without its version byte), else null. */
function low32(uid: string): number[] | null {
  if (!isCanonicalUid(uid) || isW26Uid(uid)) return null
  const bytes = hexBytes(uid)
  return bytes.length === 4 || bytes.length === 5 ? bytes.slice(-4) : null
}

/** The W26 key (low 24 bits of the 32-bit number) of a full 4- or 5-byte UID, else null. */
export function w26Of(uid: string): string | null {
  const b = low32(uid)
  return b ? w26Key(((b[1] ?? 0) << 16) | ((b[2] ?? 0) << 8) | (b[3] ?? 0)) : null
}

/**
 * Every key a stored card can be found by: its canonical UID first, then weaker forms that
 * other readers produce for the same card (the 32-bit number of a 5-byte EM4100 UID, the
 * W26 key). The host indexes a card under all of them and prefers an exact match.
 */
export function uidAliases(uid: string): string[] {
  if (!isCanonicalUid(uid)) return []
  const keys = [uid]
  const b = low32(uid)
  if (b && uid.length === 10) keys.push(toHex(b))
  const w = w26Of(uid)
  if (w) keys.push(w)
  return keys
}

/** How a reader set to `format` would print this card, or null when it cannot (e.g. 7-byte UID as 10 decimal digits). */
export function printUid(uid: string, format: TextUidFormat): string | null {
  if (!isCanonicalUid(uid)) return null
  if (format === 'decimal-8') {
    const w = isW26Uid(uid) ? uid : w26Of(uid)
    if (!w) return null
    const v = parseInt(w.slice(W26_PREFIX.length), 16)
    return String(v >>> 16).padStart(3, '0') + String(v & 0xffff).padStart(5, '0')
  }
  if (isW26Uid(uid)) return null
  if (format === 'hex-be') return uid
  if (format === 'hex-le') return toHex(hexBytes(uid).reverse())
  const b = low32(uid)
  if (!b) return null
  const ordered = format === 'decimal-10-le' ? b.reverse() : b
  return String(ordered.reduce((v, x) => v * 256 + x, 0)).padStart(10, '0')
}
