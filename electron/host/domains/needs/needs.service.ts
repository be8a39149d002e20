import { checkRanges, RequirementData, type RequirementData as RequirementDataT } from '@shared/contract/needs'
import { validationFailure } from '../../api/dispatcher'
import { clientAccess, mayEditClient } from '@shared/domain/client-access'
import { ApiFailure } from '../../api/api-failure'
import type { HandlersOf, HandlerContext } from '../../api/handler'
import { requireSession } from '../../api/require-session'
import { evaluateClient } from '../followups/rules/evaluate'
import { refreshDerived } from '../clients/client-derived'
import { mustFindClient } from '../clients/client-lookup'
import { ownershipOf, viewerOf } from '../clients/client-shape'
import { findStaffById } from '../staff/staff.repository'
import { findNeed, insertNeed, needHistory, needsOf, updateNeed, type RequirementRecord } from './needs.repository'

function toRequirement(r: RequirementRecord) {
  return {
    ...(JSON.parse(r.data) as RequirementDataT),
    id: r.id,
    clientId: r.client_id,
    active: r.active === 1,
    version: r.version,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  }
}

/** Needs follow the client's access: full access to read, edit rights to write. */
async function clientFor(ctx: HandlerContext, clientId: number, write: boolean) {
  const s = requireSession(ctx)
  const c = await mustFindClient(ctx.db, clientId, 'clientId')
  const own = ownershipOf(c)
  const allowed = write ? mayEditClient(viewerOf(s), own) : clientAccess(viewerOf(s), own) === 'full'
  if (!allowed) throw new ApiFailure('FORBIDDEN', 'you may not see this client’s needs', 'clientId')
  return c
}

async function mustFindNeed(ctx: HandlerContext, id: number) {
  const r = await findNeed(ctx.db, id)
  if (!r) throw new ApiFailure('NOT_FOUND', `no requirement with id ${id}`, 'id')
  return r
}

/** A client's needs (residential and commercial), versioned: matching and completeness read them. */
export const needsHandlers: HandlersOf<'needs'> = {
  'needs.list': async ({ clientId, includeInactive }, ctx) => {
    await clientFor(ctx, clientId, false)
    return { needs: (await needsOf(ctx.db, clientId, includeInactive)).map(toRequirement) }
  },

  'needs.create': async ({ clientId, ...data }, ctx) => {
    await clientFor(ctx, clientId, true)
    const now = ctx.clock.now().toISOString()
    const row = await insertNeed(ctx.db, { clientId, kind: data.kind, data: JSON.stringify(data), by: ctx.session?.staffId ?? null, at: now })
    await refreshDerived(ctx.db, clientId)
    await evaluateClient(ctx, clientId)
    ctx.auditTarget(`client:${clientId}`)
    return toRequirement(row)
  },

  'needs.update': async ({ id, version, active, ...changes }, ctx) => {
    const current = await mustFindNeed(ctx, id)
    await clientFor(ctx, current.client_id, true)
    if (current.version !== version) throw new ApiFailure('STALE_WRITE', 'someone changed this requirement meanwhile', 'version', 'stale')
    const before = JSON.parse(current.data) as RequirementDataT
    // the merged result must still be a valid requirement (ranges across old and new values)
    const merged = RequirementData.superRefine(checkRanges).safeParse({ ...before, ...changes })
    if (!merged.success) throw validationFailure(merged.error)
    const now = ctx.clock.now().toISOString()
    const row = await updateNeed(ctx.db, current, {
      data: JSON.stringify(merged.data),
      kind: merged.data.kind,
      active: active === undefined ? current.active : active ? 1 : 0,
      by: ctx.session?.staffId ?? null,
      at: now,
    })
    await refreshDerived(ctx.db, current.client_id)
    await evaluateClient(ctx, current.client_id)
    ctx.auditTarget(`client:${current.client_id}`)
    return toRequirement(row)
  },

  'needs.history': async ({ id }, ctx) => {
    const current = await mustFindNeed(ctx, id)
    await clientFor(ctx, current.client_id, false)
    const rows = await needHistory(ctx.db, id)
    const editor = await findStaffById(ctx.db, current.created_by ?? 0)
    return {
      versions: [
        { version: current.version, data: JSON.parse(current.data) as RequirementDataT, changedBy: editor?.name ?? null, changedAt: current.updated_at },
        ...rows.map((r) => ({ version: r.version, data: JSON.parse(r.data) as RequirementDataT, changedBy: r.name, changedAt: r.changed_at })),
      ],
    }
  },
}
