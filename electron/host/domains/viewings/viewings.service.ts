import { mayEditClient, mayLogContact, seesViewing } from '@shared/domain/client-access'
import { maskPhone } from '@shared/domain/client-phone'
import { CLUB_POINTS } from '@shared/domain/club'
import { hostTextOf } from '@shared/domain/host-text-keys'
import { ApiFailure } from '../../api/api-failure'
import type { HandlersOf, HandlerContext } from '../../api/handler'
import { requireSession } from '../../api/require-session'
import { writeBehaviourTags } from '../clients/behaviour-tags'
import { evaluateClient } from '../followups/rules/evaluate'
import { isMember } from '../cards/cards.repository'
import { mustServe } from '../clients/client-guards'
import { mustFindClient } from '../clients/client-lookup'
import { ownershipOf, viewerOf } from '../clients/client-shape'
import { touchActivity } from '../clients/clients.repository'
import { award } from '../club/club.repository'
import { getRules } from '../settings/rules.repository'
import { readSetting } from '../settings/settings.repository'
import { findStaffById } from '../staff/staff.repository'
import { seesDetails, toViewing } from './viewing-shape'
import { findViewing, insertViewing, overlappingViewing, recordViewing, viewingsOfAgent, viewingsOfClient } from './viewings.repository'

const HOUR = 3_600_000

async function mustFindViewing(ctx: HandlerContext, id: number) {
  const v = await findViewing(ctx.db, id)
  if (!v) throw new ApiFailure('NOT_FOUND', `no viewing ${id}`, 'id')
  return v
}

/** Viewings (带看): booking without double-booking, the calendar, the outcome, the printed sheet. */
export const viewingsHandlers: HandlersOf<'viewings'> = {
  'viewings.book': async (input, ctx) => {
    const s = requireSession(ctx)
    const c = await mustFindClient(ctx.db, input.clientId, 'clientId')
    if (!mayLogContact(viewerOf(s), ownershipOf(c))) {
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
    const hit = await overlappingViewing(ctx.db, { agentId, clientId: c.id, unitId: input.unitId, startsAt, endsAt })
    if (hit) {
      const what = { agent: 'the agent already has a viewing then', client: 'the client already has a viewing then', unit: 'the unit is already being shown then' }[hit.kind]
      // another agent's viewing of the unit is theirs: the refusal says when, not with whom
      const mayName = seesViewing(viewerOf(s), { agentId: hit.agent_id, ownerId: hit.owner_id, ownerTeam: hit.owner_team })
      throw new ApiFailure('CONFLICT', what ?? 'overlapping viewing', 'startsAt', `${hit.kind}_busy`, {
        startsAt: hit.starts_at,
        ...(mayName ? { viewingId: hit.id, clientName: hit.client_name } : {}),
      })
    }
    const id = await insertViewing(ctx.db, {
      clientId: c.id,
      agentId,
      unitId: input.unitId ?? null,
      address: input.address ?? null,
      startsAt,
      endsAt,
      by: s.staffId,
      at: now.toISOString(),
    })
    // a booked unit is a price signal: the client's behaviour tags read it at once
    await writeBehaviourTags(ctx.db, now, { clientIds: [c.id] })
    ctx.auditTarget(`viewing:${id}`)
    return toViewing(await mustFindViewing(ctx, id), viewerOf(s))
  },

  'viewings.calendar': async ({ agentId, from, to }, ctx) => {
    const s = requireSession(ctx)
    const who = agentId ?? s.staffId
    // the desk books the day and the manager runs it; a senior agent leads a team, not the branch
    if (who !== s.staffId && s.role !== 'manager' && s.role !== 'front_desk') {
      const sameTeam = s.role === 'senior_agent' && s.team !== null && (await findStaffById(ctx.db, who))?.team === s.team
      if (!sameTeam) throw new ApiFailure('FORBIDDEN', 'you may see only your own calendar (senior agents: their team’s)', 'agentId')
    }
    const rows = await viewingsOfAgent(ctx.db, who, from, to)
    return { viewings: rows.map((r) => toViewing(r, viewerOf(s))) }
  },

  'viewings.list': async ({ clientId }, ctx) => {
    const s = requireSession(ctx)
    // the desk sees viewings to greet the client; agents only those of clients they may see in full
    mustServe(s, await mustFindClient(ctx.db, clientId, 'clientId'), 'clientId')
    const rows = await viewingsOfClient(ctx.db, clientId, 200)
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
    await recordViewing(ctx.db, id, { status, feedback: feedback ?? null, version, at: now })
    if (status === 'done') {
      await touchActivity(ctx.db, v.client_id, now)
      if (await isMember(ctx.db, v.client_id)) await award(ctx.db, { clientId: v.client_id, delta: CLUB_POINTS.viewing, kind: 'viewing', reason: hostTextOf('points.viewing'), ref: `viewing:${id}`, staffId: s.staffId, at: now })
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
    if (s.role !== 'front_desk' && !seesDetails(v, viewerOf(s))) throw new ApiFailure('FORBIDDEN', 'you may not print this viewing’s sheet', 'id', 'no_client_access')
    const agent = await findStaffById(ctx.db, v.agent_id)
    const branch = await readSetting(ctx.db, 'branchName')
    await ctx.audit('viewings.sheet', `viewing:${id}`, {})
    return {
      viewing: toViewing(v, viewerOf(s)),
      branchName: branch !== undefined ? (JSON.parse(branch) as string) : '客源房产',
      clientPhoneMasked: c.primary_phone ? maskPhone(c.primary_phone) : null,
      agentPhone: agent?.phone ?? null,
      printedAt: ctx.clock.now().toISOString(),
    }
  },
}
