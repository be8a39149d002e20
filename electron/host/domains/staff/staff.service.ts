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
import { countOwnedClients } from '../clients/clients.repository'
import { closeRequestsOf } from '../collab/collab.repository'
import { clearDutyFrom } from '../duty/duty.repository'
import { insertJob } from '../../jobs/jobs.repository'
import { runJobInline } from '../../jobs/job-runner'
import { departJob } from './depart-job'
import { mustBeActiveAgent, refuseLastAdmin } from './staff-guards'
import { findStaffById, insertStaff, listStaff, setPasswordHash, setStaffActive, toStaffRow, updateStaff } from './staff.repository'

/** A departure of up to this many clients is done within the call (one short transaction); more, as a job. */
const INLINE_DEPARTURE = 500

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
    // their 申请协作 close, and the collaborations they had end with their access
    await closeRequestsOf(ctx.db, id, ctx.clock.now().toISOString())
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
    // the account closes now; its clients move in slices (a job), at once within this call when few
    await setStaffActive(ctx.db, id, false, leaving.version, at)
    await clearDutyFrom(ctx.db, id, branchDay(ctx.clock.now()))
    const revoked = await endSessions(ctx, id, 'deactivated')
    await closeRequestsOf(ctx.db, id, at)
    const total = await countOwnedClients(ctx.db, id)
    const jobId = await insertJob(ctx.db, departJob, {
      params: { staffId: id, staffName: leaving.name, toStaffIds, reason, at },
      cursor: { moved: 0, pooled: 0 },
      total,
      createdBy: s.staffId,
      at,
    })
    if (total <= INLINE_DEPARTURE) await runJobInline(ctx.db, departJob, jobId, ctx, (fn) => ctx.afterCommit(fn))
    else ctx.afterCommit(() => ctx.events.jobsQueued())
    ctx.auditTarget(`staff:${id}`)
    const pooled = toStaffIds.length ? 0 : total
    return { jobId, moved: total - pooled, pooled, sessionsEnded: revoked.length, finished: total <= INLINE_DEPARTURE }
  },
})
