import type { z } from 'zod'
import type { CaseEnterInput, DealCase } from '@shared/contract/cases'
import { branchDay } from '@shared/domain/rules'
import { ApiFailure } from '../../api/api-failure'
import type { HandlerContext, HandlersOf } from '../../api/handler'
import { requireSession } from '../../api/require-session'
import {
  enteredCaseRecord,
  findEnteredCase,
  insertEnteredCase,
  searchCases,
  updateEnteredCase,
  withdrawEnteredCase,
  type DealCaseRecord,
  type EnteredCaseValues,
} from './cases.repository'

function toCase(r: DealCaseRecord): DealCase {
  return {
    source: r.source,
    id: r.id,
    project: r.project,
    community: r.community,
    district: r.district,
    building: r.building,
    floor: r.floor,
    layout: r.layout,
    area: r.area,
    orientation: r.orientation,
    listPrice: r.list_price,
    price: r.price,
    unitPrice: r.area > 0 ? Math.round((r.price * 100) / r.area) : 0,
    signedOn: r.signed_on ?? branchDay(new Date(r.signed_at)),
    status: r.status,
    memberDiscount: r.member_discount,
    instalments: r.instalments,
    terms: r.terms,
    note: r.note,
    version: r.version,
  }
}

/** A typed case's fields as stored, refused when signed after the branch's today. */
function valuesOf(input: z.output<typeof CaseEnterInput>, ctx: HandlerContext): EnteredCaseValues {
  if (input.signedOn > branchDay(ctx.clock.now())) throw new ApiFailure('VALIDATION', 'the signing day is after today', 'signedOn', 'in_future')
  const orNull = (v: string | undefined) => (v === undefined || v === '' ? null : v)
  return {
    project: input.project,
    community: orNull(input.community),
    district: orNull(input.district),
    layout: orNull(input.layout),
    area: input.area,
    floor: input.floor ?? null,
    price: input.price,
    signed_on: input.signedOn,
    terms: orNull(input.terms),
    note: orNull(input.note),
  }
}

/** The live typed case `id` at `version`, or the failure that says why not. */
async function liveEnteredCase(ctx: HandlerContext, id: number, version: number) {
  const row = await findEnteredCase(ctx.db, id)
  if (!row) throw new ApiFailure('NOT_FOUND', 'no such entered case', 'id')
  if (row.withdrawn_at !== null) throw new ApiFailure('CONFLICT', 'this case is already withdrawn', 'id', 'case_withdrawn')
  if (row.version !== version) throw new ApiFailure('STALE_WRITE', 'this case changed meanwhile', 'version', 'stale')
  return row
}

/** The case `id` as the library shows it, after a write. */
async function shownCase(ctx: HandlerContext, id: number): Promise<DealCase> {
  const r = await enteredCaseRecord(ctx.db, id)
  if (!r) throw new ApiFailure('INTERNAL', 'the case was not stored')
  return toCase(r)
}

/**
 * 成交案例 (issue #20): the branch's closed deals as cases anyone serving clients may quote, the
 * parties left out, and cases the manager or a senior agent typed in (录入案例).
 */
export const casesHandlers: HandlersOf<'cases'> = {
  'cases.search': async (input, ctx) => {
    const page = await searchCases(ctx.db, input)
    return { rows: page.rows.map(toCase), total: page.total }
  },

  'cases.enter': async (input, ctx) => {
    const s = requireSession(ctx)
    const id = await insertEnteredCase(ctx.db, valuesOf(input, ctx), s.staffId, ctx.clock.now().toISOString())
    ctx.auditTarget(`entered_case:${id}`)
    return { case: await shownCase(ctx, id) }
  },

  'cases.edit': async (input, ctx) => {
    requireSession(ctx)
    const values = valuesOf(input, ctx)
    await liveEnteredCase(ctx, input.id, input.version)
    if (!(await updateEnteredCase(ctx.db, input.id, input.version, values))) throw new ApiFailure('STALE_WRITE', 'this case changed meanwhile', 'version', 'stale')
    ctx.auditTarget(`entered_case:${input.id}`)
    return { case: await shownCase(ctx, input.id) }
  },

  'cases.withdraw': async ({ id, version }, ctx) => {
    requireSession(ctx)
    await liveEnteredCase(ctx, id, version)
    if (!(await withdrawEnteredCase(ctx.db, id, version, ctx.clock.now().toISOString()))) throw new ApiFailure('STALE_WRITE', 'this case changed meanwhile', 'version', 'stale')
    ctx.auditTarget(`entered_case:${id}`)
    return { ok: true as const }
  },
}
