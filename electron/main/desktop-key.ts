import fs from 'node:fs'
import path from 'node:path'
import {
  KEY_FILE_NAME,
  keyStoreState,
  loadOrCreateDbKey,
  readKeyChoice,
  readKeyFile,
  readWrappedKey,
  saveKeyChoice,
  WRAPPED_KEY_FILE,
  writeKeyFile,
  type KeyWrapper,
} from './db-key'
import { DB_FILE_NAME } from '../host/db/key-file'
import { readRecoveryRecord, recoveryRecordPath, RecoveryKeyError, unwrapDbKey } from '../host/db/recovery-key'
import { planDbKey, type KeyFilePick, type KeyProblem } from './key-plan'

/** Why a picked folder did not do: told to the user, who is then asked again. */
export type PickFailure = 'beside_database' | 'no_key_file' | 'bad_key_file' | 'key_differs' | 'write_failed'

/** Why a typed recovery key was not taken (told beside the prompt, which asks again). */
export interface RecoveryFailure {
  reason: RecoveryKeyError['reason']
  /** the mistyped group (1-based), for recovery_key_group */
  group?: number | undefined
}

/** The dialogs of the key decision; Electron's in the app, scripted in tests. */
export interface KeyDialogs {
  /**
   * explains the problem; true = go on with a key file, false = quit, 'recovery' = type the
   * recovery key (offered only when `recoveryOffered`: an existing database with its recovery record).
   */
  ask(problem: KeyProblem, pick: KeyFilePick, recoveryOffered: boolean): Promise<boolean | 'recovery'>
  /** the recovery key as typed, or null when the user went back; `failure` says why the last one was not taken. */
  askRecoveryKey(failure: RecoveryFailure | null): Promise<string | null>
  /** a folder for the key file, or null when the user cancelled. */
  pickFolder(pick: KeyFilePick): Promise<string | null>
  tellFailed(why: PickFailure, folder: string): Promise<void>
}

export interface DesktopKeyInput {
  userDataDir: string
  /** the database folder (a key file may not sit in it) */
  dataDir: string
  databaseExists: boolean
  wrapper: KeyWrapper
  platform: NodeJS.Platform
  dialogs: KeyDialogs
  /** KEYUAN_DESKTOP_KEY_FILE: a key file named by whoever set up this PC; used as if chosen, never remembered */
  keyFileFromEnv?: string | undefined
}

export type DesktopKey =
  | { keyHex: string; source: 'safe-storage' }
  | { keyHex: string; source: 'key-file'; file: string }
  /** unwrapped with the recovery key; `stored`: wrapped by the OS key store again for the next start */
  | { keyHex: string; source: 'recovery-key'; stored: boolean }

function isInside(child: string, parent: string): boolean {
  const rel = path.relative(parent, child)
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel))
}

/** Takes the key file in `folder` for the given purpose, or says why that folder will not do. */
export function adoptKeyFolder(
  folder: string,
  pick: KeyFilePick,
  input: Pick<DesktopKeyInput, 'userDataDir' | 'dataDir' | 'wrapper'>,
): { keyHex: string; file: string } | { failed: PickFailure } {
  const dir = path.resolve(folder)
  // a key beside its database protects nothing: whoever copies the folder has both
  if (isInside(dir, input.dataDir) || path.resolve(input.userDataDir) === dir) return { failed: 'beside_database' }
  const file = path.join(dir, KEY_FILE_NAME)
  const exists = fs.existsSync(file)
  const existing = (): string | null => {
    try {
      return readKeyFile(file)
    } catch {
      return null
    }
  }
  if (pick === 'existing' || (pick === 'new' && exists)) {
    if (!exists) return { failed: 'no_key_file' }
    const keyHex = existing()
    return keyHex ? { keyHex, file } : { failed: 'bad_key_file' }
  }
  const keyHex = pick === 'move' ? readWrappedKey(input.userDataDir, input.wrapper) : undefined
  if (exists) {
    // only a move gets here: the folder already holds a key file, which must be this key
    const there = existing()
    if (there === null) return { failed: 'bad_key_file' }
    if (there !== keyHex) return { failed: 'key_differs' }
  } else {
    try {
      writeKeyFile(file, keyHex)
    } catch {
      return { failed: 'write_failed' }
    }
  }
  const written = existing()
  if (written === null || (keyHex !== undefined && written !== keyHex)) return { failed: 'write_failed' }
  // the key now lives in the key file; the copy in the clear-text store goes
  if (pick === 'move') fs.rmSync(path.join(input.userDataDir, WRAPPED_KEY_FILE), { force: true })
  return { keyHex: written, file }
}

/**
 * The database key of the desktop host: from the OS key store when it protects the key, else
 * (after the user was told what that means) from a key file in a folder they pick; or 'quit'.
 */
export async function resolveDesktopKey(input: DesktopKeyInput): Promise<DesktopKey | 'quit'> {
  const keyFile = input.keyFileFromEnv ? path.resolve(input.keyFileFromEnv) : readKeyChoice(input.userDataDir)
  const plan = planDbKey({
    store: keyStoreState(input.wrapper, input.platform),
    databaseExists: input.databaseExists,
    wrappedKeyExists: fs.existsSync(path.join(input.userDataDir, WRAPPED_KEY_FILE)),
    keyFile,
    keyFileExists: keyFile !== null && fs.existsSync(keyFile),
  })
  let problem: KeyProblem
  let pick: KeyFilePick
  if (plan.kind === 'safe-storage') {
    try {
      return { keyHex: loadOrCreateDbKey(input.userDataDir, input.wrapper, input.databaseExists), source: 'safe-storage' }
    } catch (err) {
      // a wrapped key this PC's key store cannot open (another Windows profile, a reset keyring): say so, offer the recovery key
      if (!input.databaseExists || !fs.existsSync(path.join(input.userDataDir, WRAPPED_KEY_FILE))) throw err
      problem = 'wrapped_unreadable'
      pick = 'existing'
    }
  } else if (plan.kind === 'key-file') {
    return { keyHex: plan.create ? writeKeyFile(plan.file) : readKeyFile(plan.file), source: 'key-file', file: plan.file }
  } else {
    problem = plan.problem
    pick = plan.pick
  }
  const dbFile = path.join(input.dataDir, DB_FILE_NAME)
  const recoveryOffered = input.databaseExists && pick === 'existing' && fs.existsSync(recoveryRecordPath(dbFile))
  for (;;) {
    const answer = await input.dialogs.ask(problem, pick, recoveryOffered)
    if (answer === false) return 'quit'
    if (answer === 'recovery' && recoveryOffered) {
      const recovered = await recoverKey(input, dbFile)
      if (recovered) return recovered
      continue
    }
    const folder = await input.dialogs.pickFolder(pick)
    if (folder === null) continue
    const r = adoptKeyFolder(folder, pick, input)
    if ('failed' in r) {
      await input.dialogs.tellFailed(r.failed, folder)
      continue
    }
    if (!input.keyFileFromEnv) saveKeyChoice(input.userDataDir, r.file)
    return { keyHex: r.keyHex, source: 'key-file', file: r.file }
  }
}

/**
 * Asks for the recovery key until it unwraps the key in the record beside the database (or the
 * user goes back: null). A key store that protects keys wraps the key again, replacing a wrapped
 * key it could not open; otherwise the key serves this start only and is stored nowhere.
 */
async function recoverKey(input: DesktopKeyInput, dbFile: string): Promise<DesktopKey | null> {
  let failure: RecoveryFailure | null = null
  for (;;) {
    const typed = await input.dialogs.askRecoveryKey(failure)
    if (typed === null) return null
    let keyHex: string
    try {
      keyHex = await unwrapDbKey(readRecoveryRecord(dbFile), typed)
    } catch (err) {
      if (!(err instanceof RecoveryKeyError)) throw err
      failure = { reason: err.reason, group: err.group }
      continue
    }
    if (keyStoreState(input.wrapper, input.platform) !== 'available') return { keyHex, source: 'recovery-key', stored: false }
    const file = path.join(input.userDataDir, WRAPPED_KEY_FILE)
    fs.mkdirSync(input.userDataDir, { recursive: true })
    fs.writeFileSync(`${file}.new`, input.wrapper.encryptString(keyHex), { mode: 0o600 })
    fs.renameSync(`${file}.new`, file)
    return { keyHex, source: 'recovery-key', stored: true }
  }
}
