import { createHmac, hkdfSync } from 'node:crypto'

/** The two secrets of the audit log, kept in memory only. */
export interface AuditKeys {
  /** HMAC key of the chain links. */
  chain: Buffer
  /** HMAC key of the number hashes (a search by number matches them). */
  numbers: Buffer
}

/**
 * Derives the audit keys from the database key with HKDF-SHA256, so no new secret needs
 * keeping: they live wherever the database key lives (safeStorage, key file, environment),
 * never in the database file. Separate `info` strings keep the two keys independent.
 */
export function deriveAuditKeys(dbKeyHex: string): AuditKeys {
  const ikm = Buffer.from(dbKeyHex, 'hex')
  const derive = (info: string) => Buffer.from(hkdfSync('sha256', ikm, Buffer.alloc(0), info, 32))
  return { chain: derive('keyuan audit chain'), numbers: derive('keyuan audit number') }
}

/** The keyed hash stored for a normalised number (`phone:+86…` or `id:…`); hex. */
export function numberKey(keys: AuditKeys, normalized: string): string {
  return createHmac('sha256', keys.numbers).update(normalized).digest('hex')
}
