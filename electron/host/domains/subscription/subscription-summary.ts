import type { z } from 'zod'
import { sql, type Kysely } from 'kysely'
import type { subscriptionContract } from '@shared/contract/subscription'
import { summarize, type SummarySeat } from '@shared/domain/subscription-summary'
import type { DB } from '../../db/schema'
import { unitLabel } from '../units/unit-shape'
import { eventShape } from './subscription-day'
import { wishesOf, type EventRecord } from './subscription.repository'

type Summary = z.infer<(typeof subscriptionContract)['subscription.summary']['output']>

/** The queue of an event with what the summary needs: holder, unit label, check-in and the refund to-do's state. */
async function summaryRows(db: Kysely<DB>, eventId: number) {
  return db
    .selectFrom('subscription_queue as q')
    .innerJoin('vip_cards as v', 'v.id', 'q.card_id')
    // a rehearsal's generated card has no client, only its 演练客 name: the summary of a rehearsal shows those
    .leftJoin('clients as c', 'c.id', 'v.client_id')
    .leftJoin('units as u', 'u.id', 'q.unit_id')
    .leftJoin('buildings as b', 'b.id', 'u.building_id')
    .leftJoin('finance_todos as f', 'f.id', 'v.refund_todo_id')
    .select(['q.card_id', 'q.position', 'q.day', 'q.grp', 'q.state', 'q.unit_id', 'q.checked_in_at', 'q.decided_at', 'v.card_no', sql<string>`coalesce(c.name, v.holder_name, '')`.as('client_name'), 'u.number as unit_number', 'b.name as building_name', 'f.amount as refund_amount', 'f.status as refund_status'])
    .where('q.event_id', '=', eventId)
    .orderBy('q.position')
    .execute()
}

export type SummaryRow = Awaited<ReturnType<typeof summaryRows>>[number]

/** The event's queue rows, each with its seat as the summary's rules read it. */
export async function summaryLines(db: Kysely<DB>, eventId: number): Promise<{ rows: SummaryRow[]; seats: SummarySeat[] }> {
  const rows = await summaryRows(db, eventId)
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
  }))
  return { rows, seats }
}

/** The event's summary (汇总): per day and whole, from the stored queue (a read: it does not settle the clock). */
export async function eventSummary(db: Kysely<DB>, e: EventRecord, now: Date): Promise<Summary> {
  const { rows, seats } = await summaryLines(db, e.id)
  const dates = JSON.parse(e.days) as string[]
  return {
    eventId: e.id,
    name: e.name,
    // as the console shows it at `now` (a group whose time ran out is over even before a write settles it)
    status: (await eventShape(db, e, now)).status,
    orderBy: e.order_by,
    days: dates.map((date, i) => ({ day: i + 1, date, figures: summarize(seats.filter((s) => s.day === i + 1), e.order_by) })),
    total: summarize(seats, e.order_by),
    picks: rows.flatMap((r) => (r.state === 'picked' && r.unit_id !== null ? [{ day: r.day, group: r.grp, cardNo: r.card_no, clientName: r.client_name, unitId: r.unit_id, unitLabel: unitLabel(r.building_name ?? '', r.unit_number ?? ''), at: r.decided_at }] : [])),
    forfeits: rows.flatMap((r) => (r.state === 'absent' || r.state === 'passed' ? [{ day: r.day, group: r.grp, cardNo: r.card_no, clientName: r.client_name, state: r.state, amount: r.refund_amount ?? 0, refundDone: r.refund_status === 'done' }] : [])),
  }
}
