import { z } from 'zod'
import { Id, type ContractTable } from './common'

export const schedulerContract = {
  'scheduler.run': {
    input: z.strictObject({}),
    /** the pass runs behind, in slices: jobs.get says how far it is and, once done, what it did */
    output: z.object({ jobId: Id }),
    write: true,
    summary: 'Run the rules over the book now, as a job (managers and admins); the host also runs them every minute and after each change.',
  },
} as const satisfies ContractTable
