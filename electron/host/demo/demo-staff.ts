import type { Kysely } from 'kysely'
import type { Role } from '@shared/domain/roles'
import type { Clock } from '../clock'
import type { DB } from '../db/schema'
import type { SqliteHandle } from '../db/open'
import { generateClients } from './generate-clients'
import { hashPassword } from '../domains/auth/password'
import { findStaffByUsername, insertStaff } from '../domains/staff/staff.repository'

/** The password of every demo account; printed by `npm run host -- --demo`. */
export const DEMO_PASSWORD = 'keyuan-demo'

export const DEMO_STAFF: ReadonlyArray<{ username: string; name: string; role: Role; team: string | null; region: string | null; phone: string }> = [
  { username: 'manager', name: '王店长', role: 'manager', team: null, region: null, phone: '13800000001' },
  { username: 'desk', name: '李前台', role: 'front_desk', team: null, region: null, phone: '13800000002' },
  { username: 'senior', name: '张资深', role: 'senior_agent', team: '一组', region: '浦东', phone: '13800000003' },
  { username: 'agent1', name: '陈经纪', role: 'agent', team: '一组', region: '浦东', phone: '13800000004' },
  { username: 'agent2', name: '刘经纪', role: 'agent', team: '二组', region: '徐汇', phone: '13800000005' },
  { username: 'agent3', name: '赵经纪', role: 'agent', team: '二组', region: '徐汇', phone: '13800000006' },
]

/** Adds the demo staff once (idempotent across restarts). */
export async function seedDemoStaff(db: Kysely<DB>, clock: Clock): Promise<number> {
  const passwordHash = await hashPassword(DEMO_PASSWORD)
  let added = 0
  await db.transaction().execute(async (trx) => {
    for (const s of DEMO_STAFF) {
      if (await findStaffByUsername(trx, s.username)) continue
      await insertStaff(trx, { ...s, passwordHash, now: clock.now().toISOString() })
      added++
    }
  })
  return added
}

/** Fills an empty client book with a few hundred realistic clients owned by the demo agents. */
export function seedDemoClients(sqlite: SqliteHandle, clock: Clock, count = 300): number {
  if ((sqlite.prepare('SELECT count(*) FROM clients').pluck().get() as number) > 0) return 0
  const ownerIds = sqlite
    .prepare(`SELECT id FROM staff WHERE role IN ('agent', 'senior_agent') AND active = 1 ORDER BY id`)
    .pluck()
    .all() as number[]
  return generateClients(sqlite, { clients: count, ownerIds, now: clock.now() })
}
