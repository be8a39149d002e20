import { describe, expect, it } from 'vitest'
import type { Result } from '@shared/contract/common'
import type { JobView } from '@shared/contract/jobs'
import { jobAnswered, STALL_MS, startWatch } from '../../../renderer/src/features/work/job-watch'

const T0 = Date.parse('2026-12-06T09:00:00Z')

function job(done: number, status: JobView['status'] = 'running'): Result<JobView> {
  return { ok: true, value: { id: 7, kind: 'staff.depart', status, done, total: 2200, result: status === 'done' ? { moved: 2200, pooled: 0 } : null, createdAt: '2026-12-06T09:00:00.000Z', finishedAt: null } }
}
const offline: Result<JobView> = { ok: false, error: { code: 'OFFLINE', message: 'the host cannot be reached; reconnecting' } }

describe('following a long job (the progress of 离职交接 and 立即运行规则)', () => {
  it('keeps asking while the host is away, says so, and goes on from the last count when it is back', () => {
    let w = jobAnswered(startWatch(T0), job(300), T0 + 500)
    expect(w.next).toBe('ask')
    w = jobAnswered(w.watch, offline, T0 + 1000)
    expect(w).toMatchObject({ next: 'ask', watch: { offline: true, stalledSeconds: null } })
    expect(w.watch.job?.done).toBe(300)
    w = jobAnswered(w.watch, job(900), T0 + 9000)
    expect(w).toMatchObject({ next: 'ask', watch: { offline: false, stalledSeconds: null } })
    expect(jobAnswered(w.watch, job(2200, 'done'), T0 + 9500).next).toBe('finished')
  })

  it('says a running job that has not moved for 20 s has stalled, and counts on; moving again clears it', () => {
    let w = jobAnswered(startWatch(T0), job(300), T0)
    w = jobAnswered(w.watch, job(300), T0 + STALL_MS - 1)
    expect(w.watch.stalledSeconds).toBeNull()
    w = jobAnswered(w.watch, job(300), T0 + STALL_MS + 5000)
    expect(w.watch.stalledSeconds).toBe(25)
    // a host away that long is stalled too (the dialog then says the host cannot be reached)
    w = jobAnswered(w.watch, offline, T0 + STALL_MS + 9000)
    expect(w.watch).toMatchObject({ offline: true, stalledSeconds: 29 })
    w = jobAnswered(w.watch, job(301), T0 + STALL_MS + 9500)
    expect(w.watch.stalledSeconds).toBeNull()
  })

  it('stops on a failed job, and on an error that is no passing absence (the job is gone or not allowed)', () => {
    expect(jobAnswered(startWatch(T0), job(40, 'failed'), T0).next).toBe('failed')
    expect(jobAnswered(startWatch(T0), { ok: false, error: { code: 'NOT_FOUND', message: 'no job 7', field: 'id' } }, T0).next).toBe('lost')
    expect(jobAnswered(startWatch(T0), { ok: false, error: { code: 'DB_BUSY', message: 'busy' } }, T0).next).toBe('ask')
  })
})
