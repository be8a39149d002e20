import { sql } from 'kysely'
import { DAY_MS } from '@shared/domain/rules'
import { isoPlusHours } from '../../../db/sqlite-sql'
import { inScope } from '../../clients/client-scope'
import { affected, isoFrom, openTask, WATCHED_CLIENT, titleKey, type FollowUpRule } from './rule'

/** 1. A new client is filed and their needs recorded within 24 h of first contact; recording a need closes the task. */
export const needsRule: FollowUpRule = {
  name: 'needs',
  async evaluate(db, { now, at, rules, scope }) {
    const created = await affected(
      db,
      sql`
        INSERT INTO tasks (staff_id, client_id, rule, text_key, detail, due_at, event_key, created_at)
        SELECT c.owner_id, c.id, 'needs', ${titleKey('task.needs')}, c.name, ${isoPlusHours(sql.ref('c.created_at'), rules.needsWithinHours)}, 'needs:' || c.id, ${at}
        FROM clients c
        WHERE ${WATCHED_CLIENT} AND c.created_at >= ${isoFrom(now, -rules.poolReturnDays * DAY_MS)} ${inScope(scope, 'c.id')}
          AND NOT EXISTS (SELECT 1 FROM requirements r WHERE r.client_id = c.id AND r.active = 1)
        ON CONFLICT (event_key) DO NOTHING`,
    )
    const resolved = await affected(
      db,
      sql`
        UPDATE tasks SET status = 'done', done_at = ${at}
        WHERE ${openTask(scope, 'status')} AND rule = 'needs' ${inScope(scope, 'client_id')}
          AND EXISTS (SELECT 1 FROM requirements r WHERE r.client_id = tasks.client_id AND r.active = 1)`,
    )
    return { created, resolved }
  },
}
