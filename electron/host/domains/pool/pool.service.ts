import { mayEditClient } from '@shared/domain/client-access'
import { outranks, type Role } from '@shared/domain/roles'
import { branchDay, DAY_MS } from '@shared/domain/rules'
import { ApiFailure } from '../../api/api-failure'
import type { DomainHandlers, HandlerContext } from '../../api/handler'
import { requireSession } from '../../api/require-session'
import { evaluateClient, pushNotices } from '../../scheduler/evaluate-client'
import { evaluateRules } from '../../scheduler/rules-engine'
import { revokeStaffSessions } from '../auth/sessions.repository'
import { toClientRow, viewerOf } from '../clients/client-shape'
import { findClient, selectClients } from '../clients/clients.repository'
import { mustFindClient, refuseOverCap, snapshot } from '../clients/clients.service'
import { getRules, saveRules } from '../settings/rules.repository'
import { findStaffById } from '../staff/staff.repository'
import { refuseLastAdmin } from '../staff/staff.service'
import { assignByRota, giveClient } from './assignment'

async function rowOf(ctx: HandlerContext, id: number) {
  const c = await findClient(ctx.db, id)
  if (!c) throw new ApiFailure('NOT_FOUND', `no client ${id}`, 'id')
  return toClientRow(c, viewerOf(requireSession(ctx)))
}

/** A colleague who can take clients: active, and an agent, senior agent or manager. */
async function mustBeActiveAgent(ctx: HandlerContext, staffId: number, field: string) {
  const s = await findStaffById(ctx.db, staffId)
  if (!s) throw new ApiFailure('NOT_FOUND', `no staff member ${staffId}`, field)
  if (s.active !== 1) throw new ApiFailure('VALIDATION', `${s.name} has been deactivated`, field, 'agent_inactive')
  if (!['agent', 'senior_agent', 'manager'].includes(s.role)) throw new ApiFailure('VALIDATION', `${s.name} does not own clients`, field, 'not_agent')
  return s
}

export const poolHandlers: DomainHandlers<
  | 'pool.list'
  | 'pool.claim'
  | 'pool.release'
  | 'clients.assign'
  | 'clients.reassign'
  | 'clients.markLost'
  | 'clients.revive'
  | 'staff.depart'
  | 'duty.get'
  | 'duty.set'
  | 'settings.getRules'
  | 'settings.setRules'
  | 'reports.lostReasons'
  | 'scheduler.run'
> = {
  'pool.list': async ({ region, offset, limit }, ctx) => {
    const viewer = viewerOf(requireSession(ctx))
    let q = ctx.db.selectFrom('clients as c').where('c.owner_id', 'is', null).where('c.merged_into', 'is', null).where('c.stage', '!=', 'lost')
    if (region) q = q.where('c.region', '=', region)
    const [rows, total] = await Promise.all([
      selectClients(ctx.db)
        .where('c.owner_id', 'is', null)
        .where('c.merged_into', 'is', null)
        .where('c.stage', '!=', 'lost')
        .$if(region !== undefined, (qb) => qb.where('c.region', '=', region ?? ''))
        .orderBy('c.pooled_at', 'desc')
        .orderBy('c.id', 'desc')
        .offset(offset)
        .limit(limit)
        .execute(),
      q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ])
    return { rows: rows.map((r) => toClientRow(r, viewer)), total: total.n }
  },

  'pool.claim': async ({ clientId }, ctx) => {
    const s = requireSession(ctx)
    const rules = await getRules(ctx.db)
    const c = await mustFindClient(ctx.db, clientId, 'clientId')
    if (c.owner_id !== null) throw new ApiFailure('CONFLICT', `already owned by ${c.owner_name}`, 'clientId', 'not_in_pool', { ownerName: c.owner_name ?? '' })
    if (c.stage === 'lost') throw new ApiFailure('CONFLICT', 'a lost client is revived, not claimed', 'clientId', 'client_lost')
    const now = ctx.clock.now()
    const day = branchDay(now)
    const today = await ctx.db
      .selectFrom('pool_claims')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('staff_id', '=', s.staffId)
      .where('day', '=', day)
      .executeTakeFirstOrThrow()
    if (today.n >= rules.dailyClaimCap) {
      throw new ApiFailure('LIMIT_REACHED', `you may claim ${rules.dailyClaimCap} pool clients a day`, 'clientId', 'daily_claim_cap', { cap: rules.dailyClaimCap })
    }
    await refuseOverCap(ctx.db, s.staffId, rules.ownerCap, 'clientId')
    const at = now.toISOString()
    await ctx.db.insertInto('pool_claims').values({ client_id: clientId, staff_id: s.staffId, claimed_at: at, day }).execute()
    await ctx.db
      .updateTable('clients')
      .set({ owner_id: s.staffId, claimed_at: at, pooled_at: null, last_activity_at: at, updated_at: at, version: c.version + 1 })
      .where('id', '=', clientId)
      .execute()
    // the obligation that comes with a claim (DESIGN §6): follow up within 7 days or it returns
    await ctx.db
      .insertInto('tasks')
      .values({
        staff_id: s.staffId,
        client_id: clientId,
        rule: 'claim',
        title: '认领客户后跟进',
        detail: c.name,
        due_at: new Date(now.getTime() + rules.claimObligationDays * DAY_MS).toISOString(),
        event_key: `claim:${clientId}:${at}`,
        created_at: at,
      })
      .execute()
    ctx.auditTarget(`client:${clientId}`)
    await snapshot(ctx, clientId)
    await evaluateClient(ctx, clientId)
    return rowOf(ctx, clientId)
  },

  'pool.release': async ({ clientId }, ctx) => {
    const s = requireSession(ctx)
    const c = await mustFindClient(ctx.db, clientId, 'clientId')
    if (c.owner_id !== s.staffId) throw new ApiFailure('FORBIDDEN', 'only the owner hands a client to the pool', 'clientId')
    const at = ctx.clock.now().toISOString()
    await ctx.db
      .updateTable('clients')
      .set({ owner_id: null, pooled_at: at, claimed_at: null, protected_until: null, updated_at: at, version: c.version + 1 })
      .where('id', '=', clientId)
      .execute()
    await ctx.db.updateTable('tasks').set({ status: 'cancelled', done_at: at }).where('client_id', '=', clientId).where('status', '=', 'open').execute()
    ctx.auditTarget(`client:${clientId}`)
    await snapshot(ctx, clientId)
    return { ok: true as const }
  },

  'clients.assign': async ({ clientId, staffId, reason }, ctx) => {
    const s = requireSession(ctx)
    const c = await mustFindClient(ctx.db, clientId, 'clientId')
    if (c.owner_id !== null) throw new ApiFailure('CONFLICT', `already owned by ${c.owner_name}`, 'clientId', 'already_owned', { ownerName: c.owner_name ?? '' })
    if (staffId !== undefined) {
      if (s.role !== 'manager') throw new ApiFailure('FORBIDDEN', 'only a manager picks the agent; the desk uses the rota', 'staffId')
      await mustBeActiveAgent(ctx, staffId, 'staffId')
      await refuseOverCap(ctx.db, staffId, (await getRules(ctx.db)).ownerCap, 'staffId')
      await giveClient(ctx, clientId, staffId, reason)
    } else if ((await assignByRota(ctx, clientId, reason)) === null) {
      throw new ApiFailure('CONFLICT', 'nobody matching is on duty today; set the duty roster', 'clientId', 'no_one_on_duty')
    }
    ctx.auditTarget(`client:${clientId}`)
    await snapshot(ctx, clientId)
    return rowOf(ctx, clientId)
  },

  'clients.reassign': async ({ clientIds, toStaffId, reason }, ctx) => {
    const to = await mustBeActiveAgent(ctx, toStaffId, 'toStaffId')
    const rules = await getRules(ctx.db)
    const owned = await ctx.db.selectFrom('clients').select((eb) => eb.fn.countAll<number>().as('n')).where('owner_id', '=', to.id).where('merged_into', 'is', null).executeTakeFirstOrThrow()
    if (owned.n + clientIds.length > rules.ownerCap) {
      throw new ApiFailure('LIMIT_REACHED', `${to.name} would exceed ${rules.ownerCap} clients`, 'toStaffId', 'owner_cap', { cap: rules.ownerCap })
    }
    for (const [i, id] of clientIds.entries()) await mustFindClient(ctx.db, id, `clientIds.${i}`)
    const at = ctx.clock.now().toISOString()
    await ctx.db
      .updateTable('clients')
      .set((eb) => ({ owner_id: to.id, claimed_at: null, pooled_at: null, updated_at: at, version: eb('version', '+', 1) }))
      .where('id', 'in', clientIds)
      .execute()
    await ctx.db.updateTable('tasks').set({ staff_id: to.id }).where('client_id', 'in', clientIds).where('status', '=', 'open').where('rule', 'not in', ['stuck', 'escalation']).execute()
    await ctx.db.insertInto('assignments').values(clientIds.map((id) => ({ client_id: id, staff_id: to.id, reason, assigned_at: at }))).execute()
    ctx.auditTarget(`staff:${to.id}`)
    return { moved: clientIds.length }
  },

  'clients.markLost': async ({ id, reason, note }, ctx) => {
    const s = requireSession(ctx)
    const c = await mustFindClient(ctx.db, id)
    if (!mayEditClient(viewerOf(s), { ownerId: c.owner_id, ownerTeam: c.owner_team })) throw new ApiFailure('FORBIDDEN', 'you may not edit this client', 'id')
    if (c.stage === 'lost') throw new ApiFailure('CONFLICT', 'already marked lost', 'id', 'client_lost')
    const rules = await getRules(ctx.db)
    if (!rules.lostReasons.includes(reason)) throw new ApiFailure('VALIDATION', `choose a reason from the list`, 'reason', 'invalid_value')
    const at = ctx.clock.now().toISOString()
    await ctx.db
      .updateTable('clients')
      .set({ stage: 'lost', lost_from_stage: c.stage, lost_reason: reason, lost_at: at, stage_changed_at: at, updated_at: at, version: c.version + 1 })
      .where('id', '=', id)
      .execute()
    await ctx.db.updateTable('tasks').set({ status: 'cancelled', done_at: at }).where('client_id', '=', id).where('status', '=', 'open').execute()
    if (note) {
      await ctx.db.insertInto('follow_ups').values({ client_id: id, staff_id: s.staffId, channel: 'note', content: `流失：${reason}。${note}`, created_at: at }).execute()
    }
    ctx.auditTarget(`client:${id}`)
    await snapshot(ctx, id)
    return rowOf(ctx, id)
  },

  'clients.revive': async ({ id }, ctx) => {
    const s = requireSession(ctx)
    const c = await mustFindClient(ctx.db, id)
    if (c.stage !== 'lost') throw new ApiFailure('CONFLICT', 'this client is not lost', 'id', 'not_lost')
    if (c.owner_id !== null && !mayEditClient(viewerOf(s), { ownerId: c.owner_id, ownerTeam: c.owner_team })) {
      throw new ApiFailure('FORBIDDEN', 'you may not edit this client', 'id')
    }
    const at = ctx.clock.now().toISOString()
    await ctx.db
      .updateTable('clients')
      .set({ stage: c.lost_from_stage ?? 'intent', lost_reason: null, lost_at: null, lost_from_stage: null, stage_changed_at: at, last_activity_at: at, updated_at: at, version: c.version + 1 })
      .where('id', '=', id)
      .execute()
    if (c.owner_id === null && (s.role === 'agent' || s.role === 'senior_agent')) await giveClient(ctx, id, s.staffId, '唤回流失客户')
    ctx.auditTarget(`client:${id}`)
    await snapshot(ctx, id)
    await evaluateClient(ctx, id)
    return rowOf(ctx, id)
  },

  'staff.depart': async ({ id, toStaffIds, reason }, ctx) => {
    const s = requireSession(ctx)
    const leaving = await findStaffById(ctx.db, id)
    if (!leaving) throw new ApiFailure('NOT_FOUND', `no staff member ${id}`, 'id')
    await refuseLastAdmin(ctx.db, leaving, 'id')
    if (id === s.staffId) throw new ApiFailure('FORBIDDEN', 'you cannot depart yourself', 'id')
    // a manager hands over the desk and the agents; a manager or an admin leaves through an admin
    if (s.role !== 'admin' && !outranks(s.role, leaving.role as Role)) {
      throw new ApiFailure('FORBIDDEN', 'only an admin departs a manager or an admin', 'id', 'outranks')
    }
    if (leaving.active !== 1) throw new ApiFailure('CONFLICT', 'this account is already inactive', 'id')
    for (const [i, t] of toStaffIds.entries()) {
      if (t === id) throw new ApiFailure('VALIDATION', 'the departing agent cannot take their own clients', `toStaffIds.${i}`, 'same_staff')
      await mustBeActiveAgent(ctx, t, `toStaffIds.${i}`)
    }
    const at = ctx.clock.now().toISOString()
    const clients = await ctx.db.selectFrom('clients').select('id').where('owner_id', '=', id).where('merged_into', 'is', null).orderBy('id').execute()
    // shared evenly, in order; with nobody named, everything goes to the public pool
    const buckets = new Map<number | null, number[]>()
    clients.forEach((c, i) => {
      const to = toStaffIds.length ? toStaffIds[i % toStaffIds.length]! : null
      buckets.set(to, [...(buckets.get(to) ?? []), c.id])
    })
    for (const [to, ids] of buckets) {
      for (let i = 0; i < ids.length; i += 5000) {
        const chunk = ids.slice(i, i + 5000)
        await ctx.db
          .updateTable('clients')
          .set((eb) => ({ owner_id: to, pooled_at: to === null ? at : null, claimed_at: null, protected_until: to === null ? null : undefined, updated_at: at, version: eb('version', '+', 1) }))
          .where('id', 'in', chunk)
          .execute()
        if (to === null) await ctx.db.updateTable('tasks').set({ status: 'cancelled', done_at: at }).where('client_id', 'in', chunk).where('status', '=', 'open').execute()
        else {
          await ctx.db.updateTable('tasks').set({ staff_id: to }).where('staff_id', '=', id).where('client_id', 'in', chunk).where('status', '=', 'open').execute()
          await ctx.db.insertInto('assignments').values(chunk.map((c) => ({ client_id: c, staff_id: to, reason: `${leaving.name}${reason}交接`, assigned_at: at }))).execute()
        }
      }
    }
    await ctx.db.updateTable('tasks').set({ status: 'cancelled', done_at: at }).where('staff_id', '=', id).where('status', '=', 'open').execute()
    await ctx.db.updateTable('staff').set({ active: 0, left_at: at, updated_at: at, version: leaving.version + 1 }).where('id', '=', id).execute()
    await ctx.db.deleteFrom('duty_roster').where('staff_id', '=', id).where('day', '>=', branchDay(ctx.clock.now())).execute()
    const revoked = await revokeStaffSessions(ctx.db, id, at)
    ctx.afterCommit(() => {
      ctx.events.publish('session.ended', { reason: 'deactivated' }, { kind: 'staff', staffId: id })
      ctx.events.sessionsRevoked(revoked)
    })
    ctx.auditTarget(`staff:${id}`)
    const pooled = buckets.get(null)?.length ?? 0
    return { moved: clients.length - pooled, pooled, sessionsEnded: revoked.length }
  },

  'duty.get': async ({ day }, ctx) => {
    const rows = await ctx.db
      .selectFrom('duty_roster as d')
      .innerJoin('staff as s', 's.id', 'd.staff_id')
      .select(['d.staff_id', 'd.region', 'd.client_kind', 's.name'])
      .where('d.day', '=', day)
      .orderBy('s.name')
      .execute()
    return { day, entries: rows.map((r) => ({ staffId: r.staff_id, staffName: r.name, region: r.region, clientKind: r.client_kind as 'person' | null })) }
  },

  'duty.set': async ({ day, entries }, ctx) => {
    const seen = new Set<number>()
    for (const [i, e] of entries.entries()) {
      if (seen.has(e.staffId)) throw new ApiFailure('VALIDATION', 'listed twice', `entries.${i}.staffId`, 'repeated')
      seen.add(e.staffId)
      const s = await mustBeActiveAgent(ctx, e.staffId, `entries.${i}.staffId`)
      if (s.role === 'manager') throw new ApiFailure('VALIDATION', 'the rota is for agents', `entries.${i}.staffId`, 'not_agent')
    }
    await ctx.db.deleteFrom('duty_roster').where('day', '=', day).execute()
    if (entries.length) {
      await ctx.db.insertInto('duty_roster').values(entries.map((e) => ({ day, staff_id: e.staffId, region: e.region, client_kind: e.clientKind }))).execute()
    }
    ctx.auditTarget(`duty:${day}`)
    return { ok: true as const }
  },

  'settings.getRules': async (_input, ctx) => getRules(ctx.db),

  'settings.setRules': async (changes, ctx) => {
    const next = { ...(await getRules(ctx.db)), ...changes }
    await saveRules(ctx.db, next, ctx.clock.now().toISOString())
    ctx.auditTarget('settings:rules')
    return next
  },

  'reports.lostReasons': async ({ from, to }, ctx) => {
    const rows = await ctx.db
      .selectFrom('clients')
      .select(['lost_reason', (eb) => eb.fn.countAll<number>().as('n')])
      .where('stage', '=', 'lost')
      .where('lost_at', '>=', from)
      .where('lost_at', '<', to)
      .groupBy('lost_reason')
      .orderBy('n', 'desc')
      .execute()
    return { reasons: rows.map((r) => ({ reason: r.lost_reason ?? '', count: r.n })) }
  },

  'scheduler.run': async (_input, ctx) => {
    const r = await evaluateRules(ctx.db, ctx.auditLog, ctx.clock.now(), await getRules(ctx.db))
    pushNotices(ctx, r.notices)
    return { tasksCreated: r.tasksCreated, tasksResolved: r.tasksResolved, pooled: r.pooled, escalated: r.escalated }
  },
}
