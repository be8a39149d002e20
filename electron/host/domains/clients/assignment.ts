import type { HostText } from '@shared/contract/host-text'
import { hostTextAbout, hostTextOf } from '@shared/domain/host-text-keys'
import { branchDay, protectionEnd } from '@shared/domain/rules'
import type { HandlerContext } from '../../api/handler'
import { evaluateClient } from '../followups/rules/evaluate'
import { rotaCandidates } from '../duty/duty.repository'
import { notify } from '../notifications/notice'
import { getRules } from '../settings/rules.repository'
import { clientBasics, insertAssignments, updateClient } from './clients.repository'

/** Gives a client to an agent: owner, protection from now, an assignment record and a notice saying why (an assign.* text). */
export async function giveClient(ctx: HandlerContext, clientId: number, staffId: number, reason: HostText): Promise<void> {
  const now = ctx.clock.now()
  const at = now.toISOString()
  const rules = await getRules(ctx.db)
  const c = await clientBasics(ctx.db, clientId)
  await updateClient(ctx.db, clientId, {
    owner_id: staffId,
    protected_until: protectionEnd(now, c.source_channel, rules).toISOString(),
    last_activity_at: at,
    pooled_at: null,
    updated_at: at,
  })
  await insertAssignments(ctx.db, [{ clientId, staffId, reason, at }])
  await notify(ctx, [{ staffId, kind: 'assignment', title: hostTextOf('notice.assigned'), body: hostTextAbout('notice.assignedClient', { client: c.name }, reason), clientId, taskId: null }])
  await evaluateClient(ctx, clientId)
}

/** How many more clients than the lightest colleague an agent may hold and still get the next one. */
const LOAD_SLACK = 10

/**
 * Picks the on-duty agent for a new enquiry: round-robin (least recently assigned first) among
 * today's roster entries matching the client's region and type, skipping agents at their cap
 * and those far above the lightest colleague's load. Returns the agent, or null when nobody is on duty.
 */
async function pickByRota(ctx: HandlerContext, clientId: number): Promise<number | null> {
  const rules = await getRules(ctx.db)
  const c = await clientBasics(ctx.db, clientId)
  const open = (await rotaCandidates(ctx.db, branchDay(ctx.clock.now()), c.region, c.kind)).filter((r) => r.load < rules.ownerCap)
  if (open.length === 0) return null
  // load weighting: an agent far above the lightest on-duty colleague waits a turn
  const lightest = Math.min(...open.map((r) => r.load))
  return (open.find((r) => r.load < lightest + LOAD_SLACK) ?? open[0]!).staff_id
}

/** Assigns an unowned client by the rota when someone is on duty; returns the agent or null. */
export async function assignByRota(ctx: HandlerContext, clientId: number, reason: HostText): Promise<number | null> {
  const staffId = await pickByRota(ctx, clientId)
  if (staffId !== null) await giveClient(ctx, clientId, staffId, reason)
  return staffId
}
