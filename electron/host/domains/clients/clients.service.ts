import { sql, type Kysely } from 'kysely'
import { clientAccess, mayEditClient, mayRevealPhones } from '@shared/domain/client-access'
import { normalizeClientPhone } from '@shared/domain/client-phone'
import { protectionEnd } from '@shared/domain/rules'
import { getRules } from '../settings/rules.repository'
import { evaluateClient } from '../../scheduler/evaluate-client'
import { ApiFailure } from '../../api/api-failure'
import type { DomainHandlers, HandlerContext } from '../../api/handler'
import { requireSession } from '../../api/require-session'
import type { DB } from '../../db/schema'
import { findStaffById } from '../staff/staff.repository'
import { FIELD_COLUMNS, orgNameKey, profileColumns } from './client-columns'
import { refreshDerived } from './client-derived'
import { toClientRow, toProfile, viewerOf } from './client-shape'
import {
  clientByOrgKey,
  clientsByPhones,
  clientVersion,
  countOwnedClients,
  findClient,
  listClients,
  nextClientCode,
  phonesOf,
  regionTree,
  replacePhones,
  saveClientVersion,
  type ClientRecord,
} from './clients.repository'
import { normalizePhones, refuseTakenPhones } from './phones'
import { auditDigitMatches, chargeAndAudit, type PhoneLookupLimiter } from './phone-lookups'
import { searchClients, searchKey } from './client-search'
import { assignByRota } from '../pool/assignment'

export async function mustFindClient(db: Kysely<DB>, id: number, field = 'id'): Promise<ClientRecord> {
  const c = await findClient(db, id)
  if (!c || c.merged_into !== null) throw new ApiFailure('NOT_FOUND', `no client with id ${id}`, field)
  return c
}

/** 客源上限: an agent at the cap must hand clients over before taking more. */
export async function refuseOverCap(db: Kysely<DB>, ownerId: number, cap: number, field: string): Promise<void> {
  if ((await countOwnedClients(db, ownerId)) >= cap) {
    throw new ApiFailure('LIMIT_REACHED', `the agent already has ${cap} clients; hand some over first`, field, 'owner_cap', { cap })
  }
}

function ownership(c: ClientRecord) {
  return { ownerId: c.owner_id, ownerTeam: c.owner_team }
}

/** The full profile after a change, as the caller sees it. */
async function profileAfter(ctx: HandlerContext, id: number) {
  const fresh = await refreshDerived(ctx.db, id)
  return toProfile(fresh, fresh.phones, fresh.needCount, viewerOf(requireSession(ctx)))
}

/** Saves the state a version number stands for: history, and the base of stale-write diffs. */
export async function snapshot(ctx: HandlerContext, id: number) {
  const rec = await mustFindClient(ctx.db, id)
  const phones = await phonesOf(ctx.db, id)
  const { owner_name: _n, owner_phone: _p, owner_team: _t, ...row } = rec
  await saveClientVersion(ctx.db, id, rec.version, { ...row, phones: phones.map((p) => p.e164) }, ctx.session?.staffId ?? null, ctx.clock.now().toISOString())
}

async function resolveOwner(ctx: HandlerContext, requested: number | null | undefined): Promise<number | null> {
  const s = requireSession(ctx)
  if (s.role === 'agent' || s.role === 'senior_agent') {
    if (requested != null && requested !== s.staffId) throw new ApiFailure('FORBIDDEN', 'agents record clients for themselves', 'ownerId')
    return s.staffId
  }
  if (s.role === 'front_desk') {
    if (requested != null) throw new ApiFailure('FORBIDDEN', 'the front desk leaves assignment to the rules', 'ownerId')
    return null
  }
  if (requested == null) return null
  const owner = await findStaffById(ctx.db, requested)
  if (!owner || owner.active !== 1 || !['agent', 'senior_agent', 'manager'].includes(owner.role)) {
    throw new ApiFailure('VALIDATION', 'the owner must be an active agent', 'ownerId', 'owner_invalid')
  }
  return requested
}

/**
 * Everything that happened to the merged record becomes the kept record's history: contacts,
 * viewings, tasks, visits, cards, claims, club points (moved by ledger entries: the ledger is append-only).
 */
async function moveHistory(ctx: HandlerContext, fromId: number, toId: number, at: string) {
  for (const table of ['collaboration_requests', 'follow_ups', 'viewings', 'tasks', 'notifications', 'visits', 'pool_claims', 'assignments', 'swipe_log'] as const) {
    await ctx.db.updateTable(table).set({ client_id: toId }).where('client_id', '=', fromId).execute()
  }
  await sql`UPDATE OR IGNORE activity_signups SET client_id = ${toId} WHERE client_id = ${fromId}`.execute(ctx.db)
  await sql`UPDATE OR IGNORE referrals SET referrer_id = ${toId} WHERE referrer_id = ${fromId}`.execute(ctx.db)
  await sql`UPDATE OR IGNORE referrals SET referred_id = ${toId} WHERE referred_id = ${fromId} AND referrer_id != ${toId}`.execute(ctx.db)
  // one live card per client: the kept record's card stays, the other is marked replaced
  const keptCard = await ctx.db.selectFrom('member_cards').select('id').where('client_id', '=', toId).where('status', '=', 'active').executeTakeFirst()
  if (keptCard) {
    await ctx.db.updateTable('member_cards').set({ status: 'replaced', replaced_by: keptCard.id, lost_at: at }).where('client_id', '=', fromId).where('status', '=', 'active').execute()
  }
  await ctx.db.updateTable('member_cards').set({ client_id: toId }).where('client_id', '=', fromId).execute()
  const balance = await ctx.db
    .selectFrom('points_ledger')
    .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('delta'), eb.lit(0)).as('p'))
    .where('client_id', '=', fromId)
    .executeTakeFirstOrThrow()
  const points = Number(balance.p)
  if (points !== 0) {
    const staffId = ctx.session?.staffId ?? null
    await ctx.db
      .insertInto('points_ledger')
      .values([
        { client_id: fromId, delta: -points, kind: 'manual', reason: `合并到客户 #${toId}`, ref: `merge-out:${fromId}:${toId}`, staff_id: staffId, at },
        { client_id: toId, delta: points, kind: 'manual', reason: `合并自客户 #${fromId}`, ref: `merge-in:${fromId}:${toId}`, staff_id: staffId, at },
      ])
      .execute()
  }
}

/** 防撞单 on an organisation's name: the client that has it, its owner and protection. */
async function orgTaken(ctx: HandlerContext, id: number): Promise<ApiFailure> {
  const o = await mustFindClient(ctx.db, id)
  return new ApiFailure('DUPLICATE', `this organisation is client ${o.code}`, 'name', 'org_taken', {
    clientId: o.id,
    code: o.code,
    name: o.name,
    ownerName: o.owner_name ?? '',
    protectedUntil: o.protected_until ?? '',
  })
}

export interface ClientsOptions {
  /** the host's one count of phone lookups per user (search, checkDuplicate, create, update). */
  phoneLookups: PhoneLookupLimiter
}

/** The clients domain's handlers, sharing the host's phone-lookup limiter. */
export function createClientsHandlers({ phoneLookups }: ClientsOptions): DomainHandlers<
  | 'clients.search'
  | 'clients.list'
  | 'clients.get'
  | 'clients.create'
  | 'clients.update'
  | 'clients.checkDuplicate'
  | 'clients.revealPhones'
  | 'clients.requestCollaboration'
  | 'clients.merge'
  | 'clients.regionTree'
> {
  return {
    'clients.search': async ({ q, limit }, ctx) => {
      const viewer = viewerOf(requireSession(ctx))
      const found = await searchClients(ctx.db, q, limit, viewer)
      const whole = found.wholeNumber
      if (whole) chargeAndAudit(ctx, phoneLookups, viewer, 'search', [whole])
      // other numbers the digits met (as a part of them), beside the whole number's holder
      auditDigitMatches(ctx, viewer, searchKey(q).key, found.phoneMatches.filter((c) => c.id !== whole?.client?.id))
      return { hits: found.hits }
    },

    'clients.list': async (input, ctx) => {
      const viewer = viewerOf(requireSession(ctx))
      const page = await listClients(ctx.db, input, requireSession(ctx), ctx.clock.now())
      return { total: page.total, rows: page.rows.map((r) => toClientRow(r, viewer)) }
    },

    'clients.get': async ({ id }, ctx) => {
      const s = requireSession(ctx)
      const c = await mustFindClient(ctx.db, id)
      // admins keep the system; their reads of client data are on the record (DESIGN §1)
      if (s.role === 'admin') await ctx.audit('clients.get', `client:${id}`, {})
      const phones = await phonesOf(ctx.db, id)
      const needs = await ctx.db
        .selectFrom('requirements')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('client_id', '=', id)
        .where('active', '=', 1)
        .executeTakeFirstOrThrow()
      return toProfile(c, phones, needs.n, viewerOf(s))
    },

    'clients.create': async (input, ctx) => {
      const s = requireSession(ctx)
      const phones = normalizePhones(input.phones)
      await refuseTakenPhones(ctx, phoneLookups, phones, 'create')
      const orgKey = input.kind === 'org' ? orgNameKey(input.name) : null
      if (orgKey) {
        const other = await clientByOrgKey(ctx.db, orgKey)
        if (other) throw await orgTaken(ctx, other.id)
      }
      const rules = await getRules(ctx.db)
      const ownerId = await resolveOwner(ctx, input.ownerId)
      if (ownerId !== null) await refuseOverCap(ctx.db, ownerId, rules.ownerCap, 'ownerId')
      const now = ctx.clock.now()
      const code = await nextClientCode(ctx.db)
      const row = await ctx.db
        .insertInto('clients')
        .values({
          ...profileColumns(input),
          code,
          kind: input.kind,
          name: input.name,
          source_channel: input.sourceChannel,
          tier: input.tier,
          stage: input.stage,
          org_name_key: orgKey,
          owner_id: ownerId,
          created_by: s.staffId,
          created_at: now.toISOString(),
          updated_at: now.toISOString(),
          protected_until: ownerId === null ? null : protectionEnd(now, input.sourceChannel, rules).toISOString(),
          last_activity_at: now.toISOString(),
          stage_changed_at: now.toISOString(),
        })
        .returning('id')
        .executeTakeFirstOrThrow()
      await replacePhones(ctx.db, row.id, phones)
      ctx.auditTarget(`client:${row.id}`)
      // a new enquiry without an owner goes to the on-duty rota at once (when a roster is set)
      if (ownerId === null) await assignByRota(ctx, row.id, '新客户轮流分配')
      await evaluateClient(ctx, row.id)
      const profile = await profileAfter(ctx, row.id)
      await snapshot(ctx, row.id)
      return profile
    },

    'clients.update': async (input, ctx) => {
      const s = requireSession(ctx)
      const current = await mustFindClient(ctx.db, input.id)
      if (!mayEditClient(viewerOf(s), ownership(current))) throw new ApiFailure('FORBIDDEN', 'you may not edit this client', 'id')
      if (current.version !== input.version) {
        const base = await clientVersion(ctx.db, input.id, input.version)
        const before = base ? (JSON.parse(base.data) as Record<string, unknown>) : {}
        const changed = Object.entries(FIELD_COLUMNS)
          .filter(([, col]) => JSON.stringify(before[col] ?? null) !== JSON.stringify(current[col] ?? null))
          .map(([field]) => field)
        const last = await clientVersion(ctx.db, input.id, current.version)
        throw new ApiFailure('STALE_WRITE', `someone changed this client meanwhile: ${changed.join(', ') || 'phones'}`, 'version', 'stale', {
          changed: changed.join(','),
          by: last?.by_name ?? '',
          version: current.version,
        })
      }
      if (input.blacklisted === false && current.blacklisted === 1 && s.role !== 'manager') {
        throw new ApiFailure('FORBIDDEN', 'only a manager lifts a blacklist', 'blacklisted')
      }
      const { id, version, phones: phoneInput, ...fields } = input
      const merged = { blacklisted: current.blacklisted === 1, blacklistReason: current.blacklist_reason, ...fields }
      if (merged.blacklisted && !merged.blacklistReason?.trim()) {
        throw new ApiFailure('VALIDATION', 'a blacklist needs a reason', 'blacklistReason', 'blacklist_reason')
      }
      if (merged.blacklisted === false) fields.blacklistReason = null
      const cols = profileColumns(fields)
      if (fields.name !== undefined && current.kind === 'org') {
        const key = orgNameKey(fields.name)
        const other = await clientByOrgKey(ctx.db, key)
        if (other && other.id !== id) throw await orgTaken(ctx, other.id)
        cols.org_name_key = key
      }
      if (phoneInput) {
        const phones = normalizePhones(phoneInput)
        await refuseTakenPhones(ctx, phoneLookups, phones, 'update', id)
        await replacePhones(ctx.db, id, phones)
      }
      if (cols.stage === 'lost') throw new ApiFailure('VALIDATION', 'use “mark lost” with a reason', 'stage', 'use_mark_lost')
      const nowIso = ctx.clock.now().toISOString()
      if (cols.stage !== undefined && cols.stage !== current.stage) cols.stage_changed_at = nowIso
      await ctx.db
        .updateTable('clients')
        .set({ ...cols, updated_at: nowIso, version: version + 1 })
        .where('id', '=', id)
        .where('version', '=', version)
        .execute()
      ctx.auditTarget(`client:${id}`)
      await evaluateClient(ctx, id)
      const profile = await profileAfter(ctx, id)
      await snapshot(ctx, id)
      return profile
    },

    'clients.checkDuplicate': async ({ phones, orgName }, ctx) => {
      const viewer = viewerOf(requireSession(ctx))
      const invalidPhones: number[] = []
      const asked = new Map<string, { index: number; display: string }>()
      phones.forEach((p, i) => {
        if (p.trim() === '') return
        // a part of a number is no number: it is never looked up, so it confirms nothing
        const r = normalizeClientPhone(p)
        if (r.ok) asked.set(r.phone.e164, { index: i, display: r.phone.display })
        else invalidPhones.push(i)
      })
      const holders = new Map((await clientsByPhones(ctx.db, [...asked.keys()])).map((h) => [h.e164, h]))
      const lookups = [...asked].map(([e164, a]) => {
        const h = holders.get(e164)
        return { e164, display: a.display, client: h ? { id: h.id, ownerId: h.owner_id, ownerTeam: h.owner_team } : null }
      })
      chargeAndAudit(ctx, phoneLookups, viewer, 'checkDuplicate', lookups)
      const found: Array<{ id: number; matchedOn: 'phone' | 'org_name'; phoneIndex: number | null }> = []
      for (const [e164, h] of holders) {
        if (!found.some((f) => f.id === h.id)) found.push({ id: h.id, matchedOn: 'phone', phoneIndex: asked.get(e164)?.index ?? null })
      }
      if (orgName) {
        const o = await clientByOrgKey(ctx.db, orgNameKey(orgName))
        if (o && !found.some((f) => f.id === o.id)) found.push({ id: o.id, matchedOn: 'org_name', phoneIndex: null })
      }
      // who holds it and until when (防撞单); never the other client's numbers
      const matches = []
      for (const f of found) {
        const c = await mustFindClient(ctx.db, f.id)
        const row = toClientRow(c, viewer)
        matches.push({
          clientId: c.id,
          code: c.code,
          name: c.name,
          owner: row.owner,
          protectedUntil: c.protected_until,
          blacklisted: c.blacklisted === 1,
          matchedOn: f.matchedOn,
          phoneIndex: f.phoneIndex,
          isMine: c.owner_id === viewer.staffId,
        })
      }
      return { matches, invalidPhones }
    },

    'clients.revealPhones': async ({ id, reason }, ctx) => {
      const s = requireSession(ctx)
      const c = await mustFindClient(ctx.db, id)
      if (!mayRevealPhones(viewerOf(s), ownership(c))) throw new ApiFailure('FORBIDDEN', 'you may not see this client’s numbers', 'id')
      await ctx.audit('clients.revealPhones', `client:${id}`, { reason })
      const phones = await phonesOf(ctx.db, id)
      return { phones: phones.map((p) => ({ id: p.id, display: p.display, kind: p.kind, label: p.label, masked: false })) }
    },

    'clients.requestCollaboration': async ({ clientId, note }, ctx) => {
      const s = requireSession(ctx)
      const c = await mustFindClient(ctx.db, clientId, 'clientId')
      if (c.owner_id === s.staffId) throw new ApiFailure('CONFLICT', 'this client is already yours', 'clientId', 'own_client')
      const open = await ctx.db
        .selectFrom('collaboration_requests')
        .select('id')
        .where('client_id', '=', clientId)
        .where('requester_id', '=', s.staffId)
        .where('status', '=', 'open')
        .executeTakeFirst()
      if (open) throw new ApiFailure('CONFLICT', 'you already asked; wait for the owner', 'clientId', 'request_open')
      const r = await ctx.db
        .insertInto('collaboration_requests')
        .values({ client_id: clientId, requester_id: s.staffId, owner_id: c.owner_id, note, status: 'open', created_at: ctx.clock.now().toISOString() })
        .returning('id')
        .executeTakeFirstOrThrow()
      ctx.auditTarget(`client:${clientId}`)
      return { id: r.id, status: 'open' as const }
    },

    'clients.merge': async ({ keepId, mergeId, reason }, ctx) => {
      const s = requireSession(ctx)
      if (keepId === mergeId) throw new ApiFailure('VALIDATION', 'choose two different clients', 'mergeId', 'same_client')
      const keep = await mustFindClient(ctx.db, keepId, 'keepId')
      const gone = await mustFindClient(ctx.db, mergeId, 'mergeId')
      const now = ctx.clock.now().toISOString()
      const { owner_name: _n, owner_phone: _p, owner_team: _t, ...goneRow } = gone
      const gonePhones = await phonesOf(ctx.db, mergeId)
      await ctx.db
        .insertInto('client_merges')
        .values({ kept_id: keepId, merged_id: mergeId, reason, snapshot: JSON.stringify({ ...goneRow, phones: gonePhones }), merged_by: s.staffId, merged_at: now })
        .execute()
      // the kept record's values win; its empty fields take the merged record's values
      const fill: Record<string, unknown> = {}
      for (const col of Object.values(FIELD_COLUMNS)) {
        if ((keep[col] === null || keep[col] === '[]') && gone[col] !== null) fill[col] = gone[col]
      }
      const last = [keep.last_follow_up_at, gone.last_follow_up_at].filter((x): x is string => x !== null).sort().pop() ?? null
      const keptPhones = await phonesOf(ctx.db, keepId)
      await ctx.db.updateTable('client_phones').set({ client_id: keepId }).where('client_id', '=', mergeId).execute()
      await ctx.db
        .updateTable('client_phones')
        .set((eb) => ({ position: eb('position', '+', keptPhones.length) }))
        .where('client_id', '=', keepId)
        .where('id', 'in', gonePhones.length ? gonePhones.map((p) => p.id) : [0])
        .execute()
      await ctx.db.updateTable('requirements').set({ client_id: keepId }).where('client_id', '=', mergeId).execute()
      await moveHistory(ctx, mergeId, keepId, now)
      await ctx.db
        .updateTable('clients')
        .set({ merged_into: keepId, org_name_key: null, updated_at: now, version: gone.version + 1 })
        .where('id', '=', mergeId)
        .execute()
      await ctx.db.deleteFrom('search_terms').where('client_id', '=', mergeId).execute()
      await ctx.db
        .updateTable('clients')
        .set({ ...fill, last_follow_up_at: last, updated_at: now, version: keep.version + 1 })
        .where('id', '=', keepId)
        .execute()
      ctx.auditTarget(`client:${keepId}<-client:${mergeId}`)
      const profile = await profileAfter(ctx, keepId)
      await snapshot(ctx, keepId)
      return profile
    },

    'clients.regionTree': async (_input, ctx) => {
      const rows = await regionTree(ctx.db)
      const regions: Array<{ region: string; count: number; communities: Array<{ community: string; count: number }> }> = []
      for (const r of rows) {
        let node = regions[regions.length - 1]
        if (!node || node.region !== r.region) regions.push((node = { region: r.region ?? '', count: 0, communities: [] }))
        node.count += r.n
        if (r.community) node.communities.push({ community: r.community, count: r.n })
      }
      return { regions }
    },
  }
}

export { clientAccess }
