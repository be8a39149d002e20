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
import { planDbKey, type KeyFilePick, type KeyProblem } from './key-plan'

/** Why a picked folder did not do: told to the user, who is then asked again. */
export type PickFailure = 'beside_database' | 'no_key_file' | 'bad_key_file' | 'key_differs' | 'write_failed'

/** The dialogs of the key decision; Electron's in the app, scripted in tests. */
export interface KeyDialogs {
  /** explains the problem; true = go on with a key file, false = quit. */
  ask(problem: KeyProblem, pick: KeyFilePick): Promise<boolean>
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

export type DesktopKey = { keyHex: string; source: 'safe-storage' } | { keyHex: string; source: 'key-file'; file: string }

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
  if (plan.kind === 'safe-storage') {
    return { keyHex: loadOrCreateDbKey(input.userDataDir, input.wrapper, input.databaseExists), source: 'safe-storage' }
  }
  if (plan.kind === 'key-file') {
    return { keyHex: plan.create ? writeKeyFile(plan.file) : readKeyFile(plan.file), source: 'key-file', file: plan.file }
  }
  for (;;) {
    if (!(await input.dialogs.ask(plan.problem, plan.pick))) return 'quit'
    const folder = await input.dialogs.pickFolder(plan.pick)
    if (folder === null) continue
    const r = adoptKeyFolder(folder, plan.pick, input)
    if ('failed' in r) {
      await input.dialogs.tellFailed(r.failed, folder)
      continue
    }
    if (!input.keyFileFromEnv) saveKeyChoice(input.userDataDir, r.file)
    return { keyHex: r.keyHex, source: 'key-file', file: r.file }
  }
}
