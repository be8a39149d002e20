import { sql } from 'kysely'
import { isoPlusHours } from '../../../db/sqlite-sql'
import { inScope } from '../../clients/client-scope'
import { affected, WATCHED_CLIENT, titleKey, type FollowUpRule } from './rule'

/** 4. The contract within 3 days of an agreement (once per agreement). */
export const contractRule: FollowUpRule = {
  name: 'contract',
  async evaluate(db, { at, rules, scope }) {
    const created = await affected(
      db,
      sql`
        INSERT INTO tasks (staff_id, client_id, rule, text_key, detail, due_at, event_key, created_at)
        SELECT c.owner_id, c.id, 'contract', ${titleKey('task.contract')}, c.name, ${isoPlusHours(sql.ref('c.agreed_at'), rules.contractDays * 24)},
          'contract:' || c.id || ':' || c.agreed_at, ${at}
        FROM clients c
        WHERE ${WATCHED_CLIENT} AND c.intention = 'agreed' AND c.agreed_at IS NOT NULL ${inScope(scope, 'c.id')}
        ON CONFLICT (event_key) DO NOTHING`,
    )
    return { created }
  },
}
