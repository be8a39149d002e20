import type { z } from 'zod'
import { sql, type Kysely } from 'kysely'
import type { subscriptionContract } from '@shared/contract/subscription'
import { summarize, type GroupCall, type SummarySeat } from '@shared/domain/subscription-summary'
import type { DB } from '../../db/schema'
import { unitLabel } from '../units/unit-shape'
import { callNow, eventShape, queueAt } from './subscription-day'
import { callsOf, wishesOf, type EventRecord } from './subscription.repository'

type Summary = z.infer<(typeof subscriptionContract)['subscription.summary']['output']>

/** The queue of an event with what the summary needs: holder, unit label, check-in, whether the pick's 认购 still stands and the refund to-do's state. */
async function summaryRows(db: Kysely<DB>, eventId: number, nowIso: string) {
  return db
    .selectFrom('subscription_queue as q')
    .innerJoin('vip_cards as v', 'v.id', 'q.card_id')
    // a rehearsal's generated card has no client, only its 演练客 name: the summary of a rehearsal shows those
    .leftJoin('clients as c', 'c.id', 'v.client_id')
    .leftJoin('units as u', 'u.id', 'q.unit_id')
    .leftJoin('buildings as b', 'b.id', 'u.building_id')
    .leftJoin('finance_todos as f', 'f.id', 'v.refund_todo_id')
    .leftJoin('unit_transactions as t', 't.id', 'q.tx_id')
    // a rehearsal's pick has no transaction and stands as long as the rehearsal; a live one while its 认购 is live
    .select(sql<number>`q.tx_id IS NULL OR (t.live = 1 AND (t.expires_at IS NULL OR t.expires_at > ${nowIso}))`.as('pick_live'))
    .select(['q.card_id', 'q.position', 'q.day', 'q.grp', 'q.state', 'q.unit_id', 'q.checked_in_at', 'q.decided_at', 'v.card_no', sql<string>`coalesce(c.name, v.holder_name, '')`.as('client_name'), 'u.number as unit_number', 'b.name as building_name', 'f.amount as refund_amount', 'f.status as refund_status'])
    .where('q.event_id', '=', eventId)
    .orderBy('q.position')
    .execute()
}

export type SummaryRow = Awaited<ReturnType<typeof summaryRows>>[number]

/**
 * The event's queue rows, each with its seat as the summary's rules read it. With `at` (the event
 * and the host clock) the rows are as they stand then: a group whose time ran out shows its
 * absentees before the next write stores them.
 */
export async function summaryLines(db: Kysely<DB>, eventId: number, at?: { e: EventRecord; now: Date }): Promise<{ rows: SummaryRow[]; seats: SummarySeat[] }> {
  const stored = await summaryRows(db, eventId, (at?.now ?? new Date(0)).toISOString())
  const rows = at ? queueAt(stored, at.e, await callNow(db, at.e, at.now)) : stored
  const wishes = await wishesOf(db, rows.map((r) => r.card_id))
  const seats: SummarySeat[] = rows.map((r) => ({
    cardNo: r.card_no,
    position: r.position,
    day: r.day,
    group: r.grp,
    state: r.state,
    unitId: r.unit_id,
    wishes: wishes.get(r.card_id) ?? [],
    checkedInAt: r.checked_in_at,
    decidedAt: r.decided_at,
    // only a card that forfeited in this event: its refund to-do is this event's
    refund: (r.state === 'absent' || r.state === 'passed') && r.refund_amount !== null ? { amount: r.refund_amount, done: r.refund_status === 'done' } : null,
    live: r.pick_live === 1,
  }))
  return { rows, seats }
}

/** When each group was called and ended, as stored, and for groups whose time ran out since the last write: their deadlines. */
export async function callsAt(db: Kysely<DB>, e: EventRecord, now: Date): Promise<GroupCall[]> {
  const calls = new Map((await callsOf(db, e.id)).map((c) => [`${c.day}:${c.grp}`, { day: c.day, group: c.grp, calledAt: c.called_at, endedAt: c.ended_at }]))
  const c = await callNow(db, e, now)
  for (const x of c.ended) {
    const mine = calls.get(`${e.day}:${x.group}`)
    if (mine && mine.endedAt === null) mine.endedAt = x.at
    if (x.group < c.lastGroup && !calls.has(`${e.day}:${x.group + 1}`)) calls.set(`${e.day}:${x.group + 1}`, { day: e.day, group: x.group + 1, calledAt: x.at, endedAt: null })
  }
  return [...calls.values()]
}

/** The event's summary (汇总): per day and whole, from the stored queue (a read: it does not settle the clock). */
export async function eventSummary(db: Kysely<DB>, e: EventRecord, now: Date): Promise<Summary> {
  const { rows, seats } = await summaryLines(db, e.id, { e, now })
  const dates = JSON.parse(e.days) as string[]
  const calls = await callsAt(db, e, now)
  return {
    eventId: e.id,
    name: e.name,
    // as the console shows it at `now` (a group whose time ran out is over even before a write settles it)
    status: (await eventShape(db, e, now)).status,
    orderBy: e.order_by,
    days: dates.map((date, i) => ({ day: i + 1, date, figures: summarize(seats.filter((s) => s.day === i + 1), e.order_by, calls) })),
    total: summarize(seats, e.order_by, calls),
    picks: rows.flatMap((r) => (r.state === 'picked' && r.unit_id !== null ? [{ day: r.day, group: r.grp, cardNo: r.card_no, clientName: r.client_name, unitId: r.unit_id, unitLabel: unitLabel(r.building_name ?? '', r.unit_number ?? ''), at: r.decided_at }] : [])),
    forfeits: rows.flatMap((r) => (r.state === 'absent' || r.state === 'passed' ? [{ day: r.day, group: r.grp, cardNo: r.card_no, clientName: r.client_name, state: r.state, amount: r.refund_amount ?? 0, refundDone: r.refund_status === 'done' }] : [])),
  }
}
