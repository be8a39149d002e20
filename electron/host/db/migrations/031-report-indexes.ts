import type { Migration } from '../migration'

/**
 * Indexes for the branch reports of issue #19 item 2 (response times, visits and swipes by hour,
 * board sell-through and payments due, the club): each report reads one period of rows, so each
 * table it starts from gets an index on its time column. Nothing else changes.
 */
export const m031ReportIndexes: Migration = {
  version: 31,
  name: 'report-indexes',
  up: `
    CREATE INDEX assignments_at ON assignments(assigned_at);
    CREATE INDEX assignments_client ON assignments(client_id, assigned_at);
    CREATE INDEX visits_at ON visits(at);
    CREATE INDEX points_ledger_at ON points_ledger(at);
    CREATE INDEX referrals_created ON referrals(created_at);
    CREATE INDEX transaction_steps_status_at ON transaction_steps(status, at);
    CREATE INDEX payment_schedule_due ON payment_schedule(due_date);
  `,
}
