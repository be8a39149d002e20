import { z } from 'zod'
import { type ContractTable } from './common'

export const schedulerContract = {
  'scheduler.run': {
    input: z.strictObject({}),
    output: z.object({ tasksCreated: z.number().int(), tasksResolved: z.number().int(), pooled: z.number().int(), escalated: z.number().int() }),
    write: true,
    summary: 'Run the rules now (managers and admins); the host also runs them every minute and after each change.',
  },
} as const satisfies ContractTable
