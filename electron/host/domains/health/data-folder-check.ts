import fs from 'node:fs'
import path from 'node:path'
import { CompiledQuery } from 'kysely'
import { BackupManifest } from '@shared/contract/backup'
import { ageHours, backupIsStale } from '@shared/domain/backup-age'
import { newestFirst } from '@shared/domain/backup-rotation'
import { DbOpenError } from '../../db/db-error'
import { DB_FILE_NAME, keyFilePath, resolveHeadlessKey } from '../../db/key-file'
import { inspectPendingRekey, type PendingRekey } from '../../db/rekey'
import { LATEST_SCHEMA_VERSION } from '../../db/migrate'
import { verifyChain } from '../audit/audit.repository'
import { auditRootOf } from '../../db/key-ring'
import { deriveAuditKeys } from '../audit/audit-keys'
import { BACKUP_FOLDER } from '../backup/backup-service'
import { openBackup, schemaVersionOf } from '../backup/backup-file'
import { databaseSince } from './health-monitor'

/** What `npm run host -- --check` finds in a data folder. */
export interface DataFolderCheck {
  dataDir: string
  database: { bytes: number; walBytes: number }
  schemaVersion: number
  latestSchema: number
  /** `PRAGMA quick_check`: 'ok' or the first problems it names */
  integrity: string
  audit: { ok: boolean; checked: number; firstBrokenId: number | null }
  backup: { lastAt: string | null; lastName: string | null; ageHours: number | null; stale: boolean }
  /**
   * a key change (rekey) found unfinished beside the key file: in progress in a running host, or
   * left by a crash for the next start to settle. Reported, never settled here (see checkDataFolder)
   */
  rekey: 'none' | 'before-switch' | 'after-switch'
  /** the key file, for the report on a pending rekey; null when the key came from KEYUAN_DB_KEY */
  keyFile: string | null
  /** every check passed, no key change is pending and the newest backup is at most two days old */
  ok: boolean
}

/**
 * Checks a branch's data folder without starting a host (and beside a running one: it only
 * reads): the database's size, schema version, `quick_check` (every page decrypted and its
 * structure checked; the full integrity_check takes minutes on a 100,000-client book), the audit
 * chain, and the newest backup and its age. Null when the folder holds no database; throws
 * DbOpenError when the database cannot be opened.
 *
 * A key change left pending (`<key file>.next`) is reported and left as found: the check may run
 * while a host changes its key, and settling it under that host would race its rewrite; the next
 * start settles it (db/rekey.ts settlePendingRekey). The file is checked with whichever of the two
 * keys opens it.
 */
export async function checkDataFolder(opts: { dataDir: string; keyFile?: string; env: NodeJS.ProcessEnv; now: Date }): Promise<DataFolderCheck | null> {
  const file = path.join(opts.dataDir, DB_FILE_NAME)
  if (!fs.existsSync(file) || fs.statSync(file).size === 0) return null
  const resolved = resolveHeadlessKey(opts.dataDir, opts.env, opts.keyFile)
  const keyFile = resolved.source === 'env' ? null : keyFilePath(opts.dataDir, opts.keyFile, opts.env)
  const pending: PendingRekey = keyFile ? inspectPendingRekey(file, keyFile) : { kind: 'none' }
  if (pending.kind === 'unresolved') throw new DbOpenError('DB_LOCKED', `an unfinished key change (rekey) left ${keyFile}.next, and neither it nor ${keyFile} opens the database`)
  const keyHex = pending.kind === 'after-switch' ? pending.keyHex : resolved.keyHex
  let opened: Awaited<ReturnType<typeof openBackup>>
  try {
    opened = await openBackup(file, keyHex)
    await opened.db.executeQuery(CompiledQuery.raw('SELECT count(*) FROM sqlite_master'))
  } catch (err) {
    throw new DbOpenError('DB_LOCKED', (err as Error).message)
  }
  try {
    const quick = await opened.db.executeQuery<{ quick_check: string }>(CompiledQuery.raw('PRAGMA quick_check(5)')).catch((err: Error) => ({ rows: [{ quick_check: err.message }] }))
    const integrity = quick.rows.map((r) => r.quick_check).join('; ')
    const schemaVersion = await schemaVersionOf(opened.db)
    // after a rekey the audit keys still derive from the first key (the key ring); a file not yet migrated to it has none
    const auditRoot = await auditRootOf(opened.db, keyHex).catch(() => keyHex)
    const chain = await verifyChain(opened.db, deriveAuditKeys(auditRoot).chain).catch(() => ({ ok: false, checked: 0, firstBrokenId: null }))
    const since = await databaseSince(opened.db)
    const newest = newestBackup(path.join(opts.dataDir, BACKUP_FOLDER))
    const backup = {
      lastAt: newest?.at ?? null,
      lastName: newest?.name ?? null,
      ageHours: newest ? ageHours(newest.at, opts.now) : null,
      stale: backupIsStale(newest?.at ?? null, since, opts.now),
    }
    const audit = { ok: chain.ok, checked: chain.checked, firstBrokenId: chain.firstBrokenId }
    return {
      dataDir: opts.dataDir,
      database: { bytes: sizeOf(file), walBytes: sizeOf(`${file}-wal`) },
      schemaVersion,
      latestSchema: LATEST_SCHEMA_VERSION,
      integrity,
      audit,
      backup,
      rekey: pending.kind,
      keyFile,
      ok: integrity === 'ok' && audit.ok && schemaVersion <= LATEST_SCHEMA_VERSION && !backup.stale && pending.kind === 'none',
    }
  } finally {
    await opened.close()
  }
}

/** The check as a person reads it in a terminal, English with the screens' Chinese names. */
export function formatDataFolderCheck(c: DataFolderCheck): string {
  const mb = (n: number) => `${(n / 1_048_576).toFixed(1)} MB`
  const backup = c.backup.lastAt
    ? `${c.backup.lastName} at ${c.backup.lastAt}, ${c.backup.ageHours} h ago${c.backup.stale ? ' — OLDER THAN TWO DAYS: take one (设置 › 备份与恢复)' : ''}`
    : `none${c.backup.stale ? ' — take one now (设置 › 备份与恢复)' : ''}`
  const schema = c.schemaVersion > c.latestSchema ? `${c.schemaVersion} — NEWER than this program (${c.latestSchema}): update it` : `${c.schemaVersion} (this program: ${c.latestSchema})`
  return [
    `Keyuan data folder check (系统状态): ${c.dataDir}`,
    `  database size:   ${mb(c.database.bytes)} (+ ${mb(c.database.walBytes)} write-ahead log)`,
    `  schema version:  ${schema}`,
    `  integrity:       ${c.integrity === 'ok' ? 'ok' : `FAILED: ${c.integrity} — restore the newest backup`}`,
    `  audit chain:     ${c.audit.ok ? `ok (${c.audit.checked} rows)` : `BROKEN at row ${c.audit.firstBrokenId ?? '?'} (${c.audit.checked} rows checked)`}`,
    `  last backup:     ${backup}`,
    ...(c.rekey === 'none' ? [] : [`  key change:      ${pendingRekeyText(c.rekey, c.keyFile ?? 'the key file')}`]),
    `  result:          ${c.ok ? 'ok' : 'NEEDS ATTENTION'}`,
  ].join('\n')
}

/** A pending key change (更换密钥) as the check reports it: what the next start will do; the check itself changes nothing. */
function pendingRekeyText(kind: 'before-switch' | 'after-switch', keyFile: string): string {
  const next = `${keyFile}.next`
  if (kind === 'before-switch') {
    return `UNFINISHED (or running now): the database still opens with ${keyFile}; the next start keeps that key and removes ${next}. Nothing was changed.`
  }
  if (kind === 'after-switch') {
    }
  return `UNFINISHED (or running now): the database opens only with ${next}; the next start makes it the key file. Start the host once before copying ${keyFile} anywhere. Nothing was changed.`
}

/** The newest backup whose manifest reads, in a backups folder. */
function newestBackup(folder: string): BackupManifest | null {
  let names: string[]
  try {
    names = fs.readdirSync(folder).filter((n) => n.endsWith('.manifest.json'))
  } catch {
    return null
  }
  const manifests: BackupManifest[] = []
  for (const n of names) {
    try {
      const m = BackupManifest.safeParse(JSON.parse(fs.readFileSync(path.join(folder, n), 'utf8')))
      if (m.success && `${m.data.name}.manifest.json` === n && fs.existsSync(path.join(folder, m.data.name))) manifests.push(m.data)
    } catch {
      // a manifest that does not read is no backup
    }
  }
  return manifests.sort(newestFirst)[0] ?? null
}

function sizeOf(file: string): number {
  try {
    return fs.statSync(file).size
  } catch {
    return 0
  }
}
