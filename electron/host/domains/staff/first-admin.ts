import type { Kysely } from 'kysely'
import type { Clock } from '../../clock'
import type { DB } from '../../db/schema'
import type { AuditLog } from '../audit/audit-log'
import { PASSWORD_MIN_LENGTH, passwordProblem, type PasswordProblem } from '@shared/domain/password-rules'
import { generatePassword, hashPassword } from '../auth/password'
import { personalWords, PROBLEM_TEXT } from '../auth/password-policy'
import { countStaff, insertStaff } from './staff.repository'

export interface FirstAdmin {
  username: string
  password: string
}

const FIRST_ADMIN = { username: 'admin', name: '系统管理员' }

/** KEYUAN_ADMIN_PASSWORD is too weak to protect the first admin: the host refuses to start. */
export class FirstAdminPasswordError extends Error {
  constructor(readonly reason: PasswordProblem['reason']) {
    super(
      `KEYUAN_ADMIN_PASSWORD is too weak: ${PROBLEM_TEXT[reason]}. Choose at least ${PASSWORD_MIN_LENGTH} characters ` +
        'that are not a common password, the account name, one repeated character or a keyboard run; or leave it unset for a random one.',
    )
    this.name = 'FirstAdminPasswordError'
  }
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
  const password = env.KEYUAN_ADMIN_PASSWORD || (await strongRandomPassword())
  const problem = await passwordProblem(password, personalWords(FIRST_ADMIN))
  if (problem) throw new FirstAdminPasswordError(problem.reason)
  const passwordHash = await hashPassword(password)
  const { username, name } = FIRST_ADMIN
  await db.transaction().execute(async (trx) => {
    const now = clock.now().toISOString()
    const row = await insertStaff(trx, {
      username,
      name,
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

/** A random password the rule accepts (a random one fails it about never; the loop makes it never). */
async function strongRandomPassword(): Promise<string> {
  for (;;) {
    const p = generatePassword()
    if (!(await passwordProblem(p, personalWords(FIRST_ADMIN)))) return p
  }
}
