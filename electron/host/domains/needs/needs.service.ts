import type { Selectable } from 'kysely'
import { checkRanges, RequirementData, type RequirementData as RequirementDataT } from '@shared/contract/needs'
import { validationFailure } from '../../api/dispatcher'
import { clientAccess, mayEditClient } from '@shared/domain/client-access'
import { ApiFailure } from '../../api/api-failure'
import type { DomainHandlers, HandlerContext } from '../../api/handler'
import { requireSession } from '../../api/require-session'
import type { RequirementsTable } from '../../db/schema'
import { refreshDerived } from '../clients/client-derived'
import { viewerOf } from '../clients/client-shape'
import { mustFindClient } from '../clients/clients.service'
import { evaluateClient } from '../../scheduler/evaluate-client'

function toRequirement(r: Selectable<RequirementsTable>) {
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
  const own = { ownerId: c.owner_id, ownerTeam: c.owner_team }
  const allowed = write ? mayEditClient(viewerOf(s), own) : clientAccess(viewerOf(s), own) === 'full'
  if (!allowed) throw new ApiFailure('FORBIDDEN', 'you may not see this client’s needs', 'clientId')
  return c
}

async function mustFindNeed(ctx: HandlerContext, id: number) {
  const r = await ctx.db.selectFrom('requirements').selectAll().where('id', '=', id).executeTakeFirst()
  if (!r) throw new ApiFailure('NOT_FOUND', `no requirement with id ${id}`, 'id')
  return r
}

export const needsHandlers: DomainHandlers<'needs.list' | 'needs.create' | 'needs.update' | 'needs.history'> = {
  'needs.list': async ({ clientId, includeInactive }, ctx) => {
    await clientFor(ctx, clientId, false)
    let q = ctx.db.selectFrom('requirements').selectAll().where('client_id', '=', clientId)
    if (!includeInactive) q = q.where('active', '=', 1)
    return { needs: (await q.orderBy('id').execute()).map(toRequirement) }
  },

  'needs.create': async ({ clientId, ...data }, ctx) => {
    await clientFor(ctx, clientId, true)
    const now = ctx.clock.now().toISOString()
    const row = await ctx.db
      .insertInto('requirements')
      .values({ client_id: clientId, kind: data.kind, active: 1, data: JSON.stringify(data), created_by: ctx.session?.staffId ?? null, created_at: now, updated_at: now })
      .returningAll()
      .executeTakeFirstOrThrow()
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
    await ctx.db
      .insertInto('requirement_history')
      .values({ requirement_id: id, version: current.version, data: current.data, changed_by: ctx.session?.staffId ?? null, changed_at: current.updated_at })
      .execute()
    const row = await ctx.db
      .updateTable('requirements')
      .set({
        data: JSON.stringify(merged.data),
        kind: merged.data.kind,
        active: active === undefined ? current.active : active ? 1 : 0,
        updated_at: now,
        version: version + 1,
      })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow()
    await refreshDerived(ctx.db, current.client_id)
    await evaluateClient(ctx, current.client_id)
    ctx.auditTarget(`client:${current.client_id}`)
    return toRequirement(row)
  },

  'needs.history': async ({ id }, ctx) => {
    const current = await mustFindNeed(ctx, id)
    await clientFor(ctx, current.client_id, false)
    const rows = await ctx.db
      .selectFrom('requirement_history as h')
      .leftJoin('staff as s', 's.id', 'h.changed_by')
      .select(['h.version', 'h.data', 'h.changed_at', 's.name'])
      .where('h.requirement_id', '=', id)
      .orderBy('h.version', 'desc')
      .execute()
    const editor = await ctx.db.selectFrom('staff').select('name').where('id', '=', current.created_by ?? 0).executeTakeFirst()
    return {
      versions: [
        { version: current.version, data: JSON.parse(current.data) as RequirementDataT, changedBy: editor?.name ?? null, changedAt: current.updated_at },
        ...rows.map((r) => ({ version: r.version, data: JSON.parse(r.data) as RequirementDataT, changedBy: r.name, changedAt: r.changed_at })),
      ],
    }
  },
}
