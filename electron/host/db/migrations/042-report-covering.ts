import type { Migration } from '../migration'

/**
 * The manager's reports at 100,000 clients and a million follow-ups (issue #19, "every report
 * under 200 ms"). Each index covers one report's statement, so it reads a narrow index range and
 * no table row (measured in docs/performance.md, plans held by tests/unit/report-plans.test.ts):
 * - follow_ups_contacts: an agent's contacts in a period (跟进与成交): only follow-ups that are
 *   not notes and not imported history, so the range holds exactly what is counted; channel and
 *   import_id are columns too, or SQLite reads each row to check the index's own condition.
 * - stage_spells_funnel: the funnel's clients per stage, in client order: count(DISTINCT) walks
 *   the index without a temporary b-tree, ended_at checked in the index.
 * - stage_spells_deals: a period's deals (成交 and 复购转介 spells) with their owner and client.
 *   It begins with stage_spells_stage_start's columns, which it replaces.
 * - clients_lost: 流失原因, lost clients by when they were lost, with the reason.
 */
export const m042ReportCovering: Migration = {
  version: 42,
  name: 'report-covering',
  up: `
    CREATE INDEX follow_ups_contacts ON follow_ups(staff_id, created_at, channel, import_id) WHERE channel != 'note' AND import_id IS NULL;
    CREATE INDEX stage_spells_funnel ON client_stage_spells(stage, client_id, started_at, ended_at);
    CREATE INDEX stage_spells_deals ON client_stage_spells(stage, started_at, owner_id, client_id);
    DROP INDEX stage_spells_stage_start;
    CREATE INDEX clients_lost ON clients(stage, lost_at, lost_reason, merged_into) WHERE stage = 'lost' AND merged_into IS NULL;
  `,
}
