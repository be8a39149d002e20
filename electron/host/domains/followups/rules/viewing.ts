import { sql } from 'kysely'
import { DAY_MS } from '@shared/domain/rules'
import { isoPlusHours } from '../../../db/sqlite-sql'
import { inScope } from '../../clients/client-scope'
import { affected, isoFrom, titleKey, type FollowUpRule } from './rule'

/** 2. A follow-up within 48 h after a viewing (contact on any channel but a note or the viewing itself). */
export const viewingRule: FollowUpRule = {
  name: 'viewing',
  async evaluate(db, { now, at, rules, scope }) {
    const created = await affected(
      db,
      sql`
        INSERT INTO tasks (staff_id, client_id, rule, text_key, detail, due_at, event_key, created_at)
        SELECT v.agent_id, v.client_id, 'viewing', ${titleKey('task.viewing')}, coalesce(v.address, ''), ${isoPlusHours(sql.ref('v.ends_at'), rules.afterViewingHours)}, 'viewing:' || v.id, ${at}
        FROM viewings v JOIN clients c ON c.id = v.client_id
        WHERE v.status = 'done' AND v.ends_at >= ${isoFrom(now, -rules.poolReturnDays * DAY_MS)} AND c.merged_into IS NULL ${inScope(scope, 'c.id')}
          AND NOT EXISTS (SELECT 1 FROM follow_ups f WHERE f.client_id = v.client_id AND f.created_at >= v.ends_at AND f.channel NOT IN ('note', 'viewing') AND f.import_id IS NULL)
        ON CONFLICT (event_key) DO NOTHING`,
    )
    return { created }
  },
}
