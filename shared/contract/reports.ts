import { z } from 'zod'
import { IsoTime, type ContractTable } from './common'

export const reportsContract = {
  'reports.lostReasons': {
    input: z.strictObject({ from: IsoTime, to: IsoTime }),
    output: z.object({ reasons: z.array(z.object({ reason: z.string(), count: z.number().int() })) }),
    write: false,
    summary: 'Lost clients by reason in a period (dashboard).',
  },
} as const satisfies ContractTable
