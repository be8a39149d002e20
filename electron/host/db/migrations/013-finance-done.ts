import type { Migration } from '../migration'

/**
 * A finance to-do is closed by someone, at a time, with a reference (the refund's voucher or the
 * new invoice's number): who, when and what are kept on the row. `version` refuses a second close
 * made from a stale list.
 */
export const m013FinanceDone: Migration = {
  version: 13,
  name: 'finance-done',
  up: `
    ALTER TABLE finance_todos ADD COLUMN done_by INTEGER REFERENCES staff(id);
    ALTER TABLE finance_todos ADD COLUMN done_at TEXT;
    ALTER TABLE finance_todos ADD COLUMN reference TEXT;
    ALTER TABLE finance_todos ADD COLUMN version INTEGER NOT NULL DEFAULT 0;
    CREATE INDEX finance_todos_status ON finance_todos(status, id);
  `,
}
