import { sql, type Kysely, type RawBuilder } from 'kysely'
import type { z } from 'zod'
import type { PolicySegment } from '@shared/contract/care'
import { hostTextOf } from '@shared/domain/host-text-keys'
import { addDays } from '@shared/domain/holidays'
import { branchDay, branchDayStart } from '@shared/domain/rules'
import { ApiFailure } from '../../api/api-failure'
import type { HandlersOf } from '../../api/handler'
import { requireSession } from '../../api/require-session'
import type { DB } from '../../db/schema'
import { paramsJson } from '../../db/stored-text'
import { notify } from '../notifications/notice'

type Segment = z.output<typeof PolicySegment>

/** The most clients one batch of news may reach: its tasks are written in the call's one transaction (a few hundred ms at this size). */
export const POLICY_NEWS_MAX = 5000
// the news is due at the end of the working day (18:00 in Shanghai) of the day the manager picks
const DUE_HOUR_MS = 18 * 3_600_000
const CHUNK = 500

/** The WHERE clause of a segment: live clients matching every filter given (tags: any of them, typed or behaviour). */
function segmentWhere(seg: Segment): RawBuilder<unknown> {
  const parts: RawBuilder<unknown>[] = [sql`c.merged_into IS NULL AND c.stage <> 'lost' AND c.blacklisted = 0`]
  if (seg.tiers.length > 0) parts.push(sql`c.tier IN (${sql.join(seg.tiers)})`)
  if (seg.stages.length > 0) parts.push(sql`c.stage IN (${sql.join(seg.stages)})`)
  if (seg.regions.length > 0) parts.push(sql`c.region IN (${sql.join(seg.regions)})`)
  if (seg.tags.length > 0) {
    parts.push(sql`(EXISTS (SELECT 1 FROM json_each(c.manual_tags) j WHERE j.value IN (${sql.join(seg.tags)}))
      OR EXISTS (SELECT 1 FROM json_each(c.behaviour_tags) j WHERE j.value IN (${sql.join(seg.tags)})))`)
  }
  return sql.join(parts, sql` AND `)
}

/** How many clients a segment reaches (by an owner) and how many match without an owner to tell them. */
async function segmentCounts(db: Kysely<DB>, seg: Segment) {
  const r = await sql<{ owned: number; agents: number; unowned: number }>`SELECT
      count(c.owner_id) AS owned, count(DISTINCT c.owner_id) AS agents, count(*) - count(c.owner_id) AS unowned
    FROM clients c WHERE ${segmentWhere(seg)}`.execute(db)
  const row = r.rows[0]
  return { clients: Number(row?.owned ?? 0), agents: Number(row?.agents ?? 0), unowned: Number(row?.unowned ?? 0) }
}

/** Policy news (issue #20 item 3, seed 000 告知新政策): a text to a segment, told by each client's owner agent. */
export const policyNewsHandlers: Pick<HandlersOf<'care'>, 'care.segmentCount' | 'care.policyNews'> = {
  'care.segmentCount': async ({ segment }, ctx) => segmentCounts(ctx.db, segment),

  'care.policyNews': async ({ segment, text, dueDate }, ctx) => {
    const s = requireSession(ctx)
    const now = ctx.clock.now()
    const today = branchDay(now)
    if (dueDate < today || dueDate > addDays(today, 90)) throw new ApiFailure('VALIDATION', 'the due day is today or within 90 days', 'dueDate', 'due_range')
    const counts = await segmentCounts(ctx.db, segment)
    if (counts.clients === 0) throw new ApiFailure('VALIDATION', 'no client with an owner matches the segment', 'segment', 'segment_empty')
    if (counts.clients > POLICY_NEWS_MAX) {
      throw new ApiFailure('VALIDATION', `the segment reaches ${counts.clients} clients; at most ${POLICY_NEWS_MAX} at a time`, 'segment', 'segment_too_large', { count: counts.clients, max: POLICY_NEWS_MAX })
    }
    const at = now.toISOString()
    const news = await ctx.db
      .insertInto('policy_news')
      .values({ text, segment: JSON.stringify(segment), clients: counts.clients, agents: counts.agents, created_by: s.staffId, created_at: at })
      .returning('id')
      .executeTakeFirstOrThrow()
    const clients = (await sql<{ id: number; owner_id: number; name: string }>`SELECT c.id, c.owner_id, c.name FROM clients c
      WHERE ${segmentWhere(segment)} AND c.owner_id IS NOT NULL ORDER BY c.owner_id, c.id`.execute(ctx.db)).rows
    const title = hostTextOf('task.policyTyped', { text })
    const dueAt = new Date(Date.parse(branchDayStart(dueDate)) + DUE_HOUR_MS).toISOString()
    for (let i = 0; i < clients.length; i += CHUNK) {
      await ctx.db
        .insertInto('tasks')
        .values(
          clients.slice(i, i + CHUNK).map((c) => ({
            staff_id: c.owner_id,
            client_id: c.id,
            rule: 'policy',
            text_key: title.key,
            text_params: paramsJson(title),
            detail: c.name,
            due_at: dueAt,
            event_key: `policy:${news.id}:${c.id}`,
            created_at: at,
          })),
        )
        .execute()
    }
    // one digest notice per agent, however many clients they have to tell
    const perAgent = new Map<number, number>()
    for (const c of clients) perAgent.set(c.owner_id, (perAgent.get(c.owner_id) ?? 0) + 1)
    await notify(
      ctx,
      [...perAgent].map(([staffId, count]) => ({ staffId, kind: 'task', title: hostTextOf('notice.policy', { count }), body: hostTextOf('notice.policyBodyTyped', { text }), clientId: null, taskId: null })),
    )
    ctx.auditTarget(`policy-news:${news.id}`)
    return { newsId: news.id, clients: clients.length, agents: perAgent.size }
  },
}
