import type { Migration } from '../migration'

/**
 * The clients whose behaviour tags lapse with time (a contact or a viewing in a window: 近3天咨询N次,
 * 近期有联系, 愿意超预算, 预算内看房), as a partial index: the once-a-minute pass re-reads only these,
 * not the whole book (a change re-reads its own client at once; the whole book once a day).
 * The WHERE clause is the text of LAPSING_TAGS_SQL in domains/clients/behaviour-tags.ts: the planner
 * uses the index only for a query that repeats it.
 */
export const m016LapsingTags: Migration = {
  version: 16,
  name: 'lapsing-tags',
  up: `
    CREATE INDEX clients_lapsing_tags ON clients(id)
      WHERE instr(behaviour_tags, '"enquiries:') > 0 OR instr(behaviour_tags, '"recentContact"') > 0
        OR instr(behaviour_tags, '"budgetStretch"') > 0 OR instr(behaviour_tags, '"withinBudget"') > 0;
  `,
}
