import { sql, type Kysely } from 'kysely'
import { z } from 'zod'
import { DAY_MS } from '@shared/domain/rules'
import type { DB } from '../../../db/schema'
import type { JobKind } from '../../../jobs/job-kind'
import { insertJob, pruneJobs } from '../../../jobs/jobs.repository'
import { insertNotices } from '../../notifications/notifications.repository'
import { publishNotices } from '../../notifications/notice'
import { getRules } from '../../settings/rules.repository'
import { maxTaskId } from '../../tasks/tasks.repository'
import { settleRunningEvents } from '../../subscription/subscription-day'
import { expireHolds } from '../../units/units.repository'
import { mergePooledOwners, PooledOwner, poolNotices, taskNotices } from './digest'
import { applyRules } from './evaluate'

/** Finished jobs are kept this long (jobs.list shows them), then the pass's last slice forgets them. */
const KEEP_JOBS_DAYS = 7

const PassParams = z.object({
  /** the pass's time: every slice evaluates the rules at it */
  at: z.string(),
  /** tasks after this one are the pass's own (for the digests at its end) */
  maxTaskId: z.number().int(),
  /** the book's last client when the pass began (clients added later are evaluated as they are written) */
  lastClientId: z.number().int(),
  /** every client's behaviour tags re-read (the day's first pass), or only those that can lapse */
  wholeTags: z.boolean().default(true),
})
const PassCursor = z.object({
  /** the first client id of the next slice */
  from: z.number().int(),
  tasksCreated: z.number().int(),
  tasksResolved: z.number().int(),
  pooled: z.number().int(),
  escalated: z.number().int(),
  pooledOwners: z.array(PooledOwner),
})
type PassParams = z.infer<typeof PassParams>
type PassCursor = z.infer<typeof PassCursor>

/**
 * A pass of the follow-up rules over the whole book, in slices of client ids (each slice every rule
 * over its clients, one short transaction). The last slice ends 小订 and holds that ran out and
 * writes the pass's notices: per person one for their new tasks and one for their clients gone
 * back to the pool, however many slices found them.
 */
export const rulesPassJob: JobKind<PassParams, PassCursor> = {
  kind: 'rules.pass',
  params: PassParams,
  cursor: PassCursor,
  firstSize: 100,
  async slice(db, { params: p, cursor: c }, size, { events, auditLog }) {
    if (c.from <= p.lastClientId) {
      const to = c.from + size
      const r = await applyRules(db, auditLog, new Date(p.at), await getRules(db), { idRange: { from: c.from, to } }, p.wholeTags ? 'whole' : 'lapsing')
      const cursor: PassCursor = {
        from: to,
        tasksCreated: c.tasksCreated + r.tasksCreated,
        tasksResolved: c.tasksResolved + r.tasksResolved,
        pooled: c.pooled + r.pooled,
        escalated: c.escalated + r.escalated,
        pooledOwners: mergePooledOwners(c.pooledOwners, r.pooledOwners),
      }
      return { cursor, done: Math.min(to - 1, p.lastClientId), finished: false }
    }
    const expired = await expireHolds(db, p.at)
    // subscription days whose group time ran out move on (absentees' refunds) without a call at the console
    const movedEvents = await settleRunningEvents({ db, clock: { now: () => new Date(p.at) } })
    await pruneJobs(db, new Date(Date.parse(p.at) - KEEP_JOBS_DAYS * DAY_MS).toISOString())
    const notices = [...(await taskNotices(db, p.maxTaskId, p.at)), ...poolNotices(c.pooledOwners)]
    await insertNotices(db, notices, p.at)
    const { from: _from, pooledOwners: _owners, ...result } = c
    return {
      cursor: c,
      done: p.lastClientId,
      finished: true,
      result: { ...result, expired: expired.length },
      afterCommit: () => {
        // 小订 and holds that ran out: their cells turn available on every board
        const byProject = new Map<number, number[]>()
        for (const e of expired) {
          const units = byProject.get(e.project_id)
          if (units) units.push(e.unit_id)
          else byProject.set(e.project_id, [e.unit_id])
        }
        for (const [projectId, unitIds] of byProject) events.publish('board.changed', { projectId, unitIds })
        for (const eventId of movedEvents) events.publish('subscription.changed', { eventId })
        publishNotices(events, notices)
      },
    }
  },
}

/** How often a pass re-reads every client's behaviour tags (the passes between re-read only those that can lapse). */
const WHOLE_TAGS_EVERY_MS = DAY_MS

/**
 * Whether a pass at `at` re-reads every client's tags: when no pass that did has finished within
 * the last day (the first start, a host that was off, a new day), so tags of clients written
 * around the API (the demo book) and any missed change are right within a day.
 */
async function wholeTagsDue(db: Kysely<DB>, at: string): Promise<boolean> {
  const since = new Date(Date.parse(at) - WHOLE_TAGS_EVERY_MS).toISOString()
  const recent = await db
    .selectFrom('jobs')
    .select('id')
    .where('kind', '=', rulesPassJob.kind)
    .where('status', '=', 'done')
    .where('finished_at', '>=', since)
    .where(sql<boolean>`coalesce(json_extract(params, '$.wholeTags'), 1) = 1`)
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst()
  return recent === undefined
}

/** Queues a pass at `at` in the caller's transaction (it runs once that commits and the runner is told). */
export async function queueRulePass(db: Kysely<DB>, at: string, createdBy: number | null): Promise<number> {
  const last = await db.selectFrom('clients').select((eb) => eb.fn.max('id').as('m')).executeTakeFirst()
  const lastClientId = last?.m ?? 0
  const cursor: PassCursor = { from: 1, tasksCreated: 0, tasksResolved: 0, pooled: 0, escalated: 0, pooledOwners: [] }
  const params: PassParams = { at, maxTaskId: await maxTaskId(db), lastClientId, wholeTags: await wholeTagsDue(db, at) }
  return insertJob(db, rulesPassJob, { params, cursor, total: lastClientId, createdBy, at })
}
