import type { Kysely } from 'kysely'
import { DEFAULT_EXPORT_SETTINGS, ExportSettings } from '@shared/contract/export'
import type { DB } from '../../db/schema'
import { readSetting, writeSetting } from '../settings/settings.repository'

const KEY = 'export'

/** The branch's export settings: stored values over the defaults (one unreadable stored value: the defaults). */
export async function getExportSettings(db: Kysely<DB>): Promise<ExportSettings> {
  const value = await readSetting(db, KEY)
  if (value === undefined) return DEFAULT_EXPORT_SETTINGS
  const parsed = ExportSettings.partial().safeParse(JSON.parse(value))
  return { ...DEFAULT_EXPORT_SETTINGS, ...(parsed.success ? parsed.data : {}) }
}

/** Stores the export settings whole. */
export async function saveExportSettings(db: Kysely<DB>, s: ExportSettings, now: string): Promise<void> {
  await writeSetting(db, KEY, JSON.stringify(s), now)
}
