import type { Role } from './roles'

export type ClientAccess = 'full' | 'basic'

export interface Viewer {
  staffId: number
  role: Role
  team: string | null
}

export interface ClientOwnership {
  ownerId: number | null
  ownerTeam: string | null
  /** agents whose 申请协作 the owner accepted: they work the client beside its owner */
  collaboratorIds?: readonly number[]
}

/** Whether the viewer is an agent the owner took on as a collaborator on this client (申请协作 accepted). */
export function isCollaborator(viewer: Viewer, client: ClientOwnership): boolean {
  if (viewer.role !== 'agent' && viewer.role !== 'senior_agent') return false
  return client.collaboratorIds?.includes(viewer.staffId) ?? false
}

/**
 * How much of a client a viewer sees (DESIGN §1, seed 002 权限分级): agents see their own
 * clients in full, seniors their team's, managers and admins all (admin reads are audited),
 * collaborators the clients they were taken on for; the front desk and everyone else see the
 * basics (name, owner, protection, blacklist).
 */
export function clientAccess(viewer: Viewer, client: ClientOwnership): ClientAccess {
  if (isCollaborator(viewer, client)) return 'full'
  switch (viewer.role) {
    case 'manager':
    case 'admin':
      return 'full'
    case 'senior_agent':
      if (client.ownerId === viewer.staffId) return 'full'
      return viewer.team !== null && client.ownerTeam === viewer.team ? 'full' : 'basic'
    case 'agent':
      return client.ownerId === viewer.staffId ? 'full' : 'basic'
    case 'front_desk':
      return 'basic'
  }
}

/**
 * The clients a viewer has full access to, as a query can select them (the same rule as
 * clientAccess): everyone's, nobody's, or those owned by the viewer and, for a senior, their team.
 */
export type FullAccessScope = 'all' | 'none' | { ownerId: number; team: string | null }

/** clientAccess(viewer, c) === 'full' as a scope, so that a query filters instead of its caller. */
export function fullAccessScope(viewer: Viewer): FullAccessScope {
  switch (viewer.role) {
    case 'manager':
    case 'admin':
      return 'all'
    case 'senior_agent':
      return { ownerId: viewer.staffId, team: viewer.team }
    case 'agent':
      return { ownerId: viewer.staffId, team: null }
    case 'front_desk':
      return 'none'
  }
}

/** Only the owner sees phone numbers unmasked; everyone else reveals them (audited). */
export function seesFullPhones(viewer: Viewer, client: ClientOwnership): boolean {
  return client.ownerId !== null && client.ownerId === viewer.staffId && viewer.role !== 'front_desk'
}

/** Who may reveal a client's phones: the owner, seniors for their team, managers and admins. */
export function mayRevealPhones(viewer: Viewer, client: ClientOwnership): boolean {
  if (viewer.role === 'front_desk') return false
  return clientAccess(viewer, client) === 'full'
}

/**
 * Who may log a contact with a client (a follow-up other than a note): whoever may edit it, and
 * its collaborators (申请协作 accepted), who work the client without owning its profile.
 */
export function mayLogContact(viewer: Viewer, client: ClientOwnership): boolean {
  return mayEditClient(viewer, client) || isCollaborator(viewer, client)
}

/** Who may edit a client: whoever has full access, except admins (they keep the system, not the book). */
export function mayEditClient(viewer: Viewer, client: ClientOwnership): boolean {
  if (viewer.role === 'admin' || viewer.role === 'front_desk') return false
  return clientAccess(viewer, { ownerId: client.ownerId, ownerTeam: client.ownerTeam }) === 'full'
}

/**
 * Who may serve a client at the counter and read their service records (club points and ledger,
 * member cards, activity sign-ups, viewings and their sheets): the front desk serves every client
 * who walks in; everyone else needs full access.
 */
export function mayServeClient(viewer: Viewer, client: ClientOwnership): boolean {
  return viewer.role === 'front_desk' || clientAccess(viewer, client) === 'full'
}

/** Who sees a viewing's details (the client's feedback): the agent who shows it, and whoever has full access to its client. */
export function seesViewing(viewer: Viewer, viewing: { agentId: number } & ClientOwnership): boolean {
  return viewing.agentId === viewer.staffId || clientAccess(viewer, viewing) === 'full'
}

/**
 * Who sees the deal on a unit (its buyer, price, payments): the deal's agent, the front desk that
 * takes its payments, managers, and colleagues with full access to the buyer. Admins see the
 * status only: their reads of client data are audited one client at a time, a board is not.
 */
export function seesDeal(viewer: Viewer, deal: { agentId: number | null } & ClientOwnership): boolean {
  if (viewer.role === 'admin') return false
  if (viewer.role === 'front_desk' || viewer.role === 'manager') return true
  if (deal.agentId !== null && deal.agentId === viewer.staffId) return true
  return deal.ownerId !== null && clientAccess(viewer, deal) === 'full'
}
