import { z } from 'zod'
import { AnchorStatus, AuditHead } from './audit'
import { BackupFailure } from './backup'
import { Empty, IsoTime, type ContractTable } from './common'

/** The background `PRAGMA quick_check` the host runs at each start: running, ok, or failed (the file is damaged). */
export const IntegrityStatus = z.object({
  status: z.enum(['checking', 'ok', 'failed']),
  /** when the last check finished; null while the first one runs */
  checkedAt: IsoTime.nullable(),
})
export type IntegrityStatus = z.infer<typeof IntegrityStatus>

/** A standby has not pulled for longer than this: the health page warns the admin (its copy is falling behind). */
export const STANDBY_STALE_MS = 10 * 60 * 1000

/** One standby host as the health page shows it (issue #18 item 9). */
export const StandbyHealth = z.object({
  deviceId: z.number().int(),
  name: z.string(),
  /** the address it pulls from (where terminals go once it is promoted) */
  address: z.string().nullable(),
  lastPullAt: IsoTime.nullable(),
  /** changes the host has that it had not applied at its last pull */
  lagChanges: z.number().int().min(0),
  /** seconds since its last pull (since it was made a standby, before its first) */
  lagSeconds: z.number().int().min(0),
  /** no pull for more than STANDBY_STALE_MS: the admin is warned */
  stale: z.boolean(),
})
export type StandbyHealth = z.infer<typeof StandbyHealth>

/** One side of the database's connections: open, in use, being started, and the calls waiting for one. */
export const ConnectionSide = z.object({
  open: z.number().int().min(0),
  busy: z.number().int().min(0),
  starting: z.number().int().min(0),
  waiting: z.number().int().min(0),
})

/**
 * The database connections behind the calls (each a worker thread): the one writer, the readers
 * (and how many the host runs), the checkpointer, and workers replaced since the start. A side
 * with none open answers no call of its kind until one is started again.
 */
export const DatabaseConnections = z.object({
  writer: ConnectionSide,
  readers: ConnectionSide.extend({ wanted: z.number().int().min(1) }),
  checkpointer: z.boolean(),
  restarts: z.number().int().min(0),
})
export type DatabaseConnections = z.infer<typeof DatabaseConnections>

/** What 设置 › 系统状态 shows an admin (and `npm run host -- --check` prints, less what needs a running host). */
export const HealthReport = z.object({
  at: IsoTime,
  version: z.string(),
  schemaVersion: z.number().int(),
  /** the database file and its write-ahead log, bytes */
  database: z.object({ bytes: z.number().int().min(0), walBytes: z.number().int().min(0) }),
  integrity: IntegrityStatus,
  audit: z.object({
    ok: z.boolean(),
    head: AuditHead.nullable(),
    anchor: AnchorStatus.nullable(),
    /** the last full walk of the chain (at start and on each 核验) */
    verifiedAt: IsoTime.nullable(),
    firstBrokenId: z.number().int().nullable(),
  }),
  backup: z.object({
    /** the newest kept backup (each is checked when taken) */
    lastAt: IsoTime.nullable(),
    lastName: z.string().nullable(),
    ageHours: z.number().int().min(0).nullable(),
    /** older than two days (or none, on a database older than that): the admin is warned */
    stale: z.boolean(),
    lastFailure: BackupFailure.nullable(),
  }),
  /** WebSocket connections open now (the screens of this PC and the terminals) */
  terminals: z.number().int().min(0),
  /** the standby hosts the admin made of paired PCs, and how far behind each is */
  standbys: z.array(StandbyHealth),
  /** the writer and reader connections (worker threads) the calls run on */
  connections: DatabaseConnections,
  scheduler: z.object({
    intervalMs: z.number().int().min(0),
    lastPassAt: IsoTime.nullable(),
    /** how far past its due time the rules pass is now (0 when on time, or while the timer is off) */
    overdueMs: z.number().int().min(0),
    /** the event loop's 99th-percentile delay since the host started: how late timers and calls start */
    loopDelayP99Ms: z.number().min(0),
  }),
})
export type HealthReport = z.infer<typeof HealthReport>

export const healthContract = {
  'health.status': {
    input: Empty,
    output: HealthReport,
    write: false,
    summary: "The host's health for the admin: database size, integrity, audit chain, last backup and its age, terminals connected, database connections, scheduler lag.",
  },
} as const satisfies ContractTable
