import { z } from 'zod'
import { Id, IsoTime, type ContractTable } from './common'
import { HostText } from './host-text'

export const financeContract = {
  'finance.todos': {
    input: z.strictObject({ status: z.enum(['open', 'done']).default('open') }),
    output: z.object({ todos: z.array(z.object({ id: Id, kind: z.string(), unit: z.string(), amount: z.number().int(), note: HostText, createdAt: IsoTime })) }),
    write: false,
    summary: 'Finance to-dos created by approved changes (refunds, re-invoicing).',
  },
} as const satisfies ContractTable
