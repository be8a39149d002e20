import { sql } from 'kysely'
import { inScope } from '../../clients/client-scope'
import { affected, openTask, type FollowUpRule } from './rule'

/**
 * Tasks whose reason went away close themselves: the first contact with an enquiry the desk registered; a follow-up after a negotiation, wake-up or
 * viewing task was set, or a policy-news task (告知政策: the news told); a follow-up after the one that set a next action (strictly later: the
 * contact that sets it is stamped with the task's own time); activity after a wake-up; a follow-up since a claim; a
 * negotiation that moved on (stuck); a signed client (contract). One statement for all of them:
 * one pass over the open tasks, not one per rule.
 */
export const reasonGoneRule: FollowUpRule = {
  name: 'reason-gone',
  async evaluate(db, { at, scope }) {
    const resolved = await affected(
      db,
      sql`
        UPDATE tasks SET status = 'done', done_at = ${at}
        WHERE ${openTask(scope, 'status')} ${inScope(scope, 'client_id')} AND (
          (rule = 'entry' AND EXISTS (SELECT 1 FROM clients c WHERE c.id = tasks.client_id AND c.last_follow_up_at IS NOT NULL))
          OR (rule IN ('negotiation', 'wake', 'viewing', 'policy') AND EXISTS (SELECT 1 FROM clients c WHERE c.id = tasks.client_id AND c.last_follow_up_at >= tasks.created_at))
          OR (rule = 'next' AND EXISTS (SELECT 1 FROM clients c WHERE c.id = tasks.client_id AND c.last_follow_up_at > tasks.created_at))
          OR (rule = 'wake' AND EXISTS (SELECT 1 FROM clients c WHERE c.id = tasks.client_id AND c.last_activity_at > tasks.created_at))
          OR (rule = 'claim' AND EXISTS (SELECT 1 FROM clients c WHERE c.id = tasks.client_id AND c.last_follow_up_at >= c.claimed_at))
          OR (rule = 'stuck' AND EXISTS (SELECT 1 FROM clients c WHERE c.id = tasks.client_id AND c.stage != 'negotiating'))
          OR (rule = 'contract' AND EXISTS (SELECT 1 FROM clients c WHERE c.id = tasks.client_id AND c.stage = 'closed'))
        )`,
    )
    return { resolved }
  },
}
