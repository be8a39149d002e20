import fs from 'node:fs'
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks'
import { CompiledQuery, type Kysely } from 'kysely'
import type { DatabaseConnections, HealthReport, IntegrityStatus, StandbyHealth } from '@shared/contract/health'
import { ageHours, backupIsStale } from '@shared/domain/backup-age'
import { hostTextOf } from '@shared/domain/host-text-keys'
import type { HostEvents } from '../../api/events'
import type { Clock } from '../../clock'
import type { DB } from '../../db/schema'
import { WorkerConnection } from '../../db/worker-connection'
import { workerScript } from '../../db/worker-pool'
import { APP_VERSION } from '../../version'
import type { AuditLog } from '../audit/audit-log'
import type { BackupService } from '../backup/backup-service'
import { publishNotices, type Notice } from '../notifications/notice'
import { insertNotices } from '../notifications/notifications.repository'

/** The notice kind of a backup warning (one a day at most per admin while backups are stale). */
export const BACKUP_STALE_NOTICE = 'backup_stale'

/** How often the monitor looks whether the admins must be warned about backups. */
const WARN_EVERY_MS = 3_600_000

/** The notice kind of a standby that stopped pulling (one per standby every 6 hours at most per admin while it stays so). */
export const STANDBY_STALE_NOTICE = 'standby_stale'
/** How often the monitor looks at the standbys (their state is in memory: a cheap look). */
const STANDBY_CHECK_MS = 60_000
const STANDBY_RENOTICE_MS = 6 * 3_600_000

/** How long closing the integrity check's connection may take. */
const CLOSE_MS = 30_000

export interface HealthMonitorOptions {
  file: string
  /** the database key now (a rekey changes it) */
  keyHex: () => string
  clock: Clock
  /** reads (a reader) */
  reader: Kysely<DB>
  /** the backup notice is written here */
  writer: Kysely<DB>
  events: HostEvents
  auditLog: AuditLog
  backups: BackupService
  schemaVersion: () => number
  scheduler: () => { intervalMs: number; lastPassAt: string | null; overdueMs: number }
  terminals: () => number
  /** the database's worker connections (SqliteWorkerPool.status) */
  connections: () => DatabaseConnections
  /** the standbys and their lag (the feed is made after the monitor: none until then) */
  standbys?: (db: Kysely<DB>, now: Date) => Promise<StandbyHealth[]>
  log?: (msg: string, err?: unknown) => void
}

/**
 * The host's health for 设置 › 系统状态: the database's size and integrity (a `quick_check` run once
 * per start on a connection of its own, beside the calls), the audit chain, the last backup and
 * its age, terminals and scheduler lag. Warns the admins with a notice while the newest backup is
 * older than two days.
 */
export class HealthMonitor {
  private integrity: IntegrityStatus = { status: 'checking', checkedAt: null }
  private checking: Promise<void> = Promise.resolve()
  private warning: Promise<unknown> = Promise.resolve()
  private readonly loop: IntervalHistogram = monitorEventLoopDelay({ resolution: 20 })
  private timer: NodeJS.Timeout | undefined
  private standbyTimer: NodeJS.Timeout | undefined
  private standbyWarning: Promise<unknown> = Promise.resolve()

  constructor(private readonly opts: HealthMonitorOptions) {
    this.loop.enable()
  }

  /** Starts the integrity check in the background, and the backup warnings (now and every hour). */
  start(): void {
    this.checking = this.checkIntegrity()
    const warn = () => {
      this.warning = this.warnIfBackupStale().catch((err: unknown) => this.opts.log?.('could not check the age of the last backup', err))
    }
    warn()
    this.timer = setInterval(warn, WARN_EVERY_MS)
    this.timer.unref()
    this.standbyTimer = setInterval(() => {
      this.standbyWarning = this.warnIfStandbyStale().catch((err: unknown) => this.opts.log?.('could not check the standbys', err))
    }, STANDBY_CHECK_MS)
    this.standbyTimer.unref()
  }

  /**
   * A standby that has not pulled for more than 10 minutes (STANDBY_STALE_MS): each active admin
   * gets a notice (the bell and the desktop's OS notice), again every 6 hours while one stays so.
   * Returns how many notices it sent.
   */
  async warnIfStandbyStale(): Promise<number> {
    const now = this.opts.clock.now()
    const stale = ((await this.opts.standbys?.(this.opts.reader, now)) ?? []).filter((s) => s.stale)
    if (stale.length === 0) return 0
    const since = new Date(now.getTime() - STANDBY_RENOTICE_MS).toISOString()
    // one notice naming every standby that stopped (the longest silence), at most every 6 hours per admin
    const body = hostTextOf('notice.standbyStaleBody', { name: stale.map((s) => s.name).join('、'), minutes: Math.floor(Math.max(...stale.map((s) => s.lagSeconds)) / 60) })
    return this.noticeAdmins(STANDBY_STALE_NOTICE, since, { title: hostTextOf('notice.standbyStale'), body })
  }

  /** `PRAGMA quick_check` over the whole file; a damaged page is logged in one clear line. */
  async checkIntegrity(): Promise<void> {
    this.integrity = { status: 'checking', checkedAt: null }
    let conn: WorkerConnection | null = null
    try {
      conn = await WorkerConnection.open(workerScript(), { file: this.opts.file, keyHex: this.opts.keyHex(), role: 'reader' })
      const r = await conn.executeQuery<{ quick_check: string }>(CompiledQuery.raw('PRAGMA quick_check(5)'))
      const answer = r.rows.map((row) => row.quick_check).join('; ')
      this.integrity = { status: answer === 'ok' ? 'ok' : 'failed', checkedAt: this.opts.clock.now().toISOString() }
      if (answer !== 'ok') this.opts.log?.(`DB_DAMAGED: the database fails its integrity check (${answer}); restore the newest backup (设置 › 备份与恢复)`)
    } catch (err) {
      this.integrity = { status: 'failed', checkedAt: this.opts.clock.now().toISOString() }
      this.opts.log?.('DB_DAMAGED: the integrity check could not read the whole database; restore the newest backup (设置 › 备份与恢复)', err)
    } finally {
      await conn?.close(CLOSE_MS)
    }
  }

  /** Everything the health page shows, now; `db` is the call's own connection (see BackupService.list). */
  async report(db: Kysely<DB>): Promise<HealthReport> {
    const now = this.opts.clock.now()
    const backups = await this.opts.backups.list(db)
    const newest = backups[0] ?? null
    const audit = this.opts.auditLog.health()
    const schedule = this.opts.scheduler()
    return {
      at: now.toISOString(),
      version: APP_VERSION,
      schemaVersion: this.opts.schemaVersion(),
      database: { bytes: sizeOf(this.opts.file), walBytes: sizeOf(`${this.opts.file}-wal`) },
      integrity: { ...this.integrity },
      audit: {
        ok: audit.ok,
        head: audit.head,
        anchor: audit.anchor?.status ?? null,
        verifiedAt: audit.lastVerify?.verifiedAt ?? null,
        firstBrokenId: audit.lastVerify?.firstBrokenId ?? null,
      },
      backup: {
        lastAt: newest?.at ?? null,
        lastName: newest?.name ?? null,
        ageHours: newest ? ageHours(newest.at, now) : null,
        stale: backupIsStale(newest?.at ?? null, await databaseSince(db), now),
        lastFailure: this.opts.backups.failure(),
      },
      terminals: this.opts.terminals(),
      standbys: (await this.opts.standbys?.(db, now)) ?? [],
      connections: this.opts.connections(),
      scheduler: { ...schedule, loopDelayP99Ms: Math.round(this.loop.percentile(99) / 1e4) / 100 },
    }
  }

  /**
   * While the newest backup is older than two days, each active admin gets a notice (the bell and
   * the desktop's OS notice) at most once a day.
   */
  async warnIfBackupStale(): Promise<number> {
    const now = this.opts.clock.now()
    const newest = (await this.opts.backups.list())[0] ?? null
    if (!backupIsStale(newest?.at ?? null, await databaseSince(this.opts.reader), now)) return 0
    const dayAgo = new Date(now.getTime() - 24 * 3_600_000).toISOString()
    const days = newest ? Math.floor(ageHours(newest.at, now) / 24) : null
    return this.noticeAdmins(BACKUP_STALE_NOTICE, dayAgo, {
      title: hostTextOf('notice.backupStale'),
      body: days === null ? hostTextOf('notice.backupNone') : hostTextOf('notice.backupAge', { days }),
    })
  }

  /** One notice of `kind` to every active admin who has had none since `since`, pushed once stored; how many went out. */
  private async noticeAdmins(kind: string, since: string, text: Pick<Notice, 'title' | 'body'>): Promise<number> {
    const now = this.opts.clock.now()
    const notices = await this.opts.writer.transaction().execute(async (trx) => {
      const admins = await trx
        .selectFrom('staff')
        .select('id')
        .where('role', '=', 'admin')
        .where('active', '=', 1)
        .where((eb) => eb.not(eb.exists(eb.selectFrom('notifications as n').select('n.id').whereRef('n.staff_id', '=', 'staff.id').where('n.kind', '=', kind).where('n.created_at', '>', since))))
        .execute()
      const out: Notice[] = admins.map((a) => ({ staffId: a.id, kind, title: text.title, body: text.body, clientId: null, taskId: null }))
      await insertNotices(trx, out, now.toISOString())
      return out
    })
    publishNotices(this.opts.events, notices)
    return notices.length
  }

  /** Stops the timer and waits for the integrity check and a backup warning under way. */
  async close(): Promise<void> {
    clearInterval(this.timer)
    clearInterval(this.standbyTimer)
    this.loop.disable()
    await this.checking
    await this.warning
    await this.standbyWarning
  }
}

function sizeOf(file: string): number {
  try {
    return fs.statSync(file).size
  } catch {
    return 0
  }
}

/** When the branch began (its first admin was made, on the host's clock): a branch is not warned of no backups in its first two days. */
export async function databaseSince(db: Kysely<DB>): Promise<string | null> {
  const r = await db.selectFrom('staff').select((eb) => eb.fn.min('created_at').as('since')).executeTakeFirst()
  return r?.since ?? null
}
