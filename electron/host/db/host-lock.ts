import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import Database from 'better-sqlite3-multiple-ciphers'
import { z } from 'zod'
import { DbOpenError, storageOpenError } from './db-error'

export const LOCK_FILE_NAME = 'keyuan.lock'
export const LOCK_INFO_FILE_NAME = 'keyuan.lock.json'

const LockInfo = z.object({ pid: z.number().int(), hostname: z.string(), startedAt: z.string() })
export type LockInfo = z.infer<typeof LockInfo>

/** The data folder held by this process until release(). */
export interface HostLock {
  info: LockInfo
  release(): void
}

/**
 * Makes this process the only host of `dataDir`. The lock itself is an OS file lock: a tiny
 * plain SQLite file opened with locking_mode=EXCLUSIVE and a write transaction held open
 * (fcntl locks on Unix, LockFileEx on Windows), so it dies with the process however the
 * process ends, and a lock file left by a killed host never blocks the next one. Beside it,
 * `keyuan.lock.json` says who holds it (pid, computer, start time), for the refusal message.
 */
export function acquireHostLock(dataDir: string, now: Date = new Date()): HostLock {
  const lockFile = path.join(dataDir, LOCK_FILE_NAME)
  const infoFile = path.join(dataDir, LOCK_INFO_FILE_NAME)
  let sqlite: InstanceType<typeof Database>
  try {
    sqlite = new Database(lockFile, { timeout: 0 })
  } catch (err) {
    throw lockOpenError(err, dataDir)
  }
  try {
    sqlite.pragma('locking_mode = EXCLUSIVE')
    sqlite.exec('BEGIN EXCLUSIVE')
  } catch (err) {
    sqlite.close()
    if ((err as { code?: unknown }).code === 'SQLITE_BUSY') throw new DbOpenError('DB_IN_USE', describeHolder(infoFile, dataDir))
    throw lockOpenError(err, dataDir)
  }
  const info: LockInfo = { pid: process.pid, hostname: os.hostname(), startedAt: now.toISOString() }
  try {
    // written whole then renamed, so a refused host never reads half of it
    const tmp = `${infoFile}.${process.pid}.tmp`
    fs.writeFileSync(tmp, `${JSON.stringify(info)}\n`, { mode: 0o600 })
    fs.renameSync(tmp, infoFile)
  } catch (err) {
    sqlite.close()
    throw storageOpenError(err, dataDir) ?? err
  }
  return {
    info,
    release: () => {
      if (!sqlite.open) return
      try {
        fs.rmSync(infoFile, { force: true })
      } finally {
        sqlite.exec('ROLLBACK')
        sqlite.close()
      }
    },
  }
}

/** "pid 1234 on OFFICE-PC, started 2026-11-25T02:00:00.000Z (data folder …)". */
function describeHolder(infoFile: string, dataDir: string): string {
  let holder = 'a process that has not said who it is yet'
  try {
    const info = LockInfo.parse(JSON.parse(fs.readFileSync(infoFile, 'utf8')))
    holder = `pid ${info.pid} on ${info.hostname}, started ${info.startedAt}`
  } catch {
    // the holder is between taking the lock and writing who it is
  }
  return `held by ${holder} (data folder ${dataDir})`
}

/** The lock file cannot be made or opened: almost always a folder this process may not write. */
function lockOpenError(err: unknown, dataDir: string): DbOpenError | Error {
  const code = (err as { code?: unknown }).code
  if (code === 'SQLITE_CANTOPEN' && !writable(dataDir)) return new DbOpenError('DB_READ_ONLY', dataDir)
  return storageOpenError(err, dataDir) ?? (err as Error)
}

function writable(dir: string): boolean {
  try {
    fs.accessSync(dir, fs.constants.W_OK)
    return true
  } catch {
    return false
  }
}
