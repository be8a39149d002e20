import { z } from 'zod'
import { Id, IsoTime, type ContractTable } from './common'

/** A long job (a rules pass, a departure) as its watchers see it: how far it is, and what it did. */
export const JobView = z.object({
  id: Id,
  /** rules.pass or staff.depart */
  kind: z.string(),
  status: z.enum(['running', 'done', 'failed']),
  /** items done so far, of `total` when known */
  done: z.number().int(),
  total: z.number().int().nullable(),
  /** counts of what the finished job did (moved, pooled; tasksCreated, …) */
  result: z.record(z.string(), z.number()).nullable(),
  createdAt: IsoTime,
  finishedAt: IsoTime.nullable(),
})
export type JobView = z.infer<typeof JobView>

export const jobsContract = {
  'jobs.get': {
    input: z.strictObject({ id: Id }),
    output: JobView,
    write: false,
    summary: 'One long job: its progress while it runs in slices, what it did once finished (managers and admins).',
  },
  'jobs.list': {
    input: z.strictObject({ status: z.enum(['running', 'done', 'failed']).optional(), limit: z.number().int().min(1).max(100).default(20) }),
    output: z.object({ rows: z.array(JobView) }),
    write: false,
    summary: 'The latest long jobs, newest first, optionally only those running (managers and admins).',
  },
} as const satisfies ContractTable
