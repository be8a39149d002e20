import type { Kysely } from 'kysely'
import { BranchRulesSchema, DEFAULT_RULES, type BranchRules } from '@shared/domain/rules'
import type { DB } from '../../db/schema'
import { readSetting, writeSetting } from './settings.repository'

/** The branch's rules: stored overrides on top of the seeds' defaults. */
export async function getRules(db: Kysely<DB>): Promise<BranchRules> {
  const value = await readSetting(db, 'rules')
  if (value === undefined) return DEFAULT_RULES
  const parsed = BranchRulesSchema.partial().safeParse(JSON.parse(value))
  return { ...DEFAULT_RULES, ...(parsed.success ? parsed.data : {}) }
}

export async function saveRules(db: Kysely<DB>, rules: BranchRules, now: string): Promise<void> {
  await writeSetting(db, 'rules', JSON.stringify(rules), now)
}
