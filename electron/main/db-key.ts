import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'

/** The part of Electron's safeStorage we use; injected so this file runs without Electron. */
export interface KeyWrapper {
  isEncryptionAvailable(): boolean
  encryptString(plain: string): Buffer
  decryptString(wrapped: Buffer): string
}

export const WRAPPED_KEY_FILE = 'db-key.wrapped'

export class DesktopKeyError extends Error {
  override name = 'DesktopKeyError'
}

/**
 * The host PC's database key: random 32 bytes, kept on disk only wrapped by the OS keystore
 * (safeStorage). Made once for a new database; an existing database without its wrapped key
 * is refused, never given a new key.
 */
export function loadOrCreateDbKey(userDataDir: string, wrapper: KeyWrapper, databaseExists: boolean): string {
  if (!wrapper.isEncryptionAvailable()) {
    throw new DesktopKeyError('the OS key store is not available; cannot protect the database key')
  }
  const file = path.join(userDataDir, WRAPPED_KEY_FILE)
  if (fs.existsSync(file)) {
    const keyHex = wrapper.decryptString(fs.readFileSync(file)).trim()
    if (!/^[0-9a-f]{64}$/.test(keyHex)) throw new DesktopKeyError(`${file} does not hold a valid key`)
    return keyHex
  }
  if (databaseExists) {
    throw new DesktopKeyError(`${file} is missing: restore it or open the database with its recovery key`)
  }
  const keyHex = randomBytes(32).toString('hex')
  fs.mkdirSync(userDataDir, { recursive: true })
  fs.writeFileSync(file, wrapper.encryptString(keyHex), { mode: 0o600, flag: 'wx' })
  return keyHex
}
