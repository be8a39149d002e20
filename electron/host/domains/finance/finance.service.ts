import type { HandlersOf } from '../../api/handler'
import { storedText } from '../../db/stored-text'
import { unitLabel } from '../units/unit-shape'
import { financeTodos } from './finance.repository'

/** Finance's to-do list: refunds and re-invoicing that approved changes and releases leave. */
export const financeHandlers: HandlersOf<'finance'> = {
  'finance.todos': async ({ status }, ctx) => {
    const rows = await financeTodos(ctx.db, status)
    return {
      todos: rows.map((r) => ({
        id: r.id,
        kind: r.kind,
        unit: r.building !== null && r.number !== null ? unitLabel(r.building, r.number) : '',
        amount: r.amount,
        note: storedText(r.note),
        createdAt: r.created_at,
      })),
    }
  },
}
