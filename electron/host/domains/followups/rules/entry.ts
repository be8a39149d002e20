import { sql } from 'kysely'
import { DAY_MS } from '@shared/domain/rules'
import { isoPlusHours } from '../../../db/sqlite-sql'
import { inScope } from '../../clients/client-scope'
import { affected, isoFrom, titleKey, WATCHED_CLIENT, type FollowUpRule } from './rule'

/**
 * 0. An enquiry the front desk registered (a walk-in, a call) is taken up by its agent within
 * enquiryEntryHours of reception (DESIGN §6: 1 hour): a task due then, for the agent the client
 * went to; the agent's first contact closes it (reason-gone), and escalation takes it to the
 * manager when missed. Clients the desk left in the pool get theirs when someone owns them.
 */
export const entryRule: FollowUpRule = {
  name: 'entry',
  async evaluate(db, { now, at, rules, scope }) {
    const created = await affected(
      db,
      sql`
        INSERT INTO tasks (staff_id, client_id, rule, text_key, detail, due_at, event_key, created_at)
        SELECT c.owner_id, c.id, 'entry', ${titleKey('task.entry')}, c.name, ${isoPlusHours(sql.ref('c.created_at'), rules.enquiryEntryHours)}, 'entry:' || c.id, ${at}
        FROM clients c JOIN staff d ON d.id = c.created_by
        WHERE ${WATCHED_CLIENT} AND c.created_at >= ${isoFrom(now, -rules.poolReturnDays * DAY_MS)} ${inScope(scope, 'c.id')}
          AND d.role = 'front_desk' AND c.last_follow_up_at IS NULL
        ON CONFLICT (event_key) DO NOTHING`,
    )
    return { created }
  },
}
