import { z } from 'zod'
import { hostTextOf } from '@shared/domain/host-text-keys'
import type { JobKind } from '../../jobs/job-kind'
import { handOver, insertAssignments, moveToPool } from '../clients/clients.repository'
import { cancelOpenTasksOfClients, cancelOpenTasksOfStaff, moveOpenTasks } from '../tasks/tasks.repository'

const MAX_SLICE = 5000

const DepartParams = z.object({
  staffId: z.number().int(),
  staffName: z.string(),
  /** colleagues who take the clients in turn; empty: all go to the public pool */
  toStaffIds: z.array(z.number().int()),
  reason: z.string(),
  at: z.string(),
})
const DepartCursor = z.object({
  moved: z.number().int(),
  pooled: z.number().int(),
})
type DepartParams = z.infer<typeof DepartParams>
type DepartCursor = z.infer<typeof DepartCursor>

/**
 * A departing agent's clients handed on in slices: any `size` of those the agent still owns (a
 * committed slice took its clients out of that set, so a slice done again after a crash takes
 * the next ones; clients_owner finds them without a sort), shared in turn among the named
 * colleagues (with their open tasks and a line of ownership history), or back to the pool (their
 * tasks cancelled). The last slice cancels what is still open of the agent's own tasks. The account
 * was deactivated and its sessions ended by staff.depart itself, before the first slice.
 */
export const departJob: JobKind<DepartParams, DepartCursor> = {
  kind: 'staff.depart',
  params: DepartParams,
  cursor: DepartCursor,
  firstSize: 100,
  async slice(db, { params: p, cursor: c }, size) {
    // a statement binds at most a few thousand ids (4 values an assignment row)
    const limit = Math.min(size, MAX_SLICE)
    const ids = (
      await db.selectFrom('clients').select('id').where('owner_id', '=', p.staffId).where('merged_into', 'is', null).limit(limit).execute()
    ).map((r) => r.id)
    const buckets = new Map<number | null, number[]>()
    ids.forEach((id, i) => {
      // in turn across slices: the n-th client handed on goes to colleague n mod k
      const to = p.toStaffIds.length ? p.toStaffIds[(c.moved + c.pooled + i) % p.toStaffIds.length]! : null
      const list = buckets.get(to)
      if (list) list.push(id)
      else buckets.set(to, [id])
    })
    let { moved, pooled } = c
    for (const [to, chunk] of buckets) {
      if (to === null) {
        await moveToPool(db, chunk, p.at, true)
        await cancelOpenTasksOfClients(db, chunk, p.at)
        pooled += chunk.length
      } else {
        await handOver(db, chunk, to, p.at)
        await moveOpenTasks(db, chunk, to, p.staffId)
        await insertAssignments(db, chunk.map((clientId) => ({ clientId, staffId: to, reason: hostTextOf('assign.handover', { staff: p.staffName, reason: p.reason }), at: p.at })))
        moved += chunk.length
      }
    }
    const cursor = { moved, pooled }
    if (ids.length === limit) return { cursor, done: moved + pooled, finished: false }
    await cancelOpenTasksOfStaff(db, p.staffId, p.at)
    return { cursor, done: moved + pooled, finished: true, result: { moved, pooled } }
  },
}
