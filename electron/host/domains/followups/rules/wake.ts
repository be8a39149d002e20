import { sql } from 'kysely'
import { DAY_MS } from '@shared/domain/rules'
import { inScope } from '../../clients/client-scope'
import { affected, isoFrom, WATCHED_CLIENT, titleKey, type FollowUpRule } from './rule'

/** 5. No interaction for 7 days: a wake-up task (once per silence, however long the host was off). */
export const wakeRule: FollowUpRule = {
  name: 'wake',
  async evaluate(db, { now, at, rules, scope }) {
    const created = await affected(
      db,
      sql`
        INSERT INTO tasks (staff_id, client_id, rule, text_key, detail, due_at, event_key, created_at)
        SELECT c.owner_id, c.id, 'wake', ${titleKey('task.wake')}, c.name, ${isoFrom(now, DAY_MS)}, 'wake:' || c.id || ':' || c.last_activity_at, ${at}
        FROM clients c
        WHERE ${WATCHED_CLIENT} AND c.last_activity_at <= ${isoFrom(now, -rules.wakeUpDays * DAY_MS)}
          AND c.last_activity_at > ${isoFrom(now, -rules.poolReturnDays * DAY_MS)} ${inScope(scope, 'c.id')}
        ON CONFLICT (event_key) DO NOTHING`,
    )
    return { created }
  },
}
