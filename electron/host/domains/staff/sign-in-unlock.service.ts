import { ApiFailure } from '../../api/api-failure'
import type { DomainHandlers } from '../../api/handler'
import type { SignInGuard } from '../auth/sign-in-guard'
import { findStaffById } from './staff.repository'

/** staff.unlockSignIn: an admin lifts the locks failed sign-ins put on a staff member (audited as a write). */
export function createSignInUnlockHandlers(guard: SignInGuard): DomainHandlers<'staff.unlockSignIn'> {
  return {
    'staff.unlockSignIn': async ({ id }, ctx) => {
      const staff = await findStaffById(ctx.db, id)
      if (!staff) throw new ApiFailure('NOT_FOUND', `no staff member with id ${id}`, 'id')
      const wasLocked = guard.unlock(staff.username, staff.id)
      // in this transaction, so the unlock and its audit row land together
      await guard.flushWithin(ctx.db)
      ctx.auditTarget(`staff:${id}`)
      return { wasLocked }
    },
  }
}
