import { sql } from 'kysely'
import { branchDay, protectionEnd } from '@shared/domain/rules'
import type { HandlerContext } from '../../api/handler'
import { evaluateClient, pushNotices } from '../../scheduler/evaluate-client'
import { getRules } from '../settings/rules.repository'

/** Gives a client to an agent: owner, protection from now, an assignment record and a notice. */
export async function giveClient(ctx: HandlerContext, clientId: number, staffId: number, reason: string): Promise<void> {
  const now = ctx.clock.now()
  const rules = await getRules(ctx.db)
  const c = await ctx.db.selectFrom('clients').select(['name', 'source_channel']).where('id', '=', clientId).executeTakeFirstOrThrow()
  await ctx.db
    .updateTable('clients')
    .set((eb) => ({
      owner_id: staffId,
      protected_until: protectionEnd(now, c.source_channel, rules).toISOString(),
      last_activity_at: now.toISOString(),
      pooled_at: null,
      updated_at: now.toISOString(),
      version: eb('version', '+', 1),
    }))
    .where('id', '=', clientId)
    .execute()
  await ctx.db.insertInto('assignments').values({ client_id: clientId, staff_id: staffId, reason, assigned_at: now.toISOString() }).execute()
  const notice = { staffId, title: '新客户分配给你', body: `${c.name}（${reason}）`, clientId, taskId: null }
  await ctx.db
    .insertInto('notifications')
    .values({ staff_id: staffId, kind: 'assignment', title: notice.title, body: notice.body, client_id: clientId, task_id: null, created_at: now.toISOString() })
    .execute()
  pushNotices(ctx, [notice])
  await evaluateClient(ctx, clientId)
}

/**
 * Picks the on-duty agent for a new enquiry: round-robin (least recently assigned first) among
 * today's roster entries matching the client's region and type, skipping agents at their cap
 * and those far above the lightest colleague's load. Returns the agent, or null when nobody is on duty.
 */
export async function pickByRota(ctx: HandlerContext, clientId: number): Promise<number | null> {
  const rules = await getRules(ctx.db)
  const c = await ctx.db.selectFrom('clients').select(['region', 'kind']).where('id', '=', clientId).executeTakeFirstOrThrow()
  const day = branchDay(ctx.clock.now())
  const rows = await sql<{ staff_id: number; load: number; last: string | null }>`
    SELECT d.staff_id,
      (SELECT count(*) FROM clients o WHERE o.owner_id = d.staff_id AND o.merged_into IS NULL) AS load,
      (SELECT max(a.assigned_at) FROM assignments a WHERE a.staff_id = d.staff_id) AS last
    FROM duty_roster d JOIN staff s ON s.id = d.staff_id
    WHERE d.day = ${day} AND s.active = 1 AND s.role IN ('agent', 'senior_agent')
      AND (d.region IS NULL OR d.region = ${c.region})
      AND (d.client_kind IS NULL OR d.client_kind = ${c.kind})
    ORDER BY last IS NOT NULL, last, load, d.staff_id`.execute(ctx.db)
  const open = rows.rows.filter((r) => r.load < rules.ownerCap)
  if (open.length === 0) return null
  // load weighting: an agent far above the lightest on-duty colleague waits a turn
  const lightest = Math.min(...open.map((r) => r.load))
  return (open.find((r) => r.load < lightest + LOAD_SLACK) ?? open[0]!).staff_id
}

/** How many more clients than the lightest colleague an agent may hold and still get the next one. */
export const LOAD_SLACK = 10

/** Assigns an unowned client by the rota when someone is on duty; returns the agent or null. */
export async function assignByRota(ctx: HandlerContext, clientId: number, reason: string): Promise<number | null> {
  const staffId = await pickByRota(ctx, clientId)
  if (staffId !== null) await giveClient(ctx, clientId, staffId, reason)
  return staffId
}
