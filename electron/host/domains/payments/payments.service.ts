import { seesDeal } from '@shared/domain/client-access'
import { hostTextOf } from '@shared/domain/host-text-keys'
import { HOUR_MS } from '@shared/domain/rules'
import { ApiFailure } from '../../api/api-failure'
import type { HandlersOf } from '../../api/handler'
import { requireSession } from '../../api/require-session'
import { mustHaveFullAccess } from '../clients/client-guards'
import { mustFindClient } from '../clients/client-lookup'
import { viewerOf } from '../clients/client-shape'
import { unitLabel } from '../units/unit-shape'
import { unitChanged } from '../units/unit-tx'
import { addStep, liveTx, liveTxForRead } from '../units/units.repository'
import { insertPayment, lastDueDates, paidOn, paymentsOf, receiptUsed, replaceSchedule, scheduleOf } from './payments.repository'

/** Money on a unit's live deal: payments at the counter, the schedule of what is due when, dunning. */
export const paymentsHandlers: HandlersOf<'payments'> = {
  /**
   * 收款 at the counter: the front desk is the cashier and serves every client, so taking money needs
   * the unit's live deal, not access to its buyer. It can only lower the balance (never past it),
   * each receipt number once, and is audited; the buyer, price and schedule stay as they are.
   */
  'payments.record': async ({ unitId, receiptNo, method, amount }, ctx) => {
    const s = requireSession(ctx)
    const at = ctx.clock.now().toISOString()
    const tx = await liveTx(ctx.db, unitId, at)
    if (!tx || tx.client_id === null) throw new ApiFailure('CONFLICT', 'no live deal on this unit', 'unitId', 'no_deal')
    const balance = tx.price - (await paidOn(ctx.db, tx.id))
    if (amount > balance) throw new ApiFailure('VALIDATION', `more than the balance of ${balance} fen`, 'amount', 'over_balance', { balance })
    if (await receiptUsed(ctx.db, receiptNo)) throw new ApiFailure('CONFLICT', 'this receipt number is already used', 'receiptNo', 'receipt_used')
    const id = await insertPayment(ctx.db, { txId: tx.id, receiptNo, method, amount, at, staffId: s.staffId })
    await addStep(ctx.db, tx.id, 'payment', amount, hostTextOf('step.receipt', { receiptNo }), s.staffId, at)
    ctx.auditTarget(`unit:${unitId}`)
    await unitChanged(ctx, [unitId])
    return { id, txId: tx.id, receiptNo, method, amount, paidAt: at, by: s.name }
  },

  'payments.list': async ({ unitId }, ctx) => {
    const s = requireSession(ctx)
    const tx = await liveTxForRead(ctx.db, unitId, ctx.clock.now().toISOString())
    if (!tx) return { payments: [], schedule: [], balance: 0 }
    if (tx.client_id !== null && !seesDeal(viewerOf(s), { agentId: tx.agent_id, ownerId: tx.client_owner_id, ownerTeam: tx.client_owner_team })) {
      throw new ApiFailure('FORBIDDEN', 'you may not see the payments of this deal', 'unitId', 'no_client_access')
    }
    const payments = await paymentsOf(ctx.db, tx.id)
    const schedule = await scheduleOf(ctx.db, tx.id)
    const paid = payments.reduce((a, p) => a + p.amount, 0)
    let due = 0
    return {
      payments: payments.map((p) => ({ id: p.id, txId: p.tx_id, receiptNo: p.receipt_no, method: p.method as 'cash', amount: p.amount, paidAt: p.paid_at, by: p.name ?? '' })),
      schedule: schedule.map((i) => {
        due += i.amount
        return { id: i.id, dueDate: i.due_date, amount: i.amount, label: i.label, paidByThen: paid >= due }
      }),
      balance: tx.price - paid,
    }
  },

  'payments.setSchedule': async ({ unitId, items }, ctx) => {
    const s = requireSession(ctx)
    const at = ctx.clock.now().toISOString()
    const tx = await liveTx(ctx.db, unitId, at)
    if (!tx || tx.client_id === null) throw new ApiFailure('CONFLICT', 'no live deal on this unit', 'unitId', 'no_deal')
    mustHaveFullAccess(s, await mustFindClient(ctx.db, tx.client_id, 'unitId'), 'unitId')
    const sum = items.reduce((a, i) => a + i.amount, 0)
    if (sum !== tx.price) throw new ApiFailure('VALIDATION', `the schedule adds up to ${sum}, the price is ${tx.price}`, 'items', 'schedule_total', { price: tx.price, total: sum })
    await replaceSchedule(ctx.db, tx.id, items)
    ctx.auditTarget(`unit:${unitId}`)
    return { ok: true as const }
  },

  'payments.overdue': async ({ projectId }, ctx) => {
    // the branch's day (Asia/Shanghai, UTC+8)
    const today = new Date(ctx.clock.now().getTime() + 8 * HOUR_MS).toISOString().slice(0, 10)
    const rows = await lastDueDates(ctx.db, today, projectId)
    return {
      notices: rows
        .map((r) => ({ unitId: r.unit_id, unit: unitLabel(r.building, r.number), clientName: r.client_name, dueDate: r.due_date, label: r.label, owed: Number(r.scheduled ?? 0) - Number(r.paid ?? 0) }))
        .filter((n) => n.owed > 0),
    }
  },
}
