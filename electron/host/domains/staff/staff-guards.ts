import type { Kysely } from 'kysely'
import { ApiFailure } from '../../api/api-failure'
import type { DB } from '../../db/schema'
import { countOtherActiveAdmins, findStaffById, type StaffRecord } from './staff.repository'

/**
 * Refuses what would leave the branch without an active admin (nobody could then manage accounts,
 * and nothing could undo it): deactivating, departing or giving another role to the last one.
 * Checked before any other rule, so it holds whoever asks.
 */
export async function refuseLastAdmin(db: Kysely<DB>, target: { id: number; role: string; active: number }, field: string): Promise<void> {
  if (target.role !== 'admin' || target.active !== 1) return
  if ((await countOtherActiveAdmins(db, target.id)) === 0) throw new ApiFailure('FORBIDDEN', 'the branch keeps at least one active admin', field, 'last_admin')
}

/** A colleague who can take clients: active, and an agent, senior agent or manager. */
export async function mustBeActiveAgent(db: Kysely<DB>, staffId: number, field: string): Promise<StaffRecord> {
  const s = await findStaffById(db, staffId)
  if (!s) throw new ApiFailure('NOT_FOUND', `no staff member ${staffId}`, field)
  if (s.active !== 1) throw new ApiFailure('VALIDATION', `${s.name} has been deactivated`, field, 'agent_inactive')
  if (!['agent', 'senior_agent', 'manager'].includes(s.role)) throw new ApiFailure('VALIDATION', `${s.name} does not own clients`, field, 'not_agent')
  return s
}
