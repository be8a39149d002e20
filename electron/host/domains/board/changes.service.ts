import type { Selectable } from 'kysely'
import { ApiFailure } from '../../api/api-failure'
import type { DomainHandlers, HandlerContext } from '../../api/handler'
import type { ChangeRequestsTable } from '../../db/schema'
import { mustFindClient } from '../clients/clients.service'
import { addStep, heldBy, liveTx, mustFindUnit, unitChanged } from './unit-tx'

type Payload = Record<string, number | string>
type Comment = { by: string; at: string; text: string }

function me(ctx: HandlerContext) {
  if (!ctx.session) throw new ApiFailure('UNAUTHENTICATED', 'sign in first')
  return ctx.session
}

async function toRequest(ctx: HandlerContext, r: Selectable<ChangeRequestsTable>) {
  const names = await ctx.db.selectFrom('staff').select(['id', 'name']).where('id', 'in', [r.requested_by, r.decided_by ?? 0]).execute()
  const name = (id: number | null) => names.find((n) => n.id === id)?.name ?? null
  return {
    id: r.id,
    kind: r.kind as 'rename',
    unitId: r.unit_id,
    txId: r.tx_id,
    payload: JSON.parse(r.payload) as Payload,
    status: r.status as 'pending',
    requestedBy: name(r.requested_by) ?? '',
    decidedBy: name(r.decided_by),
    comments: JSON.parse(r.comments) as Comment[],
    createdAt: r.created_at,
    decidedAt: r.decided_at,
  }
}

async function mustFindRequest(ctx: HandlerContext, id: number) {
  const r = await ctx.db.selectFrom('change_requests').selectAll().where('id', '=', id).executeTakeFirst()
  if (!r) throw new ApiFailure('NOT_FOUND', `no change request ${id}`, 'id')
  return r
}

const int = (p: Payload, key: string) => {
  const v = p[key]
  if (typeof v !== 'number' || !Number.isInteger(v) || v <= 0) throw new ApiFailure('VALIDATION', `${key} is required`, `payload.${key}`, 'too_small')
  return v
}

/** Checks a request's payload against the unit as it is now; returns the live transaction it is about. */
async function checkRequest(ctx: HandlerContext, kind: string, unitId: number, payload: Payload) {
  await mustFindUnit(ctx.db, unitId)
  const tx = await liveTx(ctx.db, unitId, ctx.clock.now().toISOString())
  const needsDeal = kind !== 'price'
  if (needsDeal && (!tx || tx.client_id === null)) throw new ApiFailure('CONFLICT', 'this unit has no deal to change', 'unitId', 'no_deal')
  if (kind === 'rename') await mustFindClient(ctx.db, int(payload, 'clientId'), 'payload.clientId')
  if (kind === 'swap') {
    const to = int(payload, 'toUnitId')
    if (to === unitId) throw new ApiFailure('VALIDATION', 'swap into another unit', 'payload.toUnitId', 'same_unit')
    await mustFindUnit(ctx.db, to, 'payload.toUnitId')
  }
  if (kind === 'price') int(payload, 'listPrice')
  if (kind === 'discount') {
    const price = int(payload, 'price')
    if (tx && price >= tx.price) throw new ApiFailure('VALIDATION', 'a discount lowers the price', 'payload.price', 'not_a_discount')
  }
  return tx
}

/** Applies an approved change in the approval's own transaction: all of it or nothing. */
async function apply(ctx: HandlerContext, r: Selectable<ChangeRequestsTable>) {
  const s = me(ctx)
  const at = ctx.clock.now().toISOString()
  const payload = JSON.parse(r.payload) as Payload
  const unitId = r.unit_id!
  const tx = await liveTx(ctx.db, unitId, at)
  if (r.kind !== 'price' && (!tx || tx.id !== r.tx_id)) {
    throw new ApiFailure('CONFLICT', 'the deal on this unit changed since the request; ask again', 'id', 'deal_changed')
  }
  const todo = (kind: string, amount: number, note: string) =>
    ctx.db.insertInto('finance_todos').values({ kind, tx_id: tx?.id ?? null, change_id: r.id, amount, note, created_at: at }).execute()
  const paidOf = async (txId: number) =>
    Number((await ctx.db.selectFrom('payments').select((eb) => eb.fn.coalesce(eb.fn.sum<number>('amount'), eb.lit(0)).as('p')).where('tx_id', '=', txId).executeTakeFirstOrThrow()).p)
  const touched = [unitId]
  switch (r.kind) {
    case 'rename': {
      const client = await mustFindClient(ctx.db, int(payload, 'clientId'), 'payload.clientId')
      await ctx.db.updateTable('unit_transactions').set({ client_id: client.id, updated_at: at }).where('id', '=', tx!.id).execute()
      await addStep(ctx.db, tx!.id, 'renamed', null, `更名为 ${client.name}`, s.staffId, at)
      await todo('reinvoice', tx!.price, `更名：重开票据给 ${client.name}`)
      break
    }
    case 'swap': {
      const toUnit = await mustFindUnit(ctx.db, int(payload, 'toUnitId'), 'payload.toUnitId')
      const other = await liveTx(ctx.db, toUnit.id, at)
      if (other) throw heldBy(other)
      await ctx.db.updateTable('unit_transactions').set({ live: 0, closed_reason: 'swapped', closed_at: at, updated_at: at }).where('id', '=', tx!.id).execute()
      const moved = await ctx.db
        .insertInto('unit_transactions')
        .values({ unit_id: toUnit.id, client_id: tx!.client_id, agent_id: tx!.agent_id, status: tx!.status, price: toUnit.list_price, created_by: s.staffId, created_at: at, updated_at: at })
        .returning('id')
        .executeTakeFirstOrThrow()
      await ctx.db.updateTable('payments').set({ tx_id: moved.id }).where('tx_id', '=', tx!.id).execute()
      await addStep(ctx.db, tx!.id, 'swapped', null, `换房至 ${toUnit.number}`, s.staffId, at)
      await addStep(ctx.db, moved.id, tx!.status, toUnit.list_price, `由 ${unitId} 换入`, s.staffId, at)
      if (toUnit.list_price !== tx!.price) await todo('reinvoice', toUnit.list_price - tx!.price, `换房差价（${toUnit.number}）`)
      touched.push(toUnit.id)
      break
    }
    case 'cancel': {
      await ctx.db.updateTable('unit_transactions').set({ live: 0, closed_reason: 'cancelled', closed_at: at, updated_at: at }).where('id', '=', tx!.id).execute()
      await addStep(ctx.db, tx!.id, 'cancelled', null, '退房', s.staffId, at)
      const paid = await paidOf(tx!.id)
      if (paid > 0) await todo('refund', paid, '退房退款')
      break
    }
    case 'price': {
      await ctx.db.updateTable('units').set((eb) => ({ list_price: int(payload, 'listPrice'), version: eb('version', '+', 1) })).where('id', '=', unitId).execute()
      break
    }
    case 'discount': {
      const price = int(payload, 'price')
      if (price < (await paidOf(tx!.id))) throw new ApiFailure('VALIDATION', 'the price is below what was already paid', 'payload.price', 'below_paid')
      await ctx.db.updateTable('unit_transactions').set({ price, updated_at: at }).where('id', '=', tx!.id).execute()
      await addStep(ctx.db, tx!.id, 'discount', price, '折扣审批通过', s.staffId, at)
      await todo('reinvoice', tx!.price - price, '折扣：重开票据')
      break
    }
  }
  await unitChanged(ctx, touched)
}

export const changesHandlers: DomainHandlers<'changes.request' | 'changes.decide' | 'changes.resubmit' | 'changes.list'> = {
  'changes.request': async ({ kind, unitId, payload, comment }, ctx) => {
    const s = me(ctx)
    const tx = await checkRequest(ctx, kind, unitId, payload)
    if (tx && s.role !== 'manager' && tx.agent_id !== s.staffId && kind !== 'price') throw new ApiFailure('FORBIDDEN', `this deal belongs to ${tx.agent_name}`, 'unitId')
    const at = ctx.clock.now().toISOString()
    const open = await ctx.db.selectFrom('change_requests').select('id').where('unit_id', '=', unitId).where('status', '=', 'pending').executeTakeFirst()
    if (open) throw new ApiFailure('CONFLICT', 'this unit already has a pending request', 'unitId', 'request_pending', { id: open.id })
    const comments: Comment[] = comment ? [{ by: s.name, at, text: comment }] : []
    const r = await ctx.db
      .insertInto('change_requests')
      .values({ kind, unit_id: unitId, tx_id: tx?.id ?? null, payload: JSON.stringify(payload), requested_by: s.staffId, comments: JSON.stringify(comments), created_at: at })
      .returningAll()
      .executeTakeFirstOrThrow()
    ctx.auditTarget(`change:${r.id}`)
    return toRequest(ctx, r)
  },

  'changes.decide': async ({ id, approve, comment }, ctx) => {
    const s = me(ctx)
    const r = await mustFindRequest(ctx, id)
    if (r.status !== 'pending') throw new ApiFailure('CONFLICT', `this request is already ${r.status}`, 'id', 'not_pending')
    if (!approve && !comment) throw new ApiFailure('VALIDATION', 'say why it is rejected', 'comment', 'too_small')
    if (approve) await apply(ctx, r)
    const at = ctx.clock.now().toISOString()
    const comments = [...(JSON.parse(r.comments) as Comment[]), ...(comment ? [{ by: s.name, at, text: comment }] : [])]
    const updated = await ctx.db
      .updateTable('change_requests')
      .set({ status: approve ? 'approved' : 'rejected', decided_by: s.staffId, decided_at: at, comments: JSON.stringify(comments) })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow()
    ctx.auditTarget(`change:${id}`)
    return toRequest(ctx, updated)
  },

  'changes.resubmit': async ({ id, payload, comment }, ctx) => {
    const s = me(ctx)
    const r = await mustFindRequest(ctx, id)
    if (r.requested_by !== s.staffId) throw new ApiFailure('FORBIDDEN', 'only the requester resubmits', 'id')
    if (r.status !== 'rejected') throw new ApiFailure('CONFLICT', 'only a rejected request is resubmitted', 'id', 'not_rejected')
    const tx = await checkRequest(ctx, r.kind, r.unit_id!, payload)
    const at = ctx.clock.now().toISOString()
    const comments = [...(JSON.parse(r.comments) as Comment[]), ...(comment ? [{ by: s.name, at, text: comment }] : [])]
    const updated = await ctx.db
      .updateTable('change_requests')
      .set({ status: 'pending', payload: JSON.stringify(payload), tx_id: tx?.id ?? null, decided_by: null, decided_at: null, comments: JSON.stringify(comments) })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow()
    ctx.auditTarget(`change:${id}`)
    return toRequest(ctx, updated)
  },

  'changes.list': async ({ status, unitId }, ctx) => {
    let q = ctx.db.selectFrom('change_requests').selectAll()
    if (status) q = q.where('status', '=', status)
    if (unitId) q = q.where('unit_id', '=', unitId)
    const rows = await q.orderBy('id', 'desc').limit(500).execute()
    const out = []
    for (const r of rows) out.push(await toRequest(ctx, r))
    return { requests: out }
  },
}
