import crypto from 'node:crypto'

/**
 * Crockford base32 (no I, L, O, U): what a person reads off one screen and types on another
 * without confusing 0/O or 1/I/L.
 */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'
/** 10 characters = 50 bits: too many to guess in the 5 tries a code allows, and too many to search offline in its 10 minutes. */
export const CODE_LENGTH = 10

/** A new one-time pairing code, shown on the host as `XXXXX-XXXXX`. */
export function newPairingCode(): string {
  const bytes = crypto.randomBytes(CODE_LENGTH)
  const chars = [...bytes].map((b) => ALPHABET[b & 31]!)
  return `${chars.slice(0, 5).join('')}-${chars.slice(5).join('')}`
}

/** What a person typed, in the code's own form: case, spaces and dashes ignored, O read as 0 and I/L as 1; null when it cannot be a code. */
export function normalizePairingCode(typed: string): string | null {
  const bare = typed
    .toUpperCase()
    .replace(/[\s-]/g, '')
    .replace(/O/g, '0')
    .replace(/[IL]/g, '1')
  if (bare.length !== CODE_LENGTH || [...bare].some((c) => !ALPHABET.includes(c))) return null
  return `${bare.slice(0, 5)}-${bare.slice(5)}`
}

function mac(code: string, parts: readonly string[]): string {
  const key = normalizePairingCode(code) ?? code
  return crypto.createHmac('sha256', key).update(parts.join('|')).digest('hex')
}

/**
 * The terminal's proof: it knows the code and saw this CA (its SHA-256). A machine in the middle
 * shows its own CA, so the proof it could pass on names the wrong CA and the host refuses it;
 * the code itself never crosses the wire.
 */
export function terminalProof(code: string, caSha256: string, nonce: string): string {
  return mac(code, ['keyuan-pair-terminal', caSha256, nonce])
}

/** The host's answer: it too knows the code, for the same CA and nonce, and it names the device it made. */
export function hostProof(code: string, caSha256: string, nonce: string, deviceId: number): string {
  return mac(code, ['keyuan-pair-host', caSha256, nonce, String(deviceId)])
}

/** Compares two hex proofs in constant time. */
export function sameProof(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8')
  const y = Buffer.from(b, 'utf8')
  return x.length === y.length && crypto.timingSafeEqual(x, y)
}
