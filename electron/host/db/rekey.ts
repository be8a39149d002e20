import fs from 'node:fs'
import Database from 'better-sqlite3-multiple-ciphers'
import { unlockConnection } from './connection-setup'
import { recoveryRecordPath } from './recovery-key'

/**
 * Changing the database key (issue #18 item 3) so that a crash at any moment leaves a file that
 * opens with exactly one of the two keys, and the next start knows which:
 *
 * 1. the new recovery record, then the new key, are written beside the old ones as `*.next`;
 * 2. `PRAGMA rekey` rewrites every page under the new key in one transaction (its commit is the
 *    switch: before it the file opens only with the old key, after it only with the new one);
 * 3. the `*.next` files replace the old ones (recovery record first, key file last).
 *
 * The key's `*.next` is kept by the key's keeper (db/key-keeper.ts): the key file's folder on a
 * headless host, the desktop's OS key store through Electron main (settleGivenKeys).
 *
 * A start that finds `<key file>.next` settles it (settlePendingRekey): it tries the file with the
 * old key, then the new one, and keeps the pair that opens it.
 */

/** The new key written beside the key file while a rekey runs. */
export function pendingKeyPath(keyFile: string): string {
  return `${keyFile}.next`
}

/** The new recovery record written beside the database's while a rekey runs. */
export function pendingRecoveryPath(dbFile: string): string {
  return `${recoveryRecordPath(dbFile)}.next`
}

/** Writes a file and flushes it to the disk before returning (a rename after it must not expose an empty file). */
export function writeDurably(file: string, content: string | Uint8Array): void {
  const fd = fs.openSync(file, 'w', 0o600)
  try {
    fs.writeSync(fd, typeof content === 'string' ? Buffer.from(content) : content)
    fs.fsyncSync(fd)
  } finally {
    fs.closeSync(fd)
  }
}

/** Whether `keyHex` opens the database file (its schema can be read); nothing is written. */
export function opensWith(file: string, keyHex: string): boolean {
  let sqlite: InstanceType<typeof Database> | null = null
  try {
    sqlite = new Database(file, { fileMustExist: true })
    unlockConnection(sqlite, keyHex)
    sqlite.prepare('SELECT count(*) FROM sqlite_master').get()
    return true
  } catch {
    return false
  } finally {
    sqlite?.close()
  }
}

/** What a start found of an interrupted rekey. */
export type RekeySettled = 'none' | 'undone' | 'completed' | 'unresolved'

function readKey(file: string): string | null {
  try {
    const k = fs.readFileSync(file, 'utf8').trim().toLowerCase()
    return /^[0-9a-f]{64}$/.test(k) ? k : null
  } catch {
    return null
  }
}

/**
 * Finishes or undoes a rekey a crash interrupted (see the steps above): the old key still opens
 * the file -> the `*.next` files go; the new key opens it -> they replace the old ones. Neither
 * (a damaged file): left as found, and the start refuses the file as it would without a rekey.
 */
export function settlePendingRekey(dbFile: string, keyFile: string): RekeySettled {
  const nextKeyFile = pendingKeyPath(keyFile)
  const nextRecord = pendingRecoveryPath(dbFile)
  const nextKey = readKey(nextKeyFile)
  if (nextKey === null) {
    // step 1 stopped before the key was written: the rekey never began
    const found = fs.existsSync(nextRecord) || fs.existsSync(nextKeyFile)
    fs.rmSync(nextRecord, { force: true })
    fs.rmSync(nextKeyFile, { force: true })
    return found ? 'undone' : 'none'
  }
  const settled = settleRecord(dbFile, readKey(keyFile), nextKey)
  if (settled === 'undone') fs.rmSync(nextKeyFile, { force: true })
  if (settled === 'completed') fs.renameSync(nextKeyFile, keyFile)
  return settled
}

/**
 * The same for a host whose key owner is outside (the desktop's Electron main): it gave the
 * current key and the pending one it kept; this settles the recovery record and says which key
 * opens the file, for the owner to keep (commit) or forget (drop) the pending one.
 */
export function settleGivenKeys(dbFile: string, currentKey: string, nextKey: string): { settled: Exclude<RekeySettled, 'none'>; keyHex: string } {
  const settled = settleRecord(dbFile, currentKey, nextKey)
  return { settled, keyHex: settled === 'completed' ? nextKey : currentKey }
}

/** A rekey left `nextKey` pending: keeps the recovery record that goes with the key that opens the file. */
function settleRecord(dbFile: string, oldKey: string | null, nextKey: string): Exclude<RekeySettled, 'none'> {
  if (oldKey !== null && opensWith(dbFile, oldKey)) {
    fs.rmSync(pendingRecoveryPath(dbFile), { force: true })
    return 'undone'
  }
  if (!opensWith(dbFile, nextKey)) return 'unresolved'
  promotePendingRecord(dbFile)
  return 'completed'
}

/** Step 3, first half: the new recovery record replaces the old one (the key follows, by its keeper). */
export function promotePendingRecord(dbFile: string): void {
  if (fs.existsSync(pendingRecoveryPath(dbFile))) fs.renameSync(pendingRecoveryPath(dbFile), recoveryRecordPath(dbFile))
}

/** What a pending rekey means for a file, found without changing anything (`--check`). */
export type PendingRekey =
  | { kind: 'none' }
  /** the file still opens with the current key: the next start forgets the pending one */
  | { kind: 'before-switch' }
  /** the file opens only with the pending key: the next start makes it the key */
  | { kind: 'after-switch'; keyHex: string }
  /** the file opens with neither */
  | { kind: 'unresolved' }

/** Looks at a pending rekey beside a headless host's key file without settling it (a host may be running it now). */
export function inspectPendingRekey(dbFile: string, keyFile: string): PendingRekey {
  const nextKey = readKey(pendingKeyPath(keyFile))
  if (nextKey === null) return { kind: 'none' }
  const oldKey = readKey(keyFile)
  if (oldKey !== null && opensWith(dbFile, oldKey)) return { kind: 'before-switch' }
  return opensWith(dbFile, nextKey) ? { kind: 'after-switch', keyHex: nextKey } : { kind: 'unresolved' }
}
