import type { Kysely } from 'kysely'
import { BackupSettings } from '@shared/contract/backup'
import type { DB } from '../../db/schema'

/** The settings row that holds the backup settings (JSON). */
export const BACKUP_SETTINGS_KEY = 'backup'

/** The backup settings stored in `settings` (defaults when none are, or what is stored no longer parses). */
export async function readBackupSettings(db: Kysely<DB>): Promise<BackupSettings> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', BACKUP_SETTINGS_KEY).executeTakeFirst()
  const parsed = BackupSettings.safeParse(row ? (JSON.parse(row.value) as unknown) : {})
  return parsed.success ? parsed.data : BackupSettings.parse({})
}

/** Stores the backup settings. */
export async function writeBackupSettings(db: Kysely<DB>, settings: BackupSettings, at: string): Promise<void> {
  const value = JSON.stringify(settings)
  await db
    .insertInto('settings')
    .values({ key: BACKUP_SETTINGS_KEY, value, updated_at: at })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value, updated_at: at }))
    .execute()
}
