import type { Migration } from '../migration'

/**
 * The manager's reports and KPIs at 100,000 clients and a million follow-ups (issue #19, "every
 * dashboard figure and report under 200 ms"). Each index covers what a statement reads, so it walks
 * a narrow index range and no table row (figures in docs/performance.md, plans held by
 * tests/unit/report-plans.test.ts and kpi-rows.test.ts):
 * - follow_ups_contacts: an agent's contacts in a period (跟进与成交): only follow-ups that are not
 *   notes and not imported history, so the range holds exactly what is counted;
 * - follow_ups_first_contact: a client's contacts in time order, so "the first contact after a
 *   start" is one seek (the response-time KPI and report);
 * - stage_spells_funnel: the funnel's clients per stage in client order: count(DISTINCT) walks the
 *   index with no temporary b-tree;
 * - stage_spells_kpi: a stage's spells by start with owner, end, client and the stage they ended
 *   into (the period's deals, potential → intent, intent → deal); it begins with
 *   stage_spells_stage_start's columns, which it replaces;
 * - clients_lost: 流失原因, lost clients by when they were lost, with the reason;
 * - clients_created_kpi: clients created in a period with owner and completeness.
 * channel, import_id and merged_into are columns too where an index's condition names them, or
 * SQLite reads each row to check the condition and the index no longer covers.
 */
export const m042ReportCovering: Migration = {
  version: 42,
  name: 'report-covering',
  up: `
    CREATE INDEX follow_ups_contacts ON follow_ups(staff_id, created_at, channel, import_id) WHERE channel != 'note' AND import_id IS NULL;
    CREATE INDEX follow_ups_first_contact ON follow_ups(client_id, created_at, channel, import_id) WHERE channel != 'note' AND import_id IS NULL;
    CREATE INDEX stage_spells_funnel ON client_stage_spells(stage, client_id, started_at, ended_at);
    CREATE INDEX stage_spells_kpi ON client_stage_spells(stage, started_at, ended_at, owner_id, client_id, next_stage);
    DROP INDEX stage_spells_stage_start;
    CREATE INDEX clients_lost ON clients(stage, lost_at, lost_reason, merged_into) WHERE stage = 'lost' AND merged_into IS NULL;
    CREATE INDEX clients_created_kpi ON clients(created_at, owner_id, completeness, merged_into) WHERE merged_into IS NULL;
  `,
}
