import type { Kysely } from 'kysely'
import { ApprovalStepsSchema, DEFAULT_APPROVAL_STEPS, type ApprovalStepsConfig } from '@shared/domain/approval-steps'
import type { DB } from '../../db/schema'
import { readSetting, writeSetting } from './settings.repository'

const KEY = 'approvalSteps'

/** The branch's approval steps per kind of change: stored ones on top of one manager step for each. */
export async function getApprovalSteps(db: Kysely<DB>): Promise<ApprovalStepsConfig> {
  const value = await readSetting(db, KEY)
  if (value === undefined) return DEFAULT_APPROVAL_STEPS
  const parsed = ApprovalStepsSchema.partial().safeParse(JSON.parse(value))
  return { ...DEFAULT_APPROVAL_STEPS, ...(parsed.success ? parsed.data : {}) }
}

export async function saveApprovalSteps(db: Kysely<DB>, steps: ApprovalStepsConfig, now: string): Promise<void> {
  await writeSetting(db, KEY, JSON.stringify(steps), now)
}
