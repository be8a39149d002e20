import { z } from 'zod'
import { Empty, IsoTime, type ContractTable } from './common'
import { AuditHead } from './audit'

/** A backup's file name as the host writes it (keyuan-YYYYMMDD-HHMMSS[-n].db): nothing else is ever opened. */
export const BackupName = z.string().regex(/^keyuan-\d{8}-\d{6}(-\d{1,3})?\.db$/)

/** What sits beside each backup file (name.manifest.json): enough to judge it without opening it. */
export const BackupManifest = z.object({
  name: BackupName,
  /** when the copy was taken (the host's clock). */
  at: IsoTime,
  kind: z.enum(['manual', 'scheduled']),
  /** SHA-256 of the backup file, hex. */
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  bytes: z.number().int().min(0),
  schemaVersion: z.number().int().min(0),
  hostVersion: z.string(),
  /** rows of the main tables at the moment of the copy. */
  counts: z.record(z.string(), z.number().int().min(0)),
  /** the newest audit row in the copy. */
  auditHead: AuditHead.nullable(),
})
export type BackupManifest = z.infer<typeof BackupManifest>

/** A backup as the admin sees it listed. */
export const BackupInfo = BackupManifest.extend({
  /** the copy in the second folder is there too. */
  copied: z.boolean(),
})
export type BackupInfo = z.infer<typeof BackupInfo>

/** Where a running backup is. */
export const BackupProgress = z.object({
  phase: z.enum(['copying', 'checking', 'copying-second', 'rotating']),
  /** 0 to 100. */
  percent: z.number().int().min(0).max(100),
  startedAt: IsoTime,
})
export type BackupProgress = z.infer<typeof BackupProgress>

/** The branch's backup settings. */
export const BackupSettings = z.strictObject({
  /** a backup is taken by itself when the last one is older than this many hours (0: never). */
  everyHours: z.number().int().min(0).max(24 * 7).default(24),
  /** a folder that gets a copy of each backup (a USB stick, a share); '' for none. */
  secondFolder: z.string().max(500).default(''),
})
export type BackupSettings = z.infer<typeof BackupSettings>

/** Why a backup failed, in words the screen translates (never a path or a message from the disk). */
export const BackupFailureReason = z.enum(['disk_full', 'not_writable', 'failed'])

/** The last backup attempt that failed (the next scheduled one tries again). */
export const BackupFailure = z.object({ at: IsoTime, reason: BackupFailureReason })
export type BackupFailure = z.infer<typeof BackupFailure>

/** What a restore put back, and where the database it replaced was kept. */
export const RestoreReport = z.object({
  restored: BackupManifest,
  /** the file name (in the data folder) the replaced database was kept under. */
  keptAs: z.string(),
  integrity: z.literal('ok'),
  auditChecked: z.number().int().min(0),
  restoredAt: IsoTime,
})
export type RestoreReport = z.infer<typeof RestoreReport>

/** A key change: the new recovery key (shown once, stored nowhere) and when it was made. */
export const RekeyResult = z.object({ recoveryKey: z.string(), at: IsoTime })
export type RekeyResult = z.infer<typeof RekeyResult>

export const backupContract = {
  'backup.list': {
    input: Empty,
    output: z.object({
      backups: z.array(BackupInfo),
      running: BackupProgress.nullable(),
      lastFailure: BackupFailure.nullable(),
      settings: BackupSettings,
    }),
    write: false,
    summary: 'The kept backups, newest first, the one running (with its progress) and the backup settings.',
  },
  'backup.create': {
    input: Empty,
    output: z.object({ running: BackupProgress }),
    write: false,
    summary: 'Start a backup now (online: the host keeps serving); follow it with backup.list.',
  },
  'backup.setSettings': {
    input: BackupSettings,
    output: BackupSettings,
    write: true,
    summary: 'Set how often backups are taken by themselves and the second folder that gets a copy.',
  },
  'backup.restore': {
    input: z.strictObject({ name: BackupName }),
    output: RestoreReport,
    write: true,
    summary: 'Verify a backup (checksum, key, integrity, schema, audit chain), keep the current database aside and swap it in.',
  },
  'backup.rekey': {
    input: z.strictObject({ password: z.string().min(1).max(128) }),
    output: RekeyResult,
    write: true,
    summary: 'Change the database key and the recovery key (the admin’s password again); answers the new recovery key, shown this once. Calls wait while the file is rewritten.',
  },
} as const satisfies ContractTable
