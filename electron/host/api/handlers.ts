import type { Handlers } from './handler'
import { createAuthHandlers, type AuthOptions } from '../domains/auth/auth.service'
import { auditHandlers } from '../domains/audit/audit.service'
import { staffHandlers } from '../domains/staff/staff.service'
import { createSignInUnlockHandlers } from '../domains/staff/sign-in-unlock.service'
import { systemHandlers } from '../domains/system/system.service'
import { createClientsHandlers } from '../domains/clients/clients.service'
import { PhoneLookupLimiter } from '../domains/clients/phone-lookups'
import { needsHandlers } from '../domains/needs/needs.service'
import { prefsHandlers } from '../domains/prefs/prefs.service'
import { followupsHandlers } from '../domains/followups/followups.service'
import { viewingsHandlers } from '../domains/viewings/viewings.service'
import { tasksHandlers } from '../domains/tasks/tasks.service'
import { poolHandlers } from '../domains/pool/pool.service'
import { cardsHandlers } from '../domains/cards/cards.service'
import { clubHandlers } from '../domains/club/club.service'
import { boardHandlers } from '../domains/board/board.service'
import { changesHandlers } from '../domains/board/changes.service'
import { unitImportHandlers } from '../domains/board/unit-import'
import { paletteHandlers } from '../domains/board/palette.service'

/** Every domain's handlers in one table, checked against the contract by type. */
export function createHandlers(auth: AuthOptions): Handlers {
  return {
    ...createAuthHandlers(auth),
    ...staffHandlers,
    ...createSignInUnlockHandlers(auth.guard),
    ...auditHandlers,
    ...systemHandlers,
    ...createClientsHandlers({ phoneLookups: new PhoneLookupLimiter() }),
    ...needsHandlers,
    ...prefsHandlers,
    ...followupsHandlers,
    ...viewingsHandlers,
    ...tasksHandlers,
    ...poolHandlers,
    ...cardsHandlers,
    ...clubHandlers,
    ...boardHandlers,
    ...changesHandlers,
    ...unitImportHandlers,
    ...paletteHandlers,
  }
}
