import { hostTextOf } from '@shared/domain/host-text-keys'
import { outranks, type Role } from '@shared/domain/roles'
import { branchDay } from '@shared/domain/rules'
import { ApiFailure } from '../../api/api-failure'
import type { HandlersFactory, HandlerContext } from '../../api/handler'
import { requireSession } from '../../api/require-session'
import type { Kysely } from 'kysely'
import type { DB } from '../../db/schema'
import { hashPassword } from '../auth/password'
import { assertStrongPassword } from '../auth/password-policy'
import { revokeStaffSessions } from '../auth/sessions.repository'
import { handOver, insertAssignments, moveToPool, ownedClientIds } from '../clients/clients.repository'
import { clearDutyFrom } from '../duty/duty.repository'
import { cancelOpenTasksOfClients, cancelOpenTasksOfStaff, moveOpenTasks } from '../tasks/tasks.repository'
import { mustBeActiveAgent, refuseLastAdmin } from './staff-guards'
import { findStaffById, insertStaff, listStaff, setPasswordHash, setStaffActive, toStaffRow, updateStaff } from './staff.repository'

async function mustFind(db: Kysely<DB>, id: number) {
  const s = await findStaffById(db, id)
  if (!s) throw new ApiFailure('NOT_FOUND', `no staff member with id ${id}`, 'id')
  return s
}

/** Ends every session of a staff member now: the database row and any open socket. */
async function endSessions(ctx: HandlerContext, staffId: number, reason: 'deactivated' | 'password_changed') {
  const revoked = await revokeStaffSessions(ctx.db, staffId, ctx.clock.now().toISOString())
  ctx.afterCommit(() => {
    ctx.events.publish('session.ended', { reason }, { kind: 'staff', staffId })
    ctx.events.sessionsRevoked(revoked)
  })
  return revoked
}

/** Staff accounts (admins), an agent's departure (managers and admins), and lifting sign-in locks. */
export const staffHandlers: HandlersFactory<'staff'> = ({ auth: { guard } }) => ({
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
    const row = await updateStaff(ctx.db, id, version, changes, ctx.clock.now().toISOString())
    ctx.auditTarget(`staff:${id}`)
    ctx.afterCommit(() => ctx.events.publish('staff.changed', { id }))
    return toStaffRow(row)
  },

  'staff.deactivate': async ({ id }, ctx) => {
    const current = await mustFind(ctx.db, id)
    await refuseLastAdmin(ctx.db, current, 'id')
    if (current.id === ctx.session?.staffId) throw new ApiFailure('FORBIDDEN', 'you cannot deactivate yourself', 'id')
    if (current.active === 0) throw new ApiFailure('CONFLICT', 'this account is already inactive', 'id')
    const row = await setStaffActive(ctx.db, id, false, current.version, ctx.clock.now().toISOString())
    await endSessions(ctx, id, 'deactivated')
    ctx.auditTarget(`staff:${id}`)
    return toStaffRow(row)
  },

  'staff.reactivate': async ({ id }, ctx) => {
    const current = await mustFind(ctx.db, id)
    if (current.active === 1) throw new ApiFailure('CONFLICT', 'this account is already active', 'id')
    const row = await setStaffActive(ctx.db, id, true, current.version, ctx.clock.now().toISOString())
    ctx.auditTarget(`staff:${id}`)
    return toStaffRow(row)
  },

  'staff.resetPassword': {
    prepare: async ({ id, newPassword }, prepareCtx) => {
      await assertStrongPassword(newPassword, 'newPassword', await mustFind(prepareCtx.db, id))
      const passwordHash = await hashPassword(newPassword)
      return async (ctx) => {
        const current = await mustFind(ctx.db, id)
        await setPasswordHash(ctx.db, id, passwordHash, current.version, ctx.clock.now().toISOString())
        await endSessions(ctx, id, 'password_changed')
        ctx.auditTarget(`staff:${id}`)
        return { ok: true as const }
      }
    },
  },

  /** an admin lifts the locks failed sign-ins put on a staff member (audited as a write). */
  'staff.unlockSignIn': async ({ id }, ctx) => {
    const staff = await findStaffById(ctx.db, id)
    if (!staff) throw new ApiFailure('NOT_FOUND', `no staff member with id ${id}`, 'id')
    const wasLocked = guard.unlock(staff.username, staff.id)
    // in this transaction, so the unlock and its audit row land together
    await guard.flushWithin(ctx.db)
    ctx.auditTarget(`staff:${id}`)
    return { wasLocked }
  },

  'staff.depart': async ({ id, toStaffIds, reason }, ctx) => {
    const s = requireSession(ctx)
    const leaving = await findStaffById(ctx.db, id)
    if (!leaving) throw new ApiFailure('NOT_FOUND', `no staff member ${id}`, 'id')
    await refuseLastAdmin(ctx.db, leaving, 'id')
    if (id === s.staffId) throw new ApiFailure('FORBIDDEN', 'you cannot depart yourself', 'id')
    // a manager hands over the desk and the agents; a manager or an admin leaves through an admin
    if (s.role !== 'admin' && !outranks(s.role, leaving.role as Role)) {
      throw new ApiFailure('FORBIDDEN', 'only an admin departs a manager or an admin', 'id', 'outranks')
    }
    if (leaving.active !== 1) throw new ApiFailure('CONFLICT', 'this account is already inactive', 'id')
    for (const [i, t] of toStaffIds.entries()) {
      if (t === id) throw new ApiFailure('VALIDATION', 'the departing agent cannot take their own clients', `toStaffIds.${i}`, 'same_staff')
      await mustBeActiveAgent(ctx.db, t, `toStaffIds.${i}`)
    }
    const at = ctx.clock.now().toISOString()
    const clients = await ownedClientIds(ctx.db, id)
    // shared evenly, in order; with nobody named, everything goes to the public pool
    const buckets = new Map<number | null, number[]>()
    clients.forEach((c, i) => {
      const to = toStaffIds.length ? toStaffIds[i % toStaffIds.length]! : null
      const ids = buckets.get(to)
      if (ids) ids.push(c)
      else buckets.set(to, [c])
    })
    for (const [to, ids] of buckets) {
      for (let i = 0; i < ids.length; i += 5000) {
        const chunk = ids.slice(i, i + 5000)
        if (to === null) {
          await moveToPool(ctx.db, chunk, at, true)
          await cancelOpenTasksOfClients(ctx.db, chunk, at)
        } else {
          await handOver(ctx.db, chunk, to, at)
          await moveOpenTasks(ctx.db, chunk, to, id)
          await insertAssignments(ctx.db, chunk.map((c) => ({ clientId: c, staffId: to, reason: hostTextOf('assign.handover', { staff: leaving.name, reason }), at })))
        }
      }
    }
    await cancelOpenTasksOfStaff(ctx.db, id, at)
    await setStaffActive(ctx.db, id, false, leaving.version, at)
    await clearDutyFrom(ctx.db, id, branchDay(ctx.clock.now()))
    const revoked = await endSessions(ctx, id, 'deactivated')
    ctx.auditTarget(`staff:${id}`)
    const pooled = buckets.get(null)?.length ?? 0
    return { moved: clients.length - pooled, pooled, sessionsEnded: revoked.length }
  },
})
