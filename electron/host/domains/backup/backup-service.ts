import fs from 'node:fs'
import path from 'node:path'
import type { Kysely } from 'kysely'
import { BackupManifest, type BackupFailure, type BackupInfo, type BackupProgress, type RestoreReport } from '@shared/contract/backup'
import { backupsToKeep, newestFirst } from '@shared/domain/backup-rotation'
import { ApiFailure } from '../../api/api-failure'
import type { Clock } from '../../clock'
import { DB_FILE_NAME } from '../../db/key-file'
import { recoveryRecordPath } from '../../db/recovery-key'
import type { DB } from '../../db/schema'
import { APP_VERSION } from '../../version'
import { readBackupSettings } from './backup-settings.repository'
import { copyDatabase, describeDatabase, integrityOf, openBackup, rekeyFile, schemaVersionOf, sha256Of } from './backup-file'

/** The folder (in the data folder) that holds the backups. */
export const BACKUP_FOLDER = 'backups'

/** How often a running copy's size is looked at for its progress. */
const PROGRESS_EVERY_MS = 250

/** How often the timer asks whether a scheduled backup is due. */
const TICK_MS = 60_000

export interface BackupServiceOptions {
  dataDir: string
  /** the live database file. */
  file: string
  /** the database key now (a rekey changes it) */
  keyHex: () => string
  /** keys a rekey retired (the key ring): a backup taken under one of them is restored with it */
  retiredKeys: () => Promise<string[]>
  clock: Clock
  /** where the settings are read (a reader). */
  db: Kysely<DB>
  /** the newest schema this host knows: a backup from a newer host is refused. */
  latestSchema: number
  /** walks a backup's audit chain under this host's key (AuditLog.verifyChainOf). */
  verifyChain: (db: Kysely<DB>) => Promise<{ checked: number; firstBrokenId: number | null }>
  /**
   * closes the host's connections, keeps the live database as `keptAs` (a path), moves
   * `candidate` into its place and reopens (host.ts does it: it owns the connections).
   */
  replaceDatabase: (candidate: string, keptAs: string) => Promise<void>
  log?: (msg: string, err?: unknown) => void
}

/** A refused restore: VALIDATION on the backup, with a reason the screens translate. */
function refuse(reason: string, message: string, params?: Record<string, number>): never {
  throw new ApiFailure('VALIDATION', message, 'backup', reason, params)
}

/** What the admin is told of a failed backup: the disk is full, the folder cannot be written, or it failed. */
function failureReason(err: unknown): BackupFailure['reason'] {
  const code = (err as { code?: unknown } | null)?.code
  if (code === 'ENOSPC' || code === 'SQLITE_FULL' || code === 'EDQUOT') return 'disk_full'
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS' || code === 'ENOTDIR' || code === 'EEXIST' || code === 'SQLITE_READONLY' || code === 'SQLITE_CANTOPEN') return 'not_writable'
  return 'failed'
}

/** YYYYMMDD-HHMMSS in branch time (UTC+8), for file names. */
function compactStamp(at: Date): string {
  return new Date(at.getTime() + 8 * 3_600_000).toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15)
}

function manifestPath(file: string): string {
  return `${file}.manifest.json`
}

function checksumPath(file: string): string {
  return `${file}.sha256`
}

/**
 * The branch's backups: taken on demand or when due, online (a copy from one read snapshot in a
 * worker thread), each with its checksum and manifest beside it, copied to the second folder when
 * one is set, and rotated. One runs at a time.
 */
export class BackupService {
  readonly folder: string
  /** a restore or a key change holds the database: no backup starts meanwhile, nor another of them */
  private exclusive = false
  private running: { progress: BackupProgress; done: Promise<BackupManifest | null> } | null = null
  private lastFailure: BackupFailure | null = null
  private timer: NodeJS.Timeout | undefined

  constructor(private readonly opts: BackupServiceOptions) {
    this.folder = path.join(opts.dataDir, BACKUP_FOLDER)
  }

  /** The running backup's progress, or null. */
  progress(): BackupProgress | null {
    return this.running ? { ...this.running.progress } : null
  }

  /** The last backup that failed, while no later one has succeeded. */
  failure(): BackupFailure | null {
    return this.lastFailure
  }

  /** Starts a backup (or returns the one already running); its manifest once done via whenDone. */
  start(kind: BackupManifest['kind']): BackupProgress {
    if (this.exclusive) throw new ApiFailure('CONFLICT', 'a restore or a key change is running; try again when it is over', undefined, 'backup_busy')
    if (!this.running) {
      const progress: BackupProgress = { phase: 'copying', percent: 0, startedAt: this.opts.clock.now().toISOString() }
      const done = this.take(kind, progress).then(
        (m) => {
          this.lastFailure = null
          return m
        },
        (err: unknown) => {
          this.lastFailure = { at: this.opts.clock.now().toISOString(), reason: failureReason(err) }
          this.opts.log?.('backup failed', err)
          return null
        },
      )
      this.running = { progress, done: done.finally(() => (this.running = null)) }
    }
    return { ...this.running.progress }
  }

  /** Resolves when the running backup (if any) is over: its manifest, or null when it failed or none ran. */
  async whenDone(): Promise<BackupManifest | null> {
    return this.running ? this.running.done : null
  }

  /**
   * The kept backups, newest first (files whose manifest cannot be read are left out). A call
   * passes its own connection (`db`): asking the reader pool from inside a read call would wait
   * for the reader that call holds.
   */
  async list(db: Kysely<DB> = this.opts.db): Promise<BackupInfo[]> {
    const settings = await readBackupSettings(db)
    const out: BackupInfo[] = []
    let names: string[]
    try {
      names = await fs.promises.readdir(this.folder)
    } catch {
      return []
    }
    for (const n of names.filter((x) => x.endsWith('.manifest.json'))) {
      const m = await this.manifestOf(n.slice(0, -'.manifest.json'.length))
      if (!m) continue
      const copied = settings.secondFolder !== '' && fs.existsSync(path.join(settings.secondFolder, m.name))
      out.push({ ...m, copied })
    }
    return out.sort(newestFirst)
  }

  /** The manifest of a kept backup, or null when there is none (or it is not one). */
  async manifestOf(name: string): Promise<BackupManifest | null> {
    try {
      const parsed = BackupManifest.safeParse(JSON.parse(await fs.promises.readFile(manifestPath(path.join(this.folder, name)), 'utf8')))
      return parsed.success && parsed.data.name === name ? parsed.data : null
    } catch {
      return null
    }
  }

  /** Takes a scheduled backup when the newest is older than the setting says (or there is none). */
  async tick(): Promise<void> {
    const { everyHours } = await readBackupSettings(this.opts.db)
    if (everyHours === 0 || this.running || this.exclusive) return
    const newest = (await this.list())[0]
    const due = !newest || this.opts.clock.now().getTime() - Date.parse(newest.at) >= everyHours * 3_600_000
    if (due) this.start('scheduled')
  }

  /** Asks every minute whether a scheduled backup is due. */
  startTimer(everyMs = TICK_MS): void {
    this.timer = setInterval(() => {
      this.tick().catch((err: unknown) => this.opts.log?.('could not check whether a backup is due', err))
    }, everyMs)
    this.timer.unref()
  }

  /** Stops the timer and waits for a running backup. */
  async close(): Promise<void> {
    clearInterval(this.timer)
    await this.whenDone()
  }

  /**
   * Restores a kept backup: verifies it first (checksum, opens with the key, integrity_check,
   * schema not newer than this host's, audit chain), on a copy beside the database; then keeps
   * the live database aside and swaps the copy in. A refusal changes nothing.
   */
  async restore(name: string): Promise<RestoreReport> {
    return this.alone(() => this.restoreAlone(name))
  }

  /** Runs `work` (a restore, a key change) while no backup, restore or key change runs; else CONFLICT backup_busy. */
  async alone<T>(work: () => Promise<T>): Promise<T> {
    if (this.running || this.exclusive) throw new ApiFailure('CONFLICT', 'a backup, a restore or a key change is running; try again when it is over', undefined, 'backup_busy')
    this.exclusive = true
    try {
      return await work()
    } finally {
      this.exclusive = false
    }
  }

  private async restoreAlone(name: string): Promise<RestoreReport> {
    const candidate = path.join(this.opts.dataDir, `${DB_FILE_NAME}.restoring`)
    try {
      const manifest = await this.manifestOf(name)
      if (!manifest) throw new ApiFailure('NOT_FOUND', 'no such backup', undefined, 'backup_not_found')
      const file = path.join(this.folder, name)
      const stored = await fs.promises.readFile(checksumPath(file), 'utf8').catch(() => '')
      const sha256 = await sha256Of(file).catch(() => '')
      if (sha256 !== manifest.sha256 || stored.split(/\s+/)[0] !== manifest.sha256) refuse('backup_checksum', 'the backup does not match its checksum')
      // verified and swapped as a copy: the kept backup itself is never opened for writing
      await fs.promises.copyFile(file, candidate)
      if ((await sha256Of(candidate)) !== manifest.sha256) refuse('backup_checksum', 'the backup does not match its checksum')
      const checked = await this.verifyCandidate(candidate)
      const restoredAt = this.opts.clock.now()
      const keptName = `${DB_FILE_NAME}.before-restore-${compactStamp(restoredAt)}`
      await this.opts.replaceDatabase(candidate, path.join(this.opts.dataDir, keptName))
      return { restored: manifest, keptAs: keptName, integrity: 'ok', auditChecked: checked, restoredAt: restoredAt.toISOString() }
    } finally {
      await fs.promises.rm(candidate, { force: true })
    }
  }

  /**
   * Opens the copy with the host's key, or a key a rekey retired (the copy is then rekeyed to the
   * current key before it is checked, so the file swapped in opens with the key file), and checks
   * it; returns how many audit rows were checked.
   */
  private async verifyCandidate(candidate: string): Promise<number> {
    const current = this.opts.keyHex()
    let opened = await openBackup(candidate, current).catch(() => null)
    for (const key of opened ? [] : await this.opts.retiredKeys()) {
      if (!(await rekeyFile(candidate, key, current).then(() => true, () => false))) continue
      opened = await openBackup(candidate, current).catch(() => null)
      break
    }
    if (!opened) return refuse('backup_wrong_key', 'the backup does not open with this branch’s key (or it is not a backup)')
    try {
      if ((await integrityOf(opened.db).catch(() => 'failed')) !== 'ok') refuse('backup_damaged', 'the backup fails the integrity check')
      // read alone first: a newer program's tables need not be the ones this host counts
      const schemaVersion = await schemaVersionOf(opened.db).catch(() => refuse('backup_damaged', 'the backup has no schema version'))
      if (schemaVersion > this.opts.latestSchema) refuse('backup_too_new', 'the backup was made by a newer version of the program', { schema: schemaVersion })
      const chain = await this.opts.verifyChain(opened.db)
      if (chain.firstBrokenId !== null) refuse('backup_audit_broken', 'the backup’s audit log does not verify', { id: chain.firstBrokenId })
      return chain.checked
    } finally {
      await opened.close()
    }
  }

  private async take(kind: BackupManifest['kind'], progress: BackupProgress): Promise<BackupManifest> {
    await fs.promises.mkdir(this.folder, { recursive: true, mode: 0o700 })
    const name = await this.freshName()
    const target = path.join(this.folder, name)
    const part = `${target}.part`
    await fs.promises.rm(part, { force: true })
    try {
      await this.copyWatched(part, progress)
      Object.assign(progress, { phase: 'checking', percent: 60 })
      const opened = await openBackup(part, this.opts.keyHex())
      let described: Awaited<ReturnType<typeof describeDatabase>>
      try {
        described = await describeDatabase(opened.db)
      } finally {
        await opened.close()
      }
      const sha256 = await sha256Of(part)
      const bytes = (await fs.promises.stat(part)).size
      const manifest: BackupManifest = { name, at: progress.startedAt, kind, sha256, bytes, hostVersion: APP_VERSION, ...described }
      await fs.promises.rename(part, target)
      await fs.promises.writeFile(checksumPath(target), `${sha256}  ${name}\n`, { mode: 0o600 })
      await fs.promises.writeFile(manifestPath(target), JSON.stringify(manifest, null, 2), { mode: 0o600 })
      // the database key wrapped by the recovery key travels with the backup: on a new PC the two open it
      if (fs.existsSync(recoveryRecordPath(this.opts.file))) await fs.promises.copyFile(recoveryRecordPath(this.opts.file), recoveryRecordPath(target))
      Object.assign(progress, { phase: 'copying-second', percent: 80 })
      await this.copyToSecond(target)
      Object.assign(progress, { phase: 'rotating', percent: 95 })
      await this.rotate()
      return manifest
    } finally {
      await fs.promises.rm(part, { force: true })
    }
  }

  /** Copies the database into `part`; meanwhile the copy's size against the source's is the progress (0–55 %). */
  private async copyWatched(part: string, progress: BackupProgress): Promise<void> {
    const sizeOf = (f: string) => fs.promises.stat(f).then((s) => s.size, () => 0)
    const source = Math.max(1, (await sizeOf(this.opts.file)) + (await sizeOf(`${this.opts.file}-wal`)))
    const watch = setInterval(() => {
      void sizeOf(part).then((bytes) => {
        if (progress.phase === 'copying') progress.percent = Math.min(55, Math.floor((bytes / source) * 55))
      })
    }, PROGRESS_EVERY_MS)
    watch.unref()
    try {
      await copyDatabase(this.opts.file, this.opts.keyHex(), part)
    } finally {
      clearInterval(watch)
    }
  }

  /**
   * A name from the branch time of the clock; in a second that already has backups, numbered after
   * the highest (never a number rotation freed: the newer backup must sort as the newer).
   */
  private async freshName(): Promise<string> {
    const stamp = compactStamp(this.opts.clock.now())
    const prefix = `keyuan-${stamp}`
    const taken = (await fs.promises.readdir(this.folder))
      .filter((f) => f.startsWith(prefix))
      .map((f) => /^-(\d{1,3})\.db/.exec(f.slice(prefix.length))?.[1] ?? '0')
      .map(Number)
    return taken.length === 0 ? `${prefix}.db` : `${prefix}-${Math.max(...taken) + 1}.db`
  }

  /** The second folder gets the backup, its checksum, manifest and recovery record; a failure there is logged, the backup stays. */
  private async copyToSecond(target: string): Promise<void> {
    const { secondFolder } = await readBackupSettings(this.opts.db)
    if (secondFolder === '') return
    try {
      for (const f of [target, checksumPath(target), manifestPath(target), recoveryRecordPath(target)]) {
        if (f === recoveryRecordPath(target) && !fs.existsSync(f)) continue
        await fs.promises.copyFile(f, path.join(secondFolder, `${path.basename(f)}.part`))
        await fs.promises.rename(path.join(secondFolder, `${path.basename(f)}.part`), path.join(secondFolder, path.basename(f)))
      }
    } catch (err) {
      this.opts.log?.('could not copy the backup to the second folder', err)
    }
  }

  /** Deletes the backups rotation does not keep (in this folder; the second folder is the admin's). */
  async rotate(): Promise<void> {
    const all = await this.list()
    const keep = backupsToKeep(all)
    for (const b of all) {
      if (keep.has(b.name)) continue
      const file = path.join(this.folder, b.name)
      for (const f of [manifestPath(file), checksumPath(file), recoveryRecordPath(file), file]) await fs.promises.rm(f, { force: true })
    }
  }
}
