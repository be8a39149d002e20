import { sql } from 'kysely'
import { branchDay, HOUR_MS } from '@shared/domain/rules'
import { isoPlusHours } from '../../../db/sqlite-sql'
import { inScope } from '../../clients/client-scope'
import { affected, isoFrom, WATCHED_CLIENT, titleKey, type FollowUpRule } from './rule'

/** 3. During negotiation, a follow-up every day (one task per branch day at most). */
export const negotiationRule: FollowUpRule = {
  name: 'negotiation',
  async evaluate(db, { now, at, rules, scope }) {
    const created = await affected(
      db,
      sql`
        INSERT INTO tasks (staff_id, client_id, rule, text_key, detail, due_at, event_key, created_at)
        SELECT c.owner_id, c.id, 'negotiation', ${titleKey('task.negotiation')}, c.name,
          ${isoPlusHours(sql`coalesce(c.last_follow_up_at, c.stage_changed_at, c.created_at)`, rules.negotiationEveryHours)},
          'negotiation:' || c.id || ':' || ${branchDay(now)}, ${at}
        FROM clients c
        WHERE ${WATCHED_CLIENT} AND c.stage = 'negotiating' ${inScope(scope, 'c.id')}
          AND coalesce(c.last_follow_up_at, c.stage_changed_at, c.created_at) <= ${isoFrom(now, -rules.negotiationEveryHours * HOUR_MS)}
        ON CONFLICT (event_key) DO NOTHING`,
    )
    return { created }
  },
}
