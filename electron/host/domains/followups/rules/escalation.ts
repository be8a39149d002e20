import { sql } from 'kysely'
import { DAY_MS, HOUR_MS } from '@shared/domain/rules'
import { jsonWith } from '../../../db/sqlite-sql'
import { markEscalated } from '../../tasks/tasks.repository'
import { inScope } from '../../clients/client-scope'
import { affected, isoFrom, openTask, titleKey, type FollowUpRule } from './rule'

/**
 * 9. Open tasks long past due (other than the managers' own) escalate to every active manager,
 * once: the escalation's title is the overdue task's (ofKey and its params) and whose it was. A
 * ticket's task is due at the ticket's deadline, which is already the response time the branch
 * promised the client (4 h for a VIP complaint): it escalates as soon as that is missed, not the
 * branch's escalation hours later.
 */
export const escalationRule: FollowUpRule = {
  name: 'escalation',
  async evaluate(db, { now, at, rules, scope }) {
    // In a scoped pass, `+` keeps due_at off the index: without statistics on tasks (a young
    // database) the planner would otherwise range over every overdue task of the branch in
    // tasks_open_due instead of the clients' few in tasks_client
    const dueAt = 'all' in scope ? sql.ref('t.due_at') : sql`+t.due_at`
    const overdue = (
      await sql<{ id: number }>`
        SELECT t.id FROM tasks t
        WHERE ${openTask(scope, 't.status')} AND t.escalated_at IS NULL AND t.rule NOT IN ('escalation', 'stuck')
          AND ${dueAt} <= ${isoFrom(now, 0)}
          AND (t.rule = 'ticket' OR ${dueAt} <= ${isoFrom(now, -rules.overdueEscalateHours * HOUR_MS)}) ${inScope(scope, 't.client_id')}`.execute(db)
    ).rows
    let escalated = 0
    for (let i = 0; i < overdue.length; i += 5000) {
      const chunk = overdue.slice(i, i + 5000).map((t) => t.id)
      escalated += await affected(
        db,
        sql`
          INSERT INTO tasks (staff_id, client_id, rule, text_key, text_params, detail, due_at, event_key, created_at)
          SELECT m.id, t.client_id, 'escalation', ${titleKey('task.escalation')},
            ${jsonWith(sql.ref('t.text_params'), { ofKey: sql.ref('t.text_key'), agent: sql.ref('s.name') })}, t.detail, ${isoFrom(now, DAY_MS)},
            'escalation:' || t.id || ':' || m.id, ${at}
          FROM tasks t JOIN staff s ON s.id = t.staff_id JOIN staff m ON m.role = 'manager' AND m.active = 1
          WHERE t.id IN (${sql.join(chunk)})
          ON CONFLICT (event_key) DO NOTHING`,
      )
      await markEscalated(db, chunk, at)
    }
    return { created: escalated, escalated }
  },
}
