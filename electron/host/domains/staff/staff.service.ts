import type { Kysely } from 'kysely'
import { ApiFailure } from '../../api/api-failure'
import type { DomainHandlers, HandlerContext } from '../../api/handler'
import type { DB } from '../../db/schema'
import { hashPassword } from '../auth/password'
import { assertStrongPassword } from '../auth/password-policy'
import { revokeStaffSessions } from '../auth/sessions.repository'
import { findStaffById, insertStaff, listStaff, toStaffRow } from './staff.repository'

/**
 * Refuses what would leave the branch without an active admin (nobody could then manage accounts,
 * and nothing could undo it): deactivating, departing or giving another role to the last one.
 * Checked before any other rule, so it holds whoever asks.
 */
export async function refuseLastAdmin(db: Kysely<DB>, target: { id: number; role: string; active: number }, field: string): Promise<void> {
  if (target.role !== 'admin' || target.active !== 1) return
  const others = await db
    .selectFrom('staff')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('role', '=', 'admin')
    .where('active', '=', 1)
    .where('id', '!=', target.id)
    .executeTakeFirstOrThrow()
  if (others.n === 0) throw new ApiFailure('FORBIDDEN', 'the branch keeps at least one active admin', field, 'last_admin')
}

async function mustFind(db: Kysely<DB>, id: number) {
  const s = await findStaffById(db, id)
  if (!s) throw new ApiFailure('NOT_FOUND', `no staff member with id ${id}`, 'id')
  return s
}

/** Ends every session of a staff member now: the database row and any open socket. */
async function endSessions(ctx: HandlerContext, staffId: number, reason: 'deactivated' | 'password_changed') {
  const now = ctx.clock.now().toISOString()
  const revoked = await revokeStaffSessions(ctx.db, staffId, now)
  ctx.afterCommit(() => {
    ctx.events.publish('session.ended', { reason }, { kind: 'staff', staffId })
    ctx.events.sessionsRevoked(revoked)
  })
}

export const staffHandlers: DomainHandlers<
  | 'staff.list'
  | 'staff.get'
  | 'staff.create'
  | 'staff.update'
  | 'staff.deactivate'
  | 'staff.reactivate'
  | 'staff.resetPassword'
> = {
  'staff.list': (input, ctx) => listStaff(ctx.db, input),

  'staff.get': async ({ id }, ctx) => toStaffRow(await mustFind(ctx.db, id)),

  'staff.create': {
    prepare: async (input) => {
      await assertStrongPassword(input.password, 'password', input)
      const passwordHash = await hashPassword(input.password)
      return async (ctx) => {
        const now = ctx.clock.now().toISOString()
        const row = await insertStaff(ctx.db, { ...input, passwordHash, now })
        ctx.auditTarget(`staff:${row.id}`)
        return toStaffRow(row)
      }
    },
  },

  'staff.update': async (input, ctx) => {
    const current = await mustFind(ctx.db, input.id)
    if (current.version !== input.version) {
      throw new ApiFailure('STALE_WRITE', 'someone else changed this account meanwhile; reload and try again', 'version')
    }
    if (input.role !== undefined && input.role !== current.role) await refuseLastAdmin(ctx.db, current, 'role')
    if (current.id === ctx.session?.staffId && input.role !== undefined && input.role !== current.role) {
      throw new ApiFailure('FORBIDDEN', 'you cannot change your own role', 'role')
    }
    const { id, version, ...changes } = input
    const row = await ctx.db
      .updateTable('staff')
      .set({ ...changes, updated_at: ctx.clock.now().toISOString(), version: version + 1 })
      .where('id', '=', id)
      .where('version', '=', version)
      .returningAll()
      .executeTakeFirstOrThrow()
    ctx.auditTarget(`staff:${id}`)
    ctx.afterCommit(() => ctx.events.publish('staff.changed', { id }))
    return toStaffRow(row)
  },

  'staff.deactivate': async ({ id }, ctx) => {
    const current = await mustFind(ctx.db, id)
    await refuseLastAdmin(ctx.db, current, 'id')
    if (current.id === ctx.session?.staffId) throw new ApiFailure('FORBIDDEN', 'you cannot deactivate yourself', 'id')
    if (current.active === 0) throw new ApiFailure('CONFLICT', 'this account is already inactive', 'id')
    const now = ctx.clock.now().toISOString()
    const row = await ctx.db
      .updateTable('staff')
      .set({ active: 0, left_at: now, updated_at: now, version: current.version + 1 })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow()
    await endSessions(ctx, id, 'deactivated')
    ctx.auditTarget(`staff:${id}`)
    return toStaffRow(row)
  },

  'staff.reactivate': async ({ id }, ctx) => {
    const current = await mustFind(ctx.db, id)
    if (current.active === 1) throw new ApiFailure('CONFLICT', 'this account is already active', 'id')
    const row = await ctx.db
      .updateTable('staff')
      .set({ active: 1, left_at: null, updated_at: ctx.clock.now().toISOString(), version: current.version + 1 })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow()
    ctx.auditTarget(`staff:${id}`)
    return toStaffRow(row)
  },

  'staff.resetPassword': {
    prepare: async ({ id, newPassword }, prepareCtx) => {
      await assertStrongPassword(newPassword, 'newPassword', await mustFind(prepareCtx.db, id))
      const passwordHash = await hashPassword(newPassword)
      return async (ctx) => {
        const current = await mustFind(ctx.db, id)
        await ctx.db
          .updateTable('staff')
          .set({ password_hash: passwordHash, updated_at: ctx.clock.now().toISOString(), version: current.version + 1 })
          .where('id', '=', id)
          .execute()
        await endSessions(ctx, id, 'password_changed')
        ctx.auditTarget(`staff:${id}`)
        return { ok: true as const }
      }
    },
  },
}
