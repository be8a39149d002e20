import type { JobView } from '@shared/contract/jobs'
import { ApiFailure } from '../../api/api-failure'
import type { HandlersOf } from '../../api/handler'
import { findJob, listJobs, type JobRecord } from '../../jobs/jobs.repository'

function toJobView(r: JobRecord): JobView {
  return {
    id: r.id,
    kind: r.kind,
    status: r.status,
    done: r.done,
    total: r.total,
    result: r.result === null ? null : (JSON.parse(r.result) as Record<string, number>),
    createdAt: r.created_at,
    finishedAt: r.finished_at,
  }
}

/** Watching the long jobs the host works in slices (a departure's progress, a pass asked for by hand). */
export const jobsHandlers: HandlersOf<'jobs'> = {
  'jobs.get': async ({ id }, ctx) => {
    const r = await findJob(ctx.db, id)
    if (!r) throw new ApiFailure('NOT_FOUND', `no job ${id}`, 'id')
    return toJobView(r)
  },

  'jobs.list': async ({ status, limit }, ctx) => ({ rows: (await listJobs(ctx.db, status, limit)).map(toJobView) }),
}
