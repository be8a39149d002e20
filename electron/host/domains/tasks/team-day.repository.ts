import type { Kysely } from 'kysely'
import type { DB } from '../../db/schema'

/** A count per staff member. */
type PerStaff = Map<number, number>

function perStaff(rows: ReadonlyArray<{ staff: number | null; n: number }>): PerStaff {
  return new Map(rows.filter((r) => r.staff !== null).map((r) => [r.staff!, Number(r.n)]))
}

/** The active agents and senior agents, by team and name. */
export function activeAgents(db: Kysely<DB>) {
  return db
    .selectFrom('staff')
    .select(['id', 'name', 'role', 'team'])
    .where('active', '=', 1)
    .where('role', 'in', ['agent', 'senior_agent'])
    .orderBy('team')
    .orderBy('name')
    .execute()
}

/**
 * The counts behind the manager's team page, per staff member: open tasks past due (and of those
 * the escalated ones), open tasks due later today, today's live viewings, today's visits of the
 * clients each owns, today's pool claims; and the change requests waiting for a decision.
 * Wake-ups are not work due (they are a reminder list), as on the agent's own page.
 */
export async function teamDayCounts(db: Kysely<DB>, at: { now: string; dayStart: string; dayEnd: string; day: string }) {
  const open = db.selectFrom('tasks').where('status', '=', 'open').where('rule', '!=', 'wake')
  const [overdue, escalated, dueToday, viewings, visits, claims, pending] = await Promise.all([
    open.where('due_at', '<', at.now).select((eb) => ['staff_id as staff', eb.fn.countAll<number>().as('n')]).groupBy('staff_id').execute(),
    open
      .where('due_at', '<', at.now)
      .where('escalated_at', 'is not', null)
      .select((eb) => ['staff_id as staff', eb.fn.countAll<number>().as('n')])
      .groupBy('staff_id')
      .execute(),
    open
      .where('due_at', '>=', at.now)
      .where('due_at', '<', at.dayEnd)
      .select((eb) => ['staff_id as staff', eb.fn.countAll<number>().as('n')])
      .groupBy('staff_id')
      .execute(),
    db
      .selectFrom('viewings')
      .where('starts_at', '>=', at.dayStart)
      .where('starts_at', '<', at.dayEnd)
      .where('status', '!=', 'cancelled')
      .select((eb) => ['agent_id as staff', eb.fn.countAll<number>().as('n')])
      .groupBy('agent_id')
      .execute(),
    db
      .selectFrom('visits')
      .where('at', '>=', at.dayStart)
      .where('at', '<', at.dayEnd)
      .select((eb) => ['owner_id as staff', eb.fn.countAll<number>().as('n')])
      .groupBy('owner_id')
      .execute(),
    db.selectFrom('pool_claims').where('day', '=', at.day).select((eb) => ['staff_id as staff', eb.fn.countAll<number>().as('n')]).groupBy('staff_id').execute(),
    db
      .selectFrom('change_requests')
      .where('status', '=', 'pending')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow(),
  ])
  return {
    overdue: perStaff(overdue),
    escalated: perStaff(escalated),
    dueToday: perStaff(dueToday),
    viewings: perStaff(viewings),
    visits: perStaff(visits),
    claims: perStaff(claims),
    pendingApprovals: Number(pending.n),
  }
}
