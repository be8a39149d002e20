import { z } from 'zod'
import { DEFAULT_GREETINGS, OCCASIONS, fillGreeting, type GreetingPlaceholder, type OccasionKey } from '@shared/domain/greeting-templates'
import type { Kysely } from 'kysely'
import type { DB } from '../../db/schema'
import { readSetting, writeSetting } from '../settings/settings.repository'

const KEY = 'care.greetings'
const Stored = z.record(z.string(), z.string())

/** The manager's edited templates, by occasion (an unreadable stored value: none edited). */
async function editedTemplates(db: Kysely<DB>): Promise<Partial<Record<OccasionKey, string>>> {
  const v = await readSetting(db, KEY)
  if (v === undefined) return {}
  const parsed = Stored.safeParse(JSON.parse(v))
  return parsed.success ? parsed.data : {}
}

/** Every occasion's greeting template: the manager's words, or the default. */
export async function greetingTemplates(db: Kysely<DB>): Promise<Array<{ occasion: OccasionKey; text: string; edited: boolean }>> {
  const edited = await editedTemplates(db)
  return OCCASIONS.map((occasion) => ({ occasion, text: edited[occasion] ?? DEFAULT_GREETINGS[occasion], edited: edited[occasion] !== undefined }))
}

/** Stores one occasion's template; null restores the default. */
export async function saveTemplate(db: Kysely<DB>, occasion: OccasionKey, text: string | null, now: string): Promise<void> {
  const edited = await editedTemplates(db)
  if (text === null) delete edited[occasion]
  else edited[occasion] = text
  await writeSetting(db, KEY, JSON.stringify(edited), now)
}

/** The branch's name as printed sheets show it ({门店}). */
export async function branchName(db: Kysely<DB>): Promise<string> {
  const v = await readSetting(db, 'branchName')
  return v !== undefined ? (JSON.parse(v) as string) : '客源房产'
}

/** Fills greetings for one list: the templates and branch name read once. */
export async function greetingFiller(db: Kysely<DB>): Promise<(occasion: OccasionKey, values: Partial<Record<GreetingPlaceholder, string>>) => string> {
  const [templates, branch] = await Promise.all([greetingTemplates(db), branchName(db)])
  const byOccasion = new Map(templates.map((t) => [t.occasion, t.text]))
  return (occasion, values) => fillGreeting(byOccasion.get(occasion) ?? DEFAULT_GREETINGS[occasion], { 门店: branch, ...values })
}
