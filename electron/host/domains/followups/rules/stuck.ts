import { sql } from 'kysely'
import { DAY_MS } from '@shared/domain/rules'
import { inScope } from '../../clients/client-scope'
import { affected, isoFrom, WATCHED_CLIENT, titleKey, type FollowUpRule } from './rule'

/** 6. A negotiation stuck for 15 days: every active manager is asked to step in. */
export const stuckRule: FollowUpRule = {
  name: 'stuck',
  async evaluate(db, { now, at, rules, scope }) {
    const created = await affected(
      db,
      sql`
        INSERT INTO tasks (staff_id, client_id, rule, text_key, detail, due_at, event_key, created_at)
        SELECT m.id, c.id, 'stuck', ${titleKey('task.stuck')}, c.name, ${isoFrom(now, DAY_MS)},
          'stuck:' || c.id || ':' || c.stage_changed_at || ':' || m.id, ${at}
        FROM clients c JOIN staff m ON m.role = 'manager' AND m.active = 1
        WHERE ${WATCHED_CLIENT} AND c.stage = 'negotiating' AND c.stage_changed_at <= ${isoFrom(now, -rules.escalateNegotiationDays * DAY_MS)} ${inScope(scope, 'c.id')}
        ON CONFLICT (event_key) DO NOTHING`,
    )
    return { created }
  },
}
