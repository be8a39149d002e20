import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { z } from 'zod'
import type { KeyStoreState } from './key-plan'

/** The part of Electron's safeStorage we use; injected so this file runs without Electron. */
export interface KeyWrapper {
  isEncryptionAvailable(): boolean
  encryptString(plain: string): Buffer
  decryptString(wrapped: Buffer): string
  /** Linux only: which key store backs it ('basic_text' = none, a hard-coded password). */
  getSelectedStorageBackend?(): string
}

export const WRAPPED_KEY_FILE = 'db-key.wrapped'
/** where the desktop remembers the key file a user chose instead of the key store */
export const KEY_CHOICE_FILE = 'db-key-location.json'
/** the key file's name in the folder the user picks (the same name and format as the headless host's) */
export const KEY_FILE_NAME = 'keyuan.key'

export class DesktopKeyError extends Error {
  override name = 'DesktopKeyError'
}

const KEY_HEX = /^[0-9a-f]{64}$/

/** How far the OS key store can be trusted with the database key on this PC. */
export function keyStoreState(wrapper: KeyWrapper, platform: NodeJS.Platform): KeyStoreState {
  if (!wrapper.isEncryptionAvailable()) return 'unavailable'
  if (platform === 'linux' && wrapper.getSelectedStorageBackend?.() === 'basic_text') return 'basic_text'
  return 'available'
}

/** The key kept wrapped in `userDataDir`, unwrapped; throws when it is unreadable. */
export function readWrappedKey(userDataDir: string, wrapper: KeyWrapper): string {
  const file = path.join(userDataDir, WRAPPED_KEY_FILE)
  const keyHex = wrapper.decryptString(fs.readFileSync(file)).trim()
  if (!KEY_HEX.test(keyHex)) throw new DesktopKeyError(`${file} does not hold a valid key`)
  return keyHex
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
  if (fs.existsSync(file)) return readWrappedKey(userDataDir, wrapper)
  if (databaseExists) {
    throw new DesktopKeyError(
      `${file} is missing: restore it from a backup of this PC's Keyuan folder (same PC, same user account), or choose the folder of the key file the key was kept in`,
    )
  }
  const keyHex = randomBytes(32).toString('hex')
  fs.mkdirSync(userDataDir, { recursive: true })
  fs.writeFileSync(file, wrapper.encryptString(keyHex), { mode: 0o600, flag: 'wx' })
  return keyHex
}

/** The key in a key file (64 hex characters, as the headless host writes them); throws when it is not one. */
export function readKeyFile(file: string): string {
  const keyHex = fs.readFileSync(file, 'utf8').trim().toLowerCase()
  if (!KEY_HEX.test(keyHex)) throw new DesktopKeyError(`${file} does not hold a valid key`)
  return keyHex
}

/** Writes `keyHex` (a new random key unless given) to a new key file readable by this user only. */
export function writeKeyFile(file: string, keyHex: string = randomBytes(32).toString('hex')): string {
  fs.mkdirSync(path.dirname(file), { recursive: true })
  // 'wx': never overwrite a key file (it may be the only copy of another database's key)
  fs.writeFileSync(file, `${keyHex}\n`, { mode: 0o600, flag: 'wx' })
  return keyHex
}

const KeyChoice = z.object({ keyFile: z.string().min(1).max(4096) })

/** The key file chosen earlier on this PC, or null. */
export function readKeyChoice(userDataDir: string): string | null {
  try {
    const r = KeyChoice.safeParse(JSON.parse(fs.readFileSync(path.join(userDataDir, KEY_CHOICE_FILE), 'utf8')))
    return r.success && path.isAbsolute(r.data.keyFile) ? r.data.keyFile : null
  } catch {
    return null
  }
}

/** Remembers the key file chosen on this PC, so the next start does not ask again. */
export function saveKeyChoice(userDataDir: string, keyFile: string): void {
  fs.mkdirSync(userDataDir, { recursive: true })
  fs.writeFileSync(path.join(userDataDir, KEY_CHOICE_FILE), JSON.stringify({ keyFile }, null, 2), { mode: 0o600 })
}
