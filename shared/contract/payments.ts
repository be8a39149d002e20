import { z } from 'zod'
import { Id, IsoTime, Ok, type ContractTable } from './common'
import { textField } from '../domain/text-kinds'

export const Payment = z.object({ id: Id, txId: Id, receiptNo: z.string(), method: z.enum(['cash', 'card', 'transfer', 'pos']), amount: z.number().int(), paidAt: IsoTime, by: z.string() })

export const paymentsContract = {
  'payments.record': {
    input: z.strictObject({ unitId: Id, receiptNo: textField('code', 40, 1), method: z.enum(['cash', 'card', 'transfer', 'pos']), amount: z.number().int().min(1).max(100_000_000_000) }),
    output: Payment,
    write: true,
    summary: 'Record a payment against the unit’s live transaction; more than the balance is refused.',
  },
  'payments.list': {
    input: z.strictObject({ unitId: Id }),
    output: z.object({ payments: z.array(Payment), schedule: z.array(z.object({ id: Id, dueDate: z.string(), amount: z.number().int(), label: z.string(), paidByThen: z.boolean() })), balance: z.number().int() }),
    write: false,
    summary: 'Payments and the payment schedule of the unit’s live transaction.',
  },
  'payments.setSchedule': {
    input: z.strictObject({ unitId: Id, items: z.array(z.strictObject({ dueDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/), amount: z.number().int().min(1), label: textField('line', 40, 1) })).min(1).max(60) }),
    output: Ok,
    write: true,
    summary: 'Set the payment schedule (due dates) of the live transaction; it must add up to the price.',
  },
  'payments.overdue': {
    input: z.strictObject({ projectId: Id.optional() }),
    output: z.object({ notices: z.array(z.object({ unitId: Id, unit: z.string(), clientName: z.string().nullable(), dueDate: z.string(), label: z.string(), owed: z.number().int() })) }),
    write: false,
    summary: 'Overdue payments, for dunning notices (催款通知).',
  },
} as const satisfies ContractTable
