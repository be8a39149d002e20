import { sql, type Kysely } from 'kysely'
import type { DB } from '../../db/schema'
import { mayEditClient, seesViewing, type Viewer } from '@shared/domain/client-access'
import { maskPhone } from '@shared/domain/client-phone'
import { ApiFailure } from '../../api/api-failure'
import type { DomainHandlers, HandlerContext } from '../../api/handler'
import { requireSession } from '../../api/require-session'
import { evaluateClient } from '../../scheduler/evaluate-client'
import { mustServe } from '../clients/client-guards'
import { viewerOf } from '../clients/client-shape'
import { mustFindClient } from '../clients/clients.service'
import { getRules } from '../settings/rules.repository'
import { findStaffById } from '../staff/staff.repository'
import { award } from '../club/club.repository'
import { CLUB_POINTS } from '@shared/domain/club'

const HOUR = 3_600_000

/** Viewings with their client's name, code and owner (for who sees the feedback) and the agent's name. */
export function selectViewings(db: Kysely<DB>) {
  return db
    .selectFrom('viewings as v')
    .innerJoin('clients as c', 'c.id', 'v.client_id')
    .innerJoin('staff as a', 'a.id', 'v.agent_id')
    .leftJoin('staff as o', 'o.id', 'c.owner_id')
    .selectAll('v')
    .select(['c.name as client_name', 'c.code as client_code', 'a.name as agent_name', 'c.owner_id as client_owner_id', 'o.team as client_owner_team'])
}

export type ViewingRow = Awaited<ReturnType<ReturnType<typeof selectViewings>['executeTakeFirstOrThrow']>>

/** Whether this viewer sees the viewing's details (see seesViewing). */
function seen(r: ViewingRow, viewer: Viewer): boolean {
  return seesViewing(viewer, { agentId: r.agent_id, ownerId: r.client_owner_id, ownerTeam: r.client_owner_team })
}

/** A viewing as this viewer may see it: the client's feedback only for its agent and those with full access. */
export function toViewing(r: ViewingRow, viewer: Viewer) {
  return {
    id: r.id,
    clientId: r.client_id,
    clientName: r.client_name,
    clientCode: r.client_code,
    agentId: r.agent_id,
    agentName: r.agent_name,
    unitId: r.unit_id,
    address: r.address,
    startsAt: r.starts_at,
    endsAt: r.ends_at,
    status: r.status as 'booked',
    feedback: seen(r, viewer) ? r.feedback : null,
    version: r.version,
  }
}

async function mustFindViewing(ctx: HandlerContext, id: number) {
  const v = await selectViewings(ctx.db).where('v.id', '=', id).executeTakeFirst()
  if (!v) throw new ApiFailure('NOT_FOUND', `no viewing ${id}`, 'id')
  return v
}

export const viewingsHandlers: DomainHandlers<'viewings.book' | 'viewings.calendar' | 'viewings.list' | 'viewings.record' | 'viewings.sheet'> = {
  'viewings.book': async (input, ctx) => {
    const s = requireSession(ctx)
    const c = await mustFindClient(ctx.db, input.clientId, 'clientId')
    if (!mayEditClient(viewerOf(s), { ownerId: c.owner_id, ownerTeam: c.owner_team })) {
      throw new ApiFailure('FORBIDDEN', 'you may not book viewings for this client', 'clientId')
    }
    if (c.blacklisted === 1) throw new ApiFailure('CONFLICT', `blacklisted client: ${c.blacklist_reason}`, 'clientId', 'blacklisted')
    let agentId = s.staffId
    if (input.agentId !== undefined && input.agentId !== s.staffId) {
      if (s.role !== 'manager') throw new ApiFailure('FORBIDDEN', 'only a manager books for another agent', 'agentId')
      const agent = await findStaffById(ctx.db, input.agentId)
      if (!agent || agent.active !== 1) throw new ApiFailure('VALIDATION', 'that agent is not active', 'agentId', 'agent_inactive')
      agentId = agent.id
    }
    const rules = await getRules(ctx.db)
    const now = ctx.clock.now()
    if (Date.parse(input.startsAt) < now.getTime() - rules.viewingGraceMinutes * 60_000) {
      throw new ApiFailure('VALIDATION', 'this time is in the past', 'startsAt', 'in_past')
    }
    const startsAt = new Date(input.startsAt).toISOString()
    const endsAt = new Date(input.endsAt ?? Date.parse(input.startsAt) + HOUR).toISOString()
    const clash = await sql<{ id: number; kind: string; starts_at: string; client_name: string; agent_id: number; owner_id: number | null; owner_team: string | null }>`
      SELECT v.id, CASE WHEN v.agent_id = ${agentId} THEN 'agent' WHEN v.client_id = ${c.id} THEN 'client' ELSE 'unit' END AS kind,
        v.starts_at, c.name AS client_name, v.agent_id, c.owner_id, o.team AS owner_team
      FROM viewings v JOIN clients c ON c.id = v.client_id LEFT JOIN staff o ON o.id = c.owner_id
      WHERE v.status = 'booked' AND v.starts_at < ${endsAt} AND v.ends_at > ${startsAt}
        AND (v.agent_id = ${agentId} OR v.client_id = ${c.id} ${input.unitId === undefined ? sql`` : sql`OR v.unit_id = ${input.unitId}`})
      LIMIT 1`.execute(ctx.db)
    const hit = clash.rows[0]
    if (hit) {
      const what = { agent: 'the agent already has a viewing then', client: 'the client already has a viewing then', unit: 'the unit is already being shown then' }[hit.kind]
      // another agent's viewing of the unit is theirs: the refusal says when, not with whom
      const mayName = seesViewing(viewerOf(s), { agentId: hit.agent_id, ownerId: hit.owner_id, ownerTeam: hit.owner_team })
      throw new ApiFailure('CONFLICT', what ?? 'overlapping viewing', 'startsAt', `${hit.kind}_busy`, {
        startsAt: hit.starts_at,
        ...(mayName ? { viewingId: hit.id, clientName: hit.client_name } : {}),
      })
    }
    const row = await ctx.db
      .insertInto('viewings')
      .values({
        client_id: c.id,
        agent_id: agentId,
        unit_id: input.unitId ?? null,
        address: input.address ?? null,
        starts_at: startsAt,
        ends_at: endsAt,
        created_by: s.staffId,
        created_at: now.toISOString(),
        updated_at: now.toISOString(),
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    ctx.auditTarget(`viewing:${row.id}`)
    return toViewing(await mustFindViewing(ctx, row.id), viewerOf(s))
  },

  'viewings.calendar': async ({ agentId, from, to }, ctx) => {
    const s = requireSession(ctx)
    const who = agentId ?? s.staffId
    // the desk books the day and the manager runs it; a senior agent leads a team, not the branch
    if (who !== s.staffId && s.role !== 'manager' && s.role !== 'front_desk') {
      const sameTeam = s.role === 'senior_agent' && s.team !== null && (await findStaffById(ctx.db, who))?.team === s.team
      if (!sameTeam) throw new ApiFailure('FORBIDDEN', 'you may see only your own calendar (senior agents: their team’s)', 'agentId')
    }
    const rows = await selectViewings(ctx.db).where('v.agent_id', '=', who).where('v.starts_at', '<', to).where('v.ends_at', '>', from).orderBy('v.starts_at').execute()
    return { viewings: rows.map((r) => toViewing(r, viewerOf(s))) }
  },

  'viewings.list': async ({ clientId }, ctx) => {
    const s = requireSession(ctx)
    // the desk sees viewings to greet the client; agents only those of clients they may see in full
    mustServe(s, await mustFindClient(ctx.db, clientId, 'clientId'), 'clientId')
    const rows = await selectViewings(ctx.db).where('v.client_id', '=', clientId).orderBy('v.starts_at', 'desc').limit(200).execute()
    return { viewings: rows.map((r) => toViewing(r, viewerOf(s))) }
  },

  'viewings.record': async ({ id, version, status, feedback }, ctx) => {
    const s = requireSession(ctx)
    const v = await mustFindViewing(ctx, id)
    const c = await mustFindClient(ctx.db, v.client_id, 'id')
    if (v.agent_id !== s.staffId && !mayEditClient(viewerOf(s), { ownerId: c.owner_id, ownerTeam: c.owner_team })) {
      throw new ApiFailure('FORBIDDEN', 'not your viewing', 'id')
    }
    if (v.version !== version) throw new ApiFailure('STALE_WRITE', 'this viewing changed meanwhile', 'version', 'stale')
    if (v.status !== 'booked') throw new ApiFailure('CONFLICT', 'this viewing is already recorded', 'status', 'already_recorded')
    const now = ctx.clock.now().toISOString()
    if (status !== 'cancelled' && v.starts_at > now) throw new ApiFailure('VALIDATION', 'the viewing has not started yet', 'status', 'not_started')
    if (status === 'done' && !feedback) throw new ApiFailure('VALIDATION', 'record the client’s feedback', 'feedback', 'too_small')
    await ctx.db.updateTable('viewings').set({ status, feedback: feedback ?? null, updated_at: now, version: version + 1 }).where('id', '=', id).execute()
    if (status === 'done') {
      await ctx.db.updateTable('clients').set({ last_activity_at: now }).where('id', '=', v.client_id).execute()
      const member = await ctx.db.selectFrom('member_cards').select('id').where('client_id', '=', v.client_id).executeTakeFirst()
      if (member) await award(ctx.db, { clientId: v.client_id, delta: CLUB_POINTS.viewing, kind: 'viewing', reason: '带看积分', ref: `viewing:${id}`, staffId: s.staffId, at: now })
    }
    ctx.auditTarget(`viewing:${id}`)
    await evaluateClient(ctx, v.client_id)
    return toViewing(await mustFindViewing(ctx, id), viewerOf(s))
  },

  'viewings.sheet': async ({ id }, ctx) => {
    const s = requireSession(ctx)
    const v = await mustFindViewing(ctx, id)
    const c = await mustFindClient(ctx.db, v.client_id, 'id')
    // the desk prints sheets for every client; others for their own viewings and clients they see in full
    if (s.role !== 'front_desk' && !seen(v, viewerOf(s))) throw new ApiFailure('FORBIDDEN', 'you may not print this viewing’s sheet', 'id', 'no_client_access')
    const agent = await findStaffById(ctx.db, v.agent_id)
    const branch = await ctx.db.selectFrom('settings').select('value').where('key', '=', 'branchName').executeTakeFirst()
    await ctx.audit('viewings.sheet', `viewing:${id}`, {})
    return {
      viewing: toViewing(v, viewerOf(s)),
      branchName: branch ? (JSON.parse(branch.value) as string) : '客源房产',
      clientPhoneMasked: c.primary_phone ? maskPhone(c.primary_phone) : null,
      agentPhone: agent?.phone ?? null,
      printedAt: ctx.clock.now().toISOString(),
    }
  },
}
