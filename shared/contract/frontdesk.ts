import { z } from 'zod'
import { Id, IsoTime, type ContractTable } from './common'

export const frontdeskContract = {
  'frontdesk.registerVisit': {
    input: z.strictObject({ clientId: Id, cardId: Id.optional(), campaignId: Id.optional() }),
    output: z.object({ visitId: Id, protectedUntil: IsoTime.nullable(), ownerNotified: z.boolean() }),
    write: true,
    summary: '到访登记: record the visit (and the active campaign that brought it), start the visit protection period and notify the owner agent at once.',
  },
} as const satisfies ContractTable
