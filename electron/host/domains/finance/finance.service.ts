import { ApiFailure } from '../../api/api-failure'
import type { HandlersOf } from '../../api/handler'
import { requireSession } from '../../api/require-session'
import { storedText } from '../../db/stored-text'
import { markCardRefunded } from '../subscription/subscription.repository'
import { unitLabel } from '../units/unit-shape'
import { financeTodo, financeTodos, markFinanceTodoDone, type FinanceTodoRow } from './finance.repository'

function toTodo(r: FinanceTodoRow) {
  return {
    id: r.id,
    kind: r.kind,
    unit: r.building !== null && r.number !== null ? unitLabel(r.building, r.number) : '',
    amount: r.amount,
    note: storedText(r.note),
    createdAt: r.created_at,
    status: r.status === 'done' ? ('done' as const) : ('open' as const),
    version: r.version,
    doneBy: r.done_by_name,
    doneAt: r.done_at,
    reference: r.reference,
  }
}

/** Finance's to-do list: refunds and re-invoicing that approved changes and releases leave, closed with a reference. */
export const financeHandlers: HandlersOf<'finance'> = {
  'finance.todos': async ({ status }, ctx) => {
    const rows = await financeTodos(ctx.db, status)
    return { todos: rows.map(toTodo) }
  },

  'finance.markDone': async ({ id, version, reference }, ctx) => {
    const s = requireSession(ctx)
    const before = await financeTodo(ctx.db, id)
    if (!before) throw new ApiFailure('NOT_FOUND', `no finance to-do ${id}`, 'id')
    if (before.status === 'done') {
      throw new ApiFailure('CONFLICT', 'this to-do is done already', 'id', 'finance_done', { by: before.done_by_name ?? '', reference: before.reference ?? '' })
    }
    if (before.version !== version) throw new ApiFailure('STALE_WRITE', 'this to-do changed meanwhile; reload', 'version', 'stale')
    if (!(await markFinanceTodoDone(ctx.db, id, version, s.staffId, reference, ctx.clock.now().toISOString()))) {
      throw new ApiFailure('STALE_WRITE', 'this to-do changed meanwhile; reload', 'version', 'stale')
    }
    // the refund of a forfeited VIP card's 意向金: the card is 已退 once finance has paid it back
    if (before.kind === 'refund') await markCardRefunded(ctx.db, id, ctx.clock.now().toISOString())
    ctx.auditTarget(`finance:${id}`)
    const after = await financeTodo(ctx.db, id)
    if (!after) throw new Error(`finance to-do ${id} vanished`)
    return toTodo(after)
  },
}
