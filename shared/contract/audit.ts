import { z } from 'zod'
import { Empty, Id, IsoTime, Page, PageInput, type ContractTable } from './common'
import { textField } from '../domain/text-kinds'

export const AuditRow = z.object({
  id: Id,
  at: IsoTime,
  actorId: z.number().int().nullable(),
  actorName: z.string().nullable(),
  action: z.string(),
  target: z.string().nullable(),
  detail: z.string(),
  address: z.string().nullable(),
  hash: z.string(),
})
export type AuditRow = z.infer<typeof AuditRow>

export const AuditVerifyOutput = z.object({
  ok: z.boolean(),
  checked: z.number().int(),
  /** id of the first row whose hash does not match its content and predecessor. */
  firstBrokenId: z.number().int().nullable(),
})

export const auditContract = {
  'audit.list': {
    input: PageInput.extend({ actorId: Id.optional(), action: textField('code', 64).optional() }),
    output: Page(AuditRow),
    write: false,
    summary: 'The audit log, newest first.',
  },
  'audit.verify': {
    input: Empty,
    output: AuditVerifyOutput,
    write: false,
    summary: 'Walk the hash chain and report the first broken link.',
  },
} as const satisfies ContractTable
