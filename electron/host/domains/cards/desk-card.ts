import { mayServeClient } from '@shared/domain/client-access'
import type { HandlerContext } from '../../api/handler'
import { requireSession } from '../../api/require-session'
import { mustFindClient } from '../clients/client-lookup'
import { toClientRow, viewerOf } from '../clients/client-shape'
import { standingOf } from '../club/club.repository'
import { lastVisitAt } from '../frontdesk/frontdesk.repository'
import { toTask } from '../tasks/task-shape'
import { openTasksOfClient } from '../tasks/tasks.repository'
import { toViewing } from '../viewings/viewing-shape'
import { viewingsOfClient } from '../viewings/viewings.repository'
import type { CardRecord } from './cards.repository'

/**
 * The front-desk client card: everything the desk needs about who is standing there. The club
 * standing, last viewings and open tasks are service records: the desk and viewers with full
 * access see them, a colleague swiping someone else's client sees the basics only.
 */
export async function deskCard(ctx: HandlerContext, clientId: number, card: CardRecord | null) {
  const c = await mustFindClient(ctx.db, clientId)
  const viewer = viewerOf(requireSession(ctx))
  const row = toClientRow(c, viewer)
  const serves = mayServeClient(viewer, { ownerId: c.owner_id, ownerTeam: c.owner_team })
  const nowIso = ctx.clock.now().toISOString()
  const [club, viewings, tasks, lastVisit] = await Promise.all([
    serves ? standingOf(ctx.db, clientId) : null,
    serves ? viewingsOfClient(ctx.db, clientId, 3, true) : [],
    serves ? openTasksOfClient(ctx.db, clientId, 5) : [],
    lastVisitAt(ctx.db, clientId),
  ])
  return {
    clientId: c.id,
    code: c.code,
    name: c.name,
    kind: row.kind,
    tier: row.tier,
    stage: row.stage,
    phone: row.phone,
    owner: row.owner,
    protectedUntil: c.protected_until,
    blacklisted: row.blacklisted,
    blacklistReason: row.blacklistReason,
    entrustedOther: c.entrusted_other === 1,
    entrustedAgencies: c.entrusted_agencies,
    club,
    lastViewings: viewings.map((v) => toViewing(v, viewer)),
    openTasks: tasks.map((t) => toTask(t, nowIso)),
    card: card ? { id: card.id, uid: card.uid, status: card.status as 'active' } : null,
    lastVisitAt: lastVisit,
  }
}
