import { z } from 'zod'
import { textField } from '../domain/text-kinds'
import { Id, IsoTime, type ContractTable } from './common'
import { HostText } from './host-text'

/** One finance to-do as the list shows it; a done one names who closed it, when, and its reference. */
export const FinanceTodo = z.object({
  id: Id,
  kind: z.string(),
  unit: z.string(),
  amount: z.number().int(),
  note: HostText,
  createdAt: IsoTime,
  status: z.enum(['open', 'done']),
  version: z.number().int(),
  doneBy: z.string().nullable(),
  doneAt: IsoTime.nullable(),
  reference: z.string().nullable(),
})

export const financeContract = {
  'finance.todos': {
    input: z.strictObject({ status: z.enum(['open', 'done']).default('open') }),
    output: z.object({ todos: z.array(FinanceTodo) }),
    write: false,
    summary: 'Finance to-dos created by approved changes (refunds, re-invoicing): the open ones, or the done ones, newest first (500 at most).',
  },
  'finance.markDone': {
    input: z.strictObject({ id: Id, version: z.number().int().min(0), reference: textField('line', 60, 1) }),
    output: FinanceTodo,
    write: true,
    summary: 'Close a finance to-do with the refund voucher or new invoice number; who and when are kept.',
  },
} as const satisfies ContractTable
