import type { Kysely } from 'kysely'
import { birthDateProblem } from '@shared/domain/birthdays'
import { clientAccess, mayServeClient } from '@shared/domain/client-access'
import { branchDay } from '@shared/domain/rules'
import { ApiFailure } from '../../api/api-failure'
import type { SessionInfo } from '../../api/handler'
import type { DB } from '../../db/schema'
import { countOwnedClients } from './clients.repository'
import { ownershipOf, viewerOf } from './client-shape'

/** A stored client's owner, as the access rules read it. */
interface Owned {
  owner_id: number | null
  owner_team: string | null
  /** the client's collaborators, when the record was read with them (mustFindClient) */
  collaborator_ids?: string | null
}

/**
 * FORBIDDEN unless the caller has full access to the client: reserving, advancing and scheduling
 * payments for them, or naming them in a change request. The refusal names nobody.
 */
export function mustHaveFullAccess(s: SessionInfo, c: Owned, field: string): void {
  if (clientAccess(viewerOf(s), ownershipOf(c)) !== 'full') {
    throw new ApiFailure('FORBIDDEN', 'you may not act for this client', field, 'no_client_access')
  }
}

/** FORBIDDEN unless the caller serves the client (the front desk, or full access): their points, cards, sign-ups and viewings. */
export function mustServe(s: SessionInfo, c: Owned, field: string): void {
  if (!mayServeClient(viewerOf(s), ownershipOf(c))) {
    throw new ApiFailure('FORBIDDEN', 'you may not see this client’s records', field, 'no_client_access')
  }
}

/** 客源上限: an agent at the cap must hand clients over before taking more. */
export async function refuseOverCap(db: Kysely<DB>, ownerId: number, cap: number, field: string): Promise<void> {
  if ((await countOwnedClients(db, ownerId)) >= cap) {
    throw new ApiFailure('LIMIT_REACHED', `the agent already has ${cap} clients; hand some over first`, field, 'owner_cap', { cap })
  }
}

/** Refuses a birth date that does not exist, is before 1900 or is after today (the branch's day). */
export function refuseBadBirthDate(birthDate: string | null | undefined, now: Date): void {
  if (!birthDate) return
  const problem = birthDateProblem(birthDate, branchDay(now))
  if (problem) throw new ApiFailure('VALIDATION', `birth date: ${problem}`, 'birthDate', problem)
}
