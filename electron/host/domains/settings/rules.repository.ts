import type { Kysely } from 'kysely'
import { BranchRulesSchema, DEFAULT_RULES, type BranchRules } from '@shared/domain/rules'
import type { DB } from '../../db/schema'

/** The branch's rules: stored overrides on top of the seeds' defaults. */
export async function getRules(db: Kysely<DB>): Promise<BranchRules> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', 'rules').executeTakeFirst()
  if (!row) return DEFAULT_RULES
  const parsed = BranchRulesSchema.partial().safeParse(JSON.parse(row.value))
  return { ...DEFAULT_RULES, ...(parsed.success ? parsed.data : {}) }
}

export async function saveRules(db: Kysely<DB>, rules: BranchRules, now: string): Promise<void> {
  const value = JSON.stringify(rules)
  await db
    .insertInto('settings')
    .values({ key: 'rules', value, updated_at: now })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value, updated_at: now }))
    .execute()
}
