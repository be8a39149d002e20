import type { z } from 'zod'
import { ChangeBefore, ChangeRequestInput, type BulkPriceItemStored, type ChangeRequest } from '@shared/contract/changes'
import type { HostText } from '@shared/contract/host-text'
import { planFor } from '@shared/domain/approval-steps'
import { hostTextAbout, hostTextOf } from '@shared/domain/host-text-keys'
import { ApiFailure } from '../../api/api-failure'
import { validationFailure } from '../../api/dispatcher'
import type { HandlersOf, HandlerContext } from '../../api/handler'
import { requireSession } from '../../api/require-session'
import { mustHaveFullAccess } from '../clients/client-guards'
import { mustFindClient } from '../clients/client-lookup'
import { insertFinanceTodo } from '../finance/finance.repository'
import { notify } from '../notifications/notice'
import { movePayments, paidOn } from '../payments/payments.repository'
import { getApprovalSteps, saveApprovalSteps } from '../settings/approval-steps.repository'
import { unitLabel } from '../units/unit-shape'
import { heldBy, mustFindUnit, unitChanged } from '../units/unit-tx'
import { addStep, closeTx, insertTx, liveTx, projectOfUnit, setListPrice, updateTx } from '../units/units.repository'
import { applyBulkPrice, checkBulkPrice } from './bulk-price'
import { mayDecide, recordDecision, trailsOf } from './change-approval'
import { activeStaffOfRole, clientNames, findRequest, insertRequest, listRequests, pendingOn, staffNames, unitNames, updateRequest, type ChangeRecord } from './changes.repository'

type Row = ChangeRecord
type Change = z.output<typeof ChangeRequestInput>
type UnitChange = Exclude<Change, { kind: 'bulkPrice' }>
/** What the requester is told of a decision: the kind of change, on which unit, by whom, and the comment if any. */
function decisionBody(kind: Change['kind'], unit: string | null, by: string, comment: string | undefined): HostText {
  const what = hostTextOf(`change.${kind}`)
  if (unit !== null) {
    return comment ? hostTextAbout('notice.changeDecidedOnUnitComment', { unit, by, comment }, what) : hostTextAbout('notice.changeDecidedOnUnit', { unit, by }, what)
  }
  return comment ? hostTextAbout('notice.changeDecidedComment', { by, comment }, what) : hostTextAbout('notice.changeDecided', { by }, what)
}

type Comment = { by: string; at: string; text: string }

/**
 * Tells whoever may decide the request's current step that it waits for them (pushed, so the
 * approver's count and toast show at once): active staff of the step's role, never the requester
 * nor anyone who decided an earlier step of this round (they may not decide another).
 */
async function tellDeciders(ctx: HandlerContext, r: z.output<typeof ChangeRequest>): Promise<void> {
  const step = r.currentStep === null ? undefined : r.steps[r.currentStep]
  if (r.status !== 'pending' || !step) return
  const decided = new Set(r.steps.map((x) => x.byId))
  const to = (await activeStaffOfRole(ctx.db, step.role)).filter((id) => id !== r.requestedById && !decided.has(id))
  const what = hostTextOf(`change.${r.kind}`)
  const body = r.labels.unit !== null ? hostTextAbout('notice.changeWaitingOnUnit', { unit: r.labels.unit, by: r.requestedBy }, what) : hostTextAbout('notice.changeWaitingBody', { by: r.requestedBy }, what)
  await notify(
    ctx,
    to.map((staffId) => ({ staffId, kind: 'change', title: hostTextOf('notice.changeWaiting'), body, clientId: null, taskId: null })),
  )
}

/** Requests as the API shows them, with their approval steps (a few queries for any number of rows). */
async function toRequests(ctx: HandlerContext, rows: readonly Row[]) {
  const ids = [...new Set(rows.flatMap((r) => [r.requested_by, r.decided_by ?? 0]))]
  const names = await staffNames(ctx.db, ids)
  const name = (id: number | null) => names.find((n) => n.id === id)?.name ?? null
  const trails = await trailsOf(ctx, rows)
  const num = (v: unknown) => (typeof v === 'number' ? v : null)
  // each payload parsed once, with the ids its labels name
  const parsed = new Map(
    rows.map((r) => {
      const payload = JSON.parse(r.payload) as Record<string, unknown>
      return [r.id, { payload, toUnitId: num(payload.toUnitId), clientId: num(payload.clientId) }]
    }),
  )
  const known = (v: number | null): v is number => v !== null
  const unitIds = [...new Set(rows.flatMap((r) => [r.unit_id, parsed.get(r.id)!.toUnitId]).filter(known))]
  const clientIds = [...new Set(rows.map((r) => parsed.get(r.id)!.clientId).filter(known))]
  const unitLabels = new Map((await unitNames(ctx.db, unitIds)).map((u) => [u.id, unitLabel(u.name, u.number)]))
  const buyers = new Map((await clientNames(ctx.db, clientIds)).map((c) => [c.id, c.name]))
  const labelOf = <T,>(map: Map<number, T>, id: number | null) => (id === null ? null : (map.get(id) ?? null))
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind as Change['kind'],
    unitId: r.unit_id,
    projectId: r.project_id,
    txId: r.tx_id,
    payload: parsed.get(r.id)!.payload,
    status: r.status as 'pending',
    requestedBy: name(r.requested_by) ?? '',
    requestedById: r.requested_by,
    decidedBy: name(r.decided_by),
    comments: JSON.parse(r.comments) as Comment[],
    createdAt: r.created_at,
    decidedAt: r.decided_at,
    steps: trails.get(r.id) ?? [],
    currentStep: r.status === 'pending' ? r.step : null,
    round: r.round,
    labels: {
      unit: labelOf(unitLabels, r.unit_id),
      toUnit: labelOf(unitLabels, parsed.get(r.id)!.toUnitId),
      client: labelOf(buyers, parsed.get(r.id)!.clientId),
    },
    before: r.before === null ? null : ChangeBefore.parse(JSON.parse(r.before)),
  }))
}

async function toRequest(ctx: HandlerContext, r: Row) {
  return (await toRequests(ctx, [r]))[0]!
}

async function mustFindRequest(ctx: HandlerContext, id: number) {
  const r = await findRequest(ctx.db, id)
  if (!r) throw new ApiFailure('NOT_FOUND', `no change request ${id}`, 'id')
  return r
}

/** Checks a one-unit change against the unit as it is now; returns the live transaction it is about. */
async function checkUnitChange(ctx: HandlerContext, c: UnitChange) {
  const s = requireSession(ctx)
  await mustFindUnit(ctx.db, c.unitId)
  const tx = await liveTx(ctx.db, c.unitId, ctx.clock.now().toISOString())
  if (c.kind !== 'price' && (!tx || tx.client_id === null)) throw new ApiFailure('CONFLICT', 'this unit has no deal to change', 'unitId', 'no_deal')
  if (tx && s.role !== 'manager' && tx.agent_id !== s.staffId && c.kind !== 'price') throw new ApiFailure('FORBIDDEN', `this deal belongs to ${tx.agent_name}`, 'unitId')
  // a change to a deal is asked by someone who works its buyer in full, and a new buyer (更名) likewise
  if (c.kind !== 'price' && tx?.client_id != null) mustHaveFullAccess(s, await mustFindClient(ctx.db, tx.client_id, 'unitId'), 'unitId')
  if (c.kind === 'rename') mustHaveFullAccess(s, await mustFindClient(ctx.db, c.payload.clientId, 'payload.clientId'), 'payload.clientId')
  if (c.kind === 'swap') {
    if (c.payload.toUnitId === c.unitId) throw new ApiFailure('VALIDATION', 'swap into another unit', 'payload.toUnitId', 'same_unit')
    await mustFindUnit(ctx.db, c.payload.toUnitId, 'payload.toUnitId')
  }
  if (c.kind === 'discount' && tx && c.payload.price >= tx.price) throw new ApiFailure('VALIDATION', 'a discount lowers the price', 'payload.price', 'not_a_discount')
  return tx
}

/** The unit and its deal as they are now: what a one-unit request keeps as its "before". */
async function beforeOf(ctx: HandlerContext, unitId: number, deal: { price: number; clientId: number | null } | null): Promise<ChangeBefore> {
  const unit = await mustFindUnit(ctx.db, unitId)
  const [named] = await unitNames(ctx.db, [unitId])
  const [buyer] = deal?.clientId != null ? await clientNames(ctx.db, [deal.clientId]) : []
  return {
    unit: named ? unitLabel(named.name, named.number) : unit.number,
    listPrice: unit.list_price,
    price: deal && deal.clientId !== null ? deal.price : null,
    client: buyer?.name ?? null,
  }
}

/** Checks a change and returns what is stored of it; refuses a second pending request on the same unit, or bulk change of the same project. */
async function prepareChange(ctx: HandlerContext, c: Change, self: number | null) {
  let stored: { unitId: number | null; projectId: number; txId: number | null; payload: unknown; before: ChangeBefore | null }
  if (c.kind === 'bulkPrice') {
    const bulk = await checkBulkPrice(ctx, c.payload.items)
    stored = { unitId: null, projectId: bulk.projectId, txId: null, payload: { items: bulk.items }, before: null }
  } else {
    const tx = await checkUnitChange(ctx, c)
    const before = await beforeOf(ctx, c.unitId, tx ? { price: tx.price, clientId: tx.client_id } : null)
    stored = { unitId: c.unitId, projectId: (await projectOfUnit(ctx.db, c.unitId))!, txId: tx?.id ?? null, payload: c.payload, before }
  }
  const other = await pendingOn(ctx.db, stored, self)
  // the other request may be someone else's, which the caller may not read: the refusal does not point at it
  if (other && stored.unitId !== null) throw new ApiFailure('CONFLICT', 'this unit already has a pending request', 'unitId', 'request_pending')
  if (other) throw new ApiFailure('CONFLICT', 'this project already has a pending bulk price change', 'payload.items', 'bulk_pending')
  return stored
}

/** Applies an approved change in the approval's own transaction: all of it or nothing. */
async function apply(ctx: HandlerContext, r: Row) {
  const s = requireSession(ctx)
  const at = ctx.clock.now().toISOString()
  if (r.kind === 'bulkPrice') {
    const { items } = JSON.parse(r.payload) as { items: BulkPriceItemStored[] }
    await unitChanged(ctx, await applyBulkPrice(ctx, items))
    return
  }
  const c = { kind: r.kind, unitId: r.unit_id!, payload: JSON.parse(r.payload) as unknown } as UnitChange
  const unitId = c.unitId
  const tx = await liveTx(ctx.db, unitId, at)
  if (c.kind !== 'price' && (!tx || tx.id !== r.tx_id)) {
    throw new ApiFailure('CONFLICT', 'the deal on this unit changed since the request; ask again', 'id', 'deal_changed')
  }
  const todo = (kind: 'refund' | 'reinvoice', amount: number, note: HostText) => insertFinanceTodo(ctx.db, { kind, txId: tx?.id ?? null, changeId: r.id, amount, note, at })
  const touched = [unitId]
  switch (c.kind) {
    case 'rename': {
      const client = await mustFindClient(ctx.db, c.payload.clientId, 'payload.clientId')
      await updateTx(ctx.db, tx!.id, { clientId: client.id }, at)
      await addStep(ctx.db, tx!.id, 'renamed', null, hostTextOf('step.renamed', { client: client.name }), s.staffId, at)
      await todo('reinvoice', tx!.price, hostTextOf('finance.renameReinvoice', { client: client.name }))
      break
    }
    case 'swap': {
      const toUnit = await mustFindUnit(ctx.db, c.payload.toUnitId, 'payload.toUnitId')
      const other = await liveTx(ctx.db, toUnit.id, at)
      if (other) throw heldBy(other)
      await closeTx(ctx.db, tx!.id, 'swapped', at)
      const moved = await insertTx(ctx.db, { unit_id: toUnit.id, client_id: tx!.client_id, agent_id: tx!.agent_id, status: tx!.status, price: toUnit.list_price, created_by: s.staffId, created_at: at, updated_at: at })
      await movePayments(ctx.db, tx!.id, moved)
      await addStep(ctx.db, tx!.id, 'swapped', null, hostTextOf('step.swappedTo', { unit: toUnit.number }), s.staffId, at)
      await addStep(ctx.db, moved, tx!.status, toUnit.list_price, hostTextOf('step.swappedFrom', { unitId }), s.staffId, at)
      if (toUnit.list_price !== tx!.price) await todo('reinvoice', toUnit.list_price - tx!.price, hostTextOf('finance.swapDifference', { unit: toUnit.number }))
      touched.push(toUnit.id)
      break
    }
    case 'cancel': {
      await closeTx(ctx.db, tx!.id, 'cancelled', at)
      await addStep(ctx.db, tx!.id, 'cancelled', null, hostTextOf('step.cancelled'), s.staffId, at)
      const paid = await paidOn(ctx.db, tx!.id)
      if (paid > 0) await todo('refund', paid, hostTextOf('finance.cancelRefund'))
      break
    }
    case 'price': {
      await setListPrice(ctx.db, unitId, c.payload.listPrice)
      break
    }
    case 'discount': {
      const price = c.payload.price
      if (price < (await paidOn(ctx.db, tx!.id))) throw new ApiFailure('VALIDATION', 'the price is below what was already paid', 'payload.price', 'below_paid')
      await updateTx(ctx.db, tx!.id, { price }, at)
      await addStep(ctx.db, tx!.id, 'discount', price, hostTextOf('step.discountApproved'), s.staffId, at)
      await todo('reinvoice', tx!.price - price, hostTextOf('finance.discountReinvoice'))
      break
    }
  }
  await unitChanged(ctx, touched)
}

/** Change requests (更名, 换房, 退房, price, discount, 批量调价) through their approval steps, applied atomically when approved. */
export const changesHandlers: HandlersOf<'changes'> = {
  'changes.request': async (c, ctx) => {
    const s = requireSession(ctx)
    const stored = await prepareChange(ctx, c, null)
    const at = ctx.clock.now().toISOString()
    const steps = planFor((await getApprovalSteps(ctx.db))[c.kind], s.role)
    const comments: Comment[] = c.comment ? [{ by: s.name, at, text: c.comment }] : []
    const r = await insertRequest(ctx.db, {
      kind: c.kind,
      unit_id: stored.unitId,
      project_id: stored.projectId,
      tx_id: stored.txId,
      payload: JSON.stringify(stored.payload),
      before: stored.before === null ? null : JSON.stringify(stored.before),
      steps: JSON.stringify(steps),
      requested_by: s.staffId,
      comments: JSON.stringify(comments),
      created_at: at,
    })
    ctx.auditTarget(`change:${r.id}`)
    const result = await toRequest(ctx, r)
    await tellDeciders(ctx, result)
    return result
  },

  'changes.decide': async ({ id, approve, comment }, ctx) => {
    const s = requireSession(ctx)
    const r = await mustFindRequest(ctx, id)
    if (r.status !== 'pending') throw new ApiFailure('CONFLICT', `this request is already ${r.status}`, 'id', 'not_pending')
    const { role, of, last } = await mayDecide(ctx, r, s)
    if (!approve && !comment) throw new ApiFailure('VALIDATION', 'say why it is rejected', 'comment', 'too_small')
    if (approve && last) await apply(ctx, r)
    const at = ctx.clock.now().toISOString()
    await recordDecision(ctx, r, { staffId: s.staffId, role, approve, comment: comment ?? null, at })
    const done = !approve || last
    const comments = [...(JSON.parse(r.comments) as Comment[]), ...(comment ? [{ by: s.name, at, text: comment }] : [])]
    const updated = await updateRequest(ctx.db, id, {
      status: !approve ? 'rejected' : last ? 'approved' : 'pending',
      step: done ? r.step : r.step + 1,
      decided_by: done ? s.staffId : null,
      decided_at: done ? at : null,
      comments: JSON.stringify(comments),
    })
    await ctx.audit('changes.step', `change:${id}`, { round: r.round, step: r.step + 1, of, role, approve, applied: approve && last })
    ctx.auditTarget(`change:${id}`)
    const result = await toRequest(ctx, updated)
    // the requester hears the outcome at once (pushed), not only when they reopen the unit
    if (done && r.requested_by !== s.staffId) {
      const title = hostTextOf(approve ? 'notice.changeApproved' : 'notice.changeRejected')
      await notify(ctx, [{ staffId: r.requested_by, kind: 'change', title, body: decisionBody(result.kind, result.labels.unit, s.name, comment), clientId: null, taskId: null }])
    }
    if (!done) await tellDeciders(ctx, result)
    return result
  },

  'changes.resubmit': async ({ id, payload, comment }, ctx) => {
    const s = requireSession(ctx)
    const r = await mustFindRequest(ctx, id)
    if (r.requested_by !== s.staffId) throw new ApiFailure('FORBIDDEN', 'only the requester resubmits', 'id')
    if (r.status !== 'rejected') throw new ApiFailure('CONFLICT', 'only a rejected request is resubmitted', 'id', 'not_rejected')
    // inputs are strict: a 批量调价 has no unitId key at all
    const parsed = ChangeRequestInput.safeParse({ kind: r.kind, ...(r.unit_id === null ? {} : { unitId: r.unit_id }), payload })
    if (!parsed.success) throw validationFailure(parsed.error)
    const stored = await prepareChange(ctx, parsed.data, r.id)
    const at = ctx.clock.now().toISOString()
    const steps = planFor((await getApprovalSteps(ctx.db))[parsed.data.kind], s.role)
    const comments = [...(JSON.parse(r.comments) as Comment[]), ...(comment ? [{ by: s.name, at, text: comment }] : [])]
    const updated = await updateRequest(ctx.db, id, {
      status: 'pending',
      payload: JSON.stringify(stored.payload),
      before: stored.before === null ? null : JSON.stringify(stored.before),
      project_id: stored.projectId,
      tx_id: stored.txId,
      steps: JSON.stringify(steps),
      step: 0,
      round: r.round + 1,
      decided_by: null,
      decided_at: null,
      comments: JSON.stringify(comments),
    })
    ctx.auditTarget(`change:${id}`)
    const result = await toRequest(ctx, updated)
    await tellDeciders(ctx, result)
    return result
  },

  'changes.list': async ({ status, unitId, projectId }, ctx) => {
    const s = requireSession(ctx)
    // a request shows a deal (its buyer, price, discount): managers and admins see every one; others
    // their own, those on their deals, and those a step of their role decides
    const rows = await listRequests(ctx.db, { status, unitId, projectId }, s.role !== 'manager' && s.role !== 'admin' ? s : null)
    return { requests: await toRequests(ctx, rows) }
  },

  'changes.getSteps': async (_input, ctx) => ({ steps: await getApprovalSteps(ctx.db) }),

  'changes.setSteps': async ({ kind, steps }, ctx) => {
    const next = { ...(await getApprovalSteps(ctx.db)), [kind]: steps }
    await saveApprovalSteps(ctx.db, next, ctx.clock.now().toISOString())
    ctx.auditTarget('settings:approvalSteps')
    return { steps: next }
  },
}
