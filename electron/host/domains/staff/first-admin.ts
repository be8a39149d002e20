import type { Kysely } from 'kysely'
import type { Clock } from '../../clock'
import type { DB } from '../../db/schema'
import type { AuditLog } from '../audit/audit-log'
import { generatePassword, hashPassword } from '../auth/password'
import { countStaff, insertStaff } from './staff.repository'

export interface FirstAdmin {
  username: string
  password: string
}

/**
 * On the very first start there is nobody to sign in: create `admin` with the password from
 * KEYUAN_ADMIN_PASSWORD or a random one, returned once so the host can print it.
 */
export async function ensureFirstAdmin(
  db: Kysely<DB>,
  clock: Clock,
  env: NodeJS.ProcessEnv,
  auditLog: AuditLog,
): Promise<FirstAdmin | null> {
  if ((await countStaff(db)) > 0) return null
  const password = env.KEYUAN_ADMIN_PASSWORD || generatePassword()
  const passwordHash = await hashPassword(password)
  const username = 'admin'
  await db.transaction().execute(async (trx) => {
    const now = clock.now().toISOString()
    const row = await insertStaff(trx, {
      username,
      name: '系统管理员',
      role: 'admin',
      team: null,
      region: null,
      phone: null,
      passwordHash,
      now,
    })
    await auditLog.append(trx, {
      at: now,
      actorId: null,
      actorName: 'system',
      action: 'staff.firstAdmin',
      target: `staff:${row.id}`,
      detail: {},
      address: null,
    })
  })
  await auditLog.afterCommit(db)
  return { username, password }
}
