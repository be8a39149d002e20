import fs from 'node:fs'
import path from 'node:path'
import { openBackup, schemaVersionOf } from '../domains/backup/backup-file'
import { DB_FILE_NAME, keyFilePath } from './key-file'
import { readRecoveryRecord, recoveryRecordPath, RecoveryKeyError, unwrapDbKey } from './recovery-key'

export interface RecoverInput {
  /** a backup, or the database file itself (the one in the data folder whose key file is lost) */
  source: string
  dataDir: string
  /** --key-file; else KEYUAN_KEY_FILE, else keyuan.key in the data folder (as the host resolves it) */
  keyFile: string | undefined
  env: NodeJS.ProcessEnv
  /** the recovery key as typed (read from stdin, never from argv) */
  typedKey: string
}

/** What a recovery did, for the console. */
export interface Recovered {
  /** the source was copied into the data folder (false: it was the data folder's own database) */
  copied: boolean
  keyFile: string
  schemaVersion: number
}

/**
 * Makes a data folder the host can start from with the recovery key: unwraps the database key
 * from the record beside `source`, checks it opens `source`, copies a backup into the data folder
 * (never over a database already there) and writes the key file (never over another key).
 */
export async function recoverDataFolder(input: RecoverInput): Promise<Recovered> {
  const source = path.resolve(input.source)
  if (!fs.existsSync(source)) throw new RecoveryKeyError('recovery_record_missing', 'the file to recover from does not exist')
  const keyHex = await unwrapDbKey(readRecoveryRecord(source), input.typedKey)
  let schemaVersion: number
  try {
    const opened = await openBackup(source, keyHex)
    try {
      schemaVersion = await schemaVersionOf(opened.db)
    } finally {
      await opened.close()
    }
  } catch {
    throw new RecoveryKeyError('recovery_record_bad', 'the recovery record beside the file belongs to another database')
  }
  const target = path.join(path.resolve(input.dataDir), DB_FILE_NAME)
  const copied = source !== target
  if (copied) {
    if (fs.existsSync(target)) throw new RecoveryKeyError('recovery_target_taken', 'the data folder already holds a database; recover into an empty data folder (--data)')
    fs.mkdirSync(path.dirname(target), { recursive: true, mode: 0o700 })
    fs.copyFileSync(source, `${target}.part`)
    fs.renameSync(`${target}.part`, target)
    if (!fs.existsSync(recoveryRecordPath(target))) fs.copyFileSync(recoveryRecordPath(source), recoveryRecordPath(target))
  }
  const keyFile = keyFilePath(input.dataDir, input.keyFile, input.env)
  if (fs.existsSync(keyFile)) {
    if (fs.readFileSync(keyFile, 'utf8').trim().toLowerCase() !== keyHex) {
      throw new RecoveryKeyError('recovery_target_taken', 'a key file for another database is already there; move it away or name another --key-file')
    }
  } else {
    fs.mkdirSync(path.dirname(keyFile), { recursive: true, mode: 0o700 })
    fs.writeFileSync(keyFile, `${keyHex}\n`, { mode: 0o600, flag: 'wx' })
  }
  return { copied, keyFile, schemaVersion }
}
