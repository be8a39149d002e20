import { clientAccess, mayEditClient, mayRevealPhones } from '@shared/domain/client-access'
import { normalizeClientPhone } from '@shared/domain/client-phone'
import { hostTextOf } from '@shared/domain/host-text-keys'
import { protectionEnd } from '@shared/domain/rules'
import { ApiFailure } from '../../api/api-failure'
import type { HandlersFactory, HandlerContext } from '../../api/handler'
import { requireSession } from '../../api/require-session'
import { evaluateClient } from '../followups/rules/evaluate'
import { moveCards } from '../cards/cards.repository'
import { award, pointsBalance } from '../club/club.repository'
import { activeNeedCount } from '../needs/needs.repository'
import { getRules } from '../settings/rules.repository'
import { mustBeActiveAgent } from '../staff/staff-guards'
import { findStaffById } from '../staff/staff.repository'
import { insertFollowUp } from '../followups/followups.repository'
import { notify } from '../notifications/notice'
import { cancelOpenTasksOfClients, moveOpenTasks } from '../tasks/tasks.repository'
import { assignByRota, giveClient } from './assignment'
import { FIELD_COLUMNS, orgNameKey, profileColumns } from './client-columns'
import { refreshDerived } from './client-derived'
import { idNumberColumns } from './client-id-number'
import { refuseBadBirthDate, refuseOverCap } from './client-guards'
import { snapshot } from './client-history'
import { mustFindClient } from './client-lookup'
import { insertMergeRecord, moveContactData, moveHistory, retireMerged } from './client-merge.repository'
import { resolveSearch, searchClients, type SearchOutcome } from './client-search'
import { GridTotals, listClients } from './client-grid'
import { ownershipOf, toClientRow, toProfile, viewerOf } from './client-shape'
import {
  clientByOrgKey,
  clientsByPhones,
  clientVersion,
  countOwnedClients,
  findClient,
  handOver,
  hasOpenCollaboration,
  insertAssignments,
  insertClient,
  insertCollaboration,
  nextClientCode,
  phonesOf,
  regionTree,
  replacePhones,
  updateClient,
} from './clients.repository'
import { auditDigitMatches, chargeAndAudit } from './phone-lookups'
import { normalizePhones, refuseTakenPhones } from './phones'
import { linkableCampaign } from '../campaigns/campaign-link'
import { linkClient } from '../campaigns/campaigns.repository'

/** A client's grid row after a change, as the caller sees it. */
async function rowOf(ctx: HandlerContext, id: number) {
  const c = await findClient(ctx.db, id)
  if (!c) throw new ApiFailure('NOT_FOUND', `no client ${id}`, 'id')
  return toClientRow(c, viewerOf(requireSession(ctx)))
}

/** The full profile after a change, as the caller sees it. */
async function profileAfter(ctx: HandlerContext, id: number) {
  const fresh = await refreshDerived(ctx.db, id)
  return toProfile(fresh, fresh.phones, fresh.needCount, viewerOf(requireSession(ctx)))
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

/** A merge moves the merged record's club points to the kept one by two ledger entries (the ledger is append-only). */
async function movePoints(ctx: HandlerContext, fromId: number, toId: number, at: string) {
  const points = await pointsBalance(ctx.db, fromId)
  if (points === 0) return
  const staffId = ctx.session?.staffId ?? null
  await award(ctx.db, { clientId: fromId, delta: -points, kind: 'manual', reason: hostTextOf('points.mergedOut', { clientId: toId }), ref: `merge-out:${fromId}:${toId}`, staffId, at })
  await award(ctx.db, { clientId: toId, delta: points, kind: 'manual', reason: hostTextOf('points.mergedIn', { clientId: fromId }), ref: `merge-in:${fromId}:${toId}`, staffId, at })
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

/** The clients domain: the book, search, 防撞单, merges, ownership (assign, hand over, lost and back). */
export const clientsHandlers: HandlersFactory<'clients'> = ({ phoneLookups, loop }) => {
  const gridTotals = new GridTotals()
  return {
    // answered at once when the event loop's read connection ran it (no promise turn: Dispatcher.answerAtOnce)
    'clients.search': ({ q, offset, limit }, ctx) => {
      const viewer = viewerOf(requireSession(ctx))
      const answer = (found: SearchOutcome) => {
        const whole = found.wholeNumber
        if (whole) chargeAndAudit(ctx, phoneLookups, viewer, 'search', [whole], 'after-answer')
        // other numbers the digits met (as a part of them), beside the whole number's holder
        if (found.phoneMatches.length > 0) auditDigitMatches(ctx, viewer, found.key, found.phoneMatches.filter((c) => c.id !== whole?.client?.id))
        return { hits: found.hits, total: found.total, totalExact: found.totalExact }
      }
      const found = searchClients(ctx.db, q, limit, viewer, offset, loop)
      return found instanceof Promise ? found.then(answer) : answer(found)
    },

    'clients.list': async (input, ctx) => {
      const viewer = viewerOf(requireSession(ctx))
      const search = input.filter.search === undefined ? null : await resolveSearch(ctx.db, input.filter.search, viewer)
      // a whole number's holder shows in the list as in search: charged and audited the same way
      if (search?.wholeNumber) chargeAndAudit(ctx, phoneLookups, viewer, 'list', [search.wholeNumber], 'after-answer')
      const page = await listClients(ctx.db, input, requireSession(ctx), ctx.clock.now(), gridTotals, search?.match ?? null)
      return { total: page.total, totalExact: page.totalExact, rows: page.rows.map((r) => toClientRow(r, viewer)) }
    },

    'clients.get': async ({ id }, ctx) => {
      const s = requireSession(ctx)
      const c = await mustFindClient(ctx.db, id)
      // admins keep the system; their reads of client data are on the record (DESIGN §1)
      if (s.role === 'admin') await ctx.audit('clients.get', `client:${id}`, {})
      const phones = await phonesOf(ctx.db, id)
      return toProfile(c, phones, await activeNeedCount(ctx.db, id), viewerOf(s))
    },

    'clients.create': async (input, ctx) => {
      const s = requireSession(ctx)
      refuseBadBirthDate(input.birthDate, ctx.clock.now())
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
      if (input.campaignId !== undefined) await linkableCampaign(ctx, input.campaignId, input.sourceChannel)
      const now = ctx.clock.now()
      const code = await nextClientCode(ctx.db)
      const id = await insertClient(ctx.db, {
          ...profileColumns(input),
          ...idNumberColumns(null, input, now),
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
      await replacePhones(ctx.db, id, phones)
      if (input.campaignId !== undefined) await linkClient(ctx.db, id, input.campaignId)
      ctx.auditTarget(`client:${id}`)
      // a new enquiry without an owner goes to the on-duty rota at once (when a roster is set)
      if (ownerId === null) await assignByRota(ctx, id, hostTextOf('assign.rota'))
      await evaluateClient(ctx, id)
      const profile = await profileAfter(ctx, id)
      await snapshot(ctx, id)
      return profile
    },

    'clients.update': async (input, ctx) => {
      const s = requireSession(ctx)
      const current = await mustFindClient(ctx.db, input.id)
      if (!mayEditClient(viewerOf(s), ownershipOf(current))) throw new ApiFailure('FORBIDDEN', 'you may not edit this client', 'id')
      refuseBadBirthDate(input.birthDate, ctx.clock.now())
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
      const cols = { ...profileColumns(fields), ...idNumberColumns(current, fields, ctx.clock.now()) }
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
      await updateClient(ctx.db, id, { ...cols, updated_at: nowIso }, version)
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
      if (!mayRevealPhones(viewerOf(s), ownershipOf(c))) throw new ApiFailure('FORBIDDEN', 'you may not see this client’s numbers', 'id')
      await ctx.audit('clients.revealPhones', `client:${id}`, { reason })
      const phones = await phonesOf(ctx.db, id)
      return { phones: phones.map((p) => ({ id: p.id, display: p.display, kind: p.kind, label: p.label, masked: false })), idNumber: c.id_number }
    },

    'clients.requestCollaboration': async ({ clientId, note }, ctx) => {
      const s = requireSession(ctx)
      const c = await mustFindClient(ctx.db, clientId, 'clientId')
      if (c.owner_id === s.staffId) throw new ApiFailure('CONFLICT', 'this client is already yours', 'clientId', 'own_client')
      if (c.owner_id === null) throw new ApiFailure('CONFLICT', 'this client is in the public pool: claim them instead', 'clientId', 'in_pool')
      if (clientAccess(viewerOf(s), ownershipOf(c)) === 'full') {
        throw new ApiFailure('FORBIDDEN', 'you already see this client in full', 'clientId', 'already_full_access')
      }
      if (await hasOpenCollaboration(ctx.db, clientId, s.staffId)) throw new ApiFailure('CONFLICT', 'you already asked; wait for the owner', 'clientId', 'request_open')
      const id = await insertCollaboration(ctx.db, { clientId, requesterId: s.staffId, ownerId: c.owner_id, note, at: ctx.clock.now().toISOString() })
      // the owner hears of it at once (and finds it in the 协作申请 inbox)
      await notify(ctx, [
        {
          staffId: c.owner_id,
          kind: 'collab',
          title: hostTextOf('notice.collabAsked'),
          body: hostTextOf('notice.collabAskedBody', { requester: s.name, client: c.name }),
          clientId,
          taskId: null,
        },
      ])
      ctx.auditTarget(`client:${clientId}`)
      return { id, status: 'open' as const }
    },

    'clients.merge': async ({ keepId, mergeId, reason }, ctx) => {
      const s = requireSession(ctx)
      if (keepId === mergeId) throw new ApiFailure('VALIDATION', 'choose two different clients', 'mergeId', 'same_client')
      const keep = await mustFindClient(ctx.db, keepId, 'keepId')
      const gone = await mustFindClient(ctx.db, mergeId, 'mergeId')
      const now = ctx.clock.now().toISOString()
      const { owner_name: _n, owner_phone: _p, owner_team: _t, collaborator_ids: _c, ...goneRow } = gone
      const gonePhones = await phonesOf(ctx.db, mergeId)
      await insertMergeRecord(ctx.db, { keptId: keepId, mergedId: mergeId, reason, snapshot: { ...goneRow, phones: gonePhones }, by: s.staffId, at: now })
      // the kept record's values win; its empty fields take the merged record's values
      const fill: Record<string, unknown> = {}
      for (const col of Object.values(FIELD_COLUMNS)) {
        if ((keep[col] === null || keep[col] === '[]') && gone[col] !== null) fill[col] = gone[col]
      }
      const last = [keep.last_follow_up_at, gone.last_follow_up_at].filter((x): x is string => x !== null).sort().pop() ?? null
      const keptPhones = await phonesOf(ctx.db, keepId)
      await moveContactData(ctx.db, mergeId, keepId, gonePhones.map((p) => p.id), keptPhones.length)
      await moveHistory(ctx.db, mergeId, keepId)
      await moveCards(ctx.db, mergeId, keepId, now)
      await movePoints(ctx, mergeId, keepId, now)
      await retireMerged(ctx.db, mergeId, keepId, now)
      await updateClient(ctx.db, keepId, { ...fill, last_follow_up_at: last, updated_at: now })
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

    'clients.assign': async ({ clientId, staffId, reason }, ctx) => {
      const s = requireSession(ctx)
      const c = await mustFindClient(ctx.db, clientId, 'clientId')
      if (c.owner_id !== null) throw new ApiFailure('CONFLICT', `already owned by ${c.owner_name}`, 'clientId', 'already_owned', { ownerName: c.owner_name ?? '' })
      if (staffId !== undefined) {
        if (s.role !== 'manager') throw new ApiFailure('FORBIDDEN', 'only a manager picks the agent; the desk uses the rota', 'staffId')
        await mustBeActiveAgent(ctx.db, staffId, 'staffId')
        await refuseOverCap(ctx.db, staffId, (await getRules(ctx.db)).ownerCap, 'staffId')
        await giveClient(ctx, clientId, staffId, hostTextOf('assign.typed', { reason }))
      } else if ((await assignByRota(ctx, clientId, hostTextOf('assign.typed', { reason }))) === null) {
        throw new ApiFailure('CONFLICT', 'nobody matching is on duty today; set the duty roster', 'clientId', 'no_one_on_duty')
      }
      ctx.auditTarget(`client:${clientId}`)
      await snapshot(ctx, clientId)
      return rowOf(ctx, clientId)
    },

    'clients.reassign': async ({ clientIds, toStaffId, reason, expectOwnerIds }, ctx) => {
      const to = await mustBeActiveAgent(ctx.db, toStaffId, 'toStaffId')
      const rules = await getRules(ctx.db)
      if ((await countOwnedClients(ctx.db, to.id)) + clientIds.length > rules.ownerCap) {
        throw new ApiFailure('LIMIT_REACHED', `${to.name} would exceed ${rules.ownerCap} clients`, 'toStaffId', 'owner_cap', { cap: rules.ownerCap })
      }
      if (expectOwnerIds !== undefined && expectOwnerIds.length !== clientIds.length) {
        throw new ApiFailure('VALIDATION', 'one expected owner per client', 'expectOwnerIds', 'owners_mismatch')
      }
      for (const [i, id] of clientIds.entries()) {
        const c = await mustFindClient(ctx.db, id, `clientIds.${i}`)
        // the screen showed another owner: someone moved the client meanwhile (a manager sees every owner)
        if (expectOwnerIds !== undefined && expectOwnerIds[i] !== c.owner_id) {
          throw new ApiFailure('STALE_WRITE', `${c.name} changed hands meanwhile`, `clientIds.${i}`, 'owner_changed', { client: c.name, owner: c.owner_name ?? '' })
        }
      }
      const at = ctx.clock.now().toISOString()
      await handOver(ctx.db, clientIds, to.id, at)
      await moveOpenTasks(ctx.db, clientIds, to.id)
      await insertAssignments(ctx.db, clientIds.map((id) => ({ clientId: id, staffId: to.id, reason: hostTextOf('assign.typed', { reason }), at })))
      ctx.auditTarget(`staff:${to.id}`)
      return { moved: clientIds.length }
    },

    'clients.markLost': async ({ id, reason, note }, ctx) => {
      const s = requireSession(ctx)
      const c = await mustFindClient(ctx.db, id)
      if (!mayEditClient(viewerOf(s), ownershipOf(c))) throw new ApiFailure('FORBIDDEN', 'you may not edit this client', 'id')
      if (c.stage === 'lost') throw new ApiFailure('CONFLICT', 'already marked lost', 'id', 'client_lost')
      const rules = await getRules(ctx.db)
      if (!rules.lostReasons.includes(reason)) throw new ApiFailure('VALIDATION', `choose a reason from the list`, 'reason', 'invalid_value')
      const at = ctx.clock.now().toISOString()
      await updateClient(ctx.db, id, { stage: 'lost', lost_from_stage: c.stage, lost_reason: reason, lost_at: at, stage_changed_at: at, updated_at: at })
      await cancelOpenTasksOfClients(ctx.db, [id], at)
      if (note) await insertFollowUp(ctx.db, { clientId: id, staffId: s.staffId, channel: 'note', content: note, text: hostTextOf('followup.lost', { reason }), at })
      ctx.auditTarget(`client:${id}`)
      await snapshot(ctx, id)
      return rowOf(ctx, id)
    },

    'clients.revive': async ({ id }, ctx) => {
      const s = requireSession(ctx)
      const c = await mustFindClient(ctx.db, id)
      if (c.stage !== 'lost') throw new ApiFailure('CONFLICT', 'this client is not lost', 'id', 'not_lost')
      if (c.owner_id !== null && !mayEditClient(viewerOf(s), ownershipOf(c))) {
        throw new ApiFailure('FORBIDDEN', 'you may not edit this client', 'id')
      }
      const at = ctx.clock.now().toISOString()
      await updateClient(ctx.db, id, { stage: c.lost_from_stage ?? 'intent', lost_reason: null, lost_at: null, lost_from_stage: null, stage_changed_at: at, last_activity_at: at, updated_at: at })
      if (c.owner_id === null && (s.role === 'agent' || s.role === 'senior_agent')) await giveClient(ctx, id, s.staffId, hostTextOf('assign.revive'))
      ctx.auditTarget(`client:${id}`)
      await snapshot(ctx, id)
      await evaluateClient(ctx, id)
      return rowOf(ctx, id)
    },
  }
}

