import { clientAccess, type ClientOwnership, type Viewer } from './client-access'

/** A ticket as the access rules read it: its client's owner, who took it in and who handles it. */
export interface TicketParties extends ClientOwnership {
  intakeBy: number
  assigneeId: number | null
}

/**
 * Who may open a ticket for a client: the front desk for whoever walks in or calls, managers for
 * anyone, agents for the clients they see in full. Admins keep the system, not the book.
 */
export function mayOpenTicket(viewer: Viewer, client: ClientOwnership): boolean {
  if (viewer.role === 'admin') return false
  return viewer.role === 'front_desk' || clientAccess(viewer, client) === 'full'
}

/**
 * Who sees a ticket: managers all; whoever took it in or handles it; an agent the tickets of the
 * clients they see in full (a senior their team's). The front desk sees the tickets it took in.
 */
export function seesTicket(viewer: Viewer, t: TicketParties): boolean {
  if (viewer.role === 'admin') return false
  if (viewer.role === 'manager') return true
  if (t.intakeBy === viewer.staffId || t.assigneeId === viewer.staffId) return true
  return viewer.role !== 'front_desk' && clientAccess(viewer, t) === 'full'
}

/** Who dispatches a ticket to a person: a manager, or the desk clerk who took it in. */
export function mayDispatchTicket(viewer: Viewer, t: TicketParties): boolean {
  return viewer.role === 'manager' || (viewer.role === 'front_desk' && t.intakeBy === viewer.staffId)
}

/** Who handles a ticket and feeds back to the client: the person it went to, or a manager. */
export function mayHandleTicket(viewer: Viewer, t: TicketParties): boolean {
  return viewer.role === 'manager' || (viewer.role !== 'admin' && t.assigneeId === viewer.staffId)
}

/** Who closes a ticket after the return visit: a manager, or whoever took it in (not its handler alone: the visit checks their work). */
export function mayCloseTicket(viewer: Viewer, t: TicketParties): boolean {
  return viewer.role === 'manager' || (viewer.role !== 'admin' && t.intakeBy === viewer.staffId)
}
