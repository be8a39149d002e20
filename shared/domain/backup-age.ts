/** A branch is warned when its newest good backup is older than this (issue #18: two days). */
export const BACKUP_STALE_HOURS = 48

/**
 * Whether the admin should be warned about backups: the newest good backup is older than two
 * days, or there is none while the database itself is older than that (a new branch is not
 * warned before its first scheduled backup had a chance to run).
 */
export function backupIsStale(lastBackupAt: string | null, databaseSince: string | null, now: Date): boolean {
  const limit = BACKUP_STALE_HOURS * 3_600_000
  const since = lastBackupAt ?? databaseSince
  if (since === null) return false
  return now.getTime() - Date.parse(since) > limit
}

/** Whole hours from `at` to `now` (never below 0), as the health page shows a backup's age. */
export function ageHours(at: string, now: Date): number {
  return Math.max(0, Math.floor((now.getTime() - Date.parse(at)) / 3_600_000))
}
