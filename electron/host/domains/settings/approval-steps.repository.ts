import type { Kysely } from 'kysely'
import { ApprovalStepsSchema, DEFAULT_APPROVAL_STEPS, type ApprovalStepsConfig } from '@shared/domain/approval-steps'
import type { DB } from '../../db/schema'

const KEY = 'approvalSteps'

/** The branch's approval steps per kind of change: stored ones on top of one manager step for each. */
export async function getApprovalSteps(db: Kysely<DB>): Promise<ApprovalStepsConfig> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', KEY).executeTakeFirst()
  if (!row) return DEFAULT_APPROVAL_STEPS
  const parsed = ApprovalStepsSchema.partial().safeParse(JSON.parse(row.value))
  return { ...DEFAULT_APPROVAL_STEPS, ...(parsed.success ? parsed.data : {}) }
}

export async function saveApprovalSteps(db: Kysely<DB>, steps: ApprovalStepsConfig, now: string): Promise<void> {
  const value = JSON.stringify(steps)
  await db
    .insertInto('settings')
    .values({ key: KEY, value, updated_at: now })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value, updated_at: now }))
    .execute()
}
