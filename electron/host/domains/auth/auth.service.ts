import { ApiFailure } from '../../api/api-failure'
import type { HandlersFactory } from '../../api/handler'
import { requireSession } from '../../api/require-session'
import { findStaffById, findStaffByUsername, setPasswordHash, toStaffSelf } from '../staff/staff.repository'
import { DUMMY_HASH, hashPassword, verifyPassword } from './password'
import { assertStrongPassword } from './password-policy'
import { hashToken, insertSession, newToken, revokeSession, revokeStaffSessions } from './sessions.repository'
import type { SignInAudit } from './sign-in-audit'
import type { Attempt, SignInGuard } from './sign-in-guard'

export interface AuthOptions {
  /** counts failed password checks and locks (sign-in, change of password). */
  guard: SignInGuard
  /** collapses failed sign-ins per address in the audit log; a success ends the address's burst. */
  signInAudit?: SignInAudit
  /** how long a session lives from sign-in; a working day by default. */
  sessionTtlMs?: number
}

/** Signing in and out, who am I, changing one's own password (under the sign-in guard). */
export const authHandlers: HandlersFactory<'auth'> = ({ auth: opts }) => {
  const ttl = opts.sessionTtlMs ?? 12 * 3600_000
  const { guard } = opts

  /**
   * Finds the staff member and checks the password inside an attempt the guard has reserved:
   * a throw abandons the attempt; a wrong password (or nobody, checked against a dummy hash so it
   * costs the same) fails it, on disk before the caller hears the answer. Null when it failed.
   */
  async function checkedPassword<S extends { password_hash: string }>(attempt: Attempt, find: () => Promise<S | undefined>, password: string): Promise<S | null> {
    let staff: S | undefined
    let good: boolean
    try {
      staff = await find()
      good = await verifyPassword(password, staff?.password_hash ?? DUMMY_HASH)
    } catch (err) {
      attempt.abandon()
      throw err
    }
    if (staff && good) return staff
    attempt.failed()
    // a crash after this forgives nothing
    await guard.flush()
    return null
  }

  return {
    'auth.login': {
      prepare: async ({ username, password }, ctx) => {
        // reserved before the first await: parallel guesses count before any of them is checked
        const attempt = guard.beginSignIn(username, ctx.address)
        const staff = await checkedPassword(attempt, () => findStaffByUsername(ctx.db, username), password)
        if (!staff) throw new ApiFailure('BAD_CREDENTIALS', 'wrong username or password', 'password')
        if (staff.active !== 1) {
          attempt.abandon()
          throw new ApiFailure('ACCOUNT_DISABLED', 'this account has been deactivated', 'username')
        }
        attempt.succeeded()
        await guard.flush()
        await opts.signInAudit?.endBursts(ctx.address)
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
        const attempt = guard.beginPasswordChange(s.staffId)
        const staff = await checkedPassword(attempt, () => findStaffById(ctx.db, s.staffId), oldPassword)
        if (!staff) throw new ApiFailure('BAD_CREDENTIALS', 'the current password is wrong', 'oldPassword')
        attempt.succeeded()
        await guard.flush()
        await assertStrongPassword(newPassword, 'newPassword', staff)
        const passwordHash = await hashPassword(newPassword)
        const version = staff.version
        return async (tx) => {
          const now = tx.clock.now().toISOString()
          await setPasswordHash(tx.db, s.staffId, passwordHash, version, now)
          const revoked = await revokeStaffSessions(tx.db, s.staffId, now, s.tokenHash)
          tx.auditTarget(`staff:${s.staffId}`)
          tx.afterCommit(() => tx.events.sessionsRevoked(revoked))
          return { ok: true as const }
        }
      },
    },
  }
}
