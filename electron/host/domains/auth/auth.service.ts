import { ApiFailure } from '../../api/api-failure'
import type { DomainHandlers } from '../../api/handler'
import { requireSession } from '../../api/require-session'
import { findStaffById, findStaffByUsername, toStaffSelf } from '../staff/staff.repository'
import type { LoginLimiter } from './login-limiter'
import { hashPassword, verifyPassword } from './password'
import { hashToken, insertSession, newToken, revokeSession, revokeStaffSessions } from './sessions.repository'

export interface AuthOptions {
  limiter: LoginLimiter
  /** how long a session lives from sign-in; a working day by default. */
  sessionTtlMs?: number
}

// Verified when the username is unknown, so a wrong name costs the same time as a wrong password.
const DUMMY_HASH = 'scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA='

export function createAuthHandlers(
  opts: AuthOptions,
): DomainHandlers<'auth.login' | 'auth.logout' | 'auth.whoami' | 'auth.changePassword'> {
  const ttl = opts.sessionTtlMs ?? 12 * 3600_000
  const { limiter } = opts
  return {
    'auth.login': {
      prepare: async ({ username, password }, ctx) => {
        const keys = [`user:${username.toLowerCase()}`, `addr:${ctx.address ?? 'local'}`]
        const wait = limiter.lockedFor(keys)
        if (wait > 0) {
          throw new ApiFailure('RATE_LIMITED', `too many failed sign-ins; try again in ${Math.ceil(wait / 1000)} s`, undefined, 'locked', {
            seconds: Math.ceil(wait / 1000),
          })
        }
        const staff = await findStaffByUsername(ctx.db, username)
        const good = await verifyPassword(password, staff?.password_hash ?? DUMMY_HASH)
        if (!staff || !good) {
          limiter.fail(keys)
          throw new ApiFailure('BAD_CREDENTIALS', 'wrong username or password', 'password')
        }
        if (staff.active !== 1) throw new ApiFailure('ACCOUNT_DISABLED', 'this account has been deactivated', 'username')
        limiter.succeed(keys[0]!)
        return async (tx) => {
          const now = tx.clock.now()
          const token = newToken()
          const expiresAt = new Date(now.getTime() + ttl).toISOString()
          await insertSession(tx.db, {
            tokenHash: hashToken(token),
            staffId: staff.id,
            now: now.toISOString(),
            expiresAt,
            address: tx.address,
          })
          await tx.audit('auth.login', `staff:${staff.id}`, { username: staff.username })
          return {
            token,
            expiresAt,
            staff: toStaffSelf(staff),
          }
        }
      },
    },

    'auth.logout': async (_input, ctx) => {
      const s = requireSession(ctx)
      await revokeSession(ctx.db, s.tokenHash, ctx.clock.now().toISOString())
      await ctx.audit('auth.logout', `staff:${s.staffId}`, {})
      ctx.afterCommit(() => ctx.events.sessionsRevoked([s.tokenHash]))
      return { ok: true as const }
    },

    'auth.whoami': async (_input, ctx) => {
      const s = requireSession(ctx)
      const staff = await findStaffById(ctx.db, s.staffId)
      if (!staff) throw new ApiFailure('UNAUTHENTICATED', 'sign in first')
      return toStaffSelf(staff)
    },

    'auth.changePassword': {
      prepare: async ({ oldPassword, newPassword }, ctx) => {
        const s = requireSession(ctx)
        const staff = await findStaffById(ctx.db, s.staffId)
        if (!staff || !(await verifyPassword(oldPassword, staff.password_hash))) {
          throw new ApiFailure('BAD_CREDENTIALS', 'the current password is wrong', 'oldPassword')
        }
        const passwordHash = await hashPassword(newPassword)
        return async (tx) => {
          const now = tx.clock.now().toISOString()
          await tx.db
            .updateTable('staff')
            .set({ password_hash: passwordHash, updated_at: now, version: staff.version + 1 })
            .where('id', '=', s.staffId)
            .execute()
          const revoked = await revokeStaffSessions(tx.db, s.staffId, now, s.tokenHash)
          tx.auditTarget(`staff:${s.staffId}`)
          tx.afterCommit(() => tx.events.sessionsRevoked(revoked))
          return { ok: true as const }
        }
      },
    },
  }
}
