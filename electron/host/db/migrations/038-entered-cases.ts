import type { Migration } from '../migration'

/**
 * 录入案例 (issue #20): deal cases a manager or senior agent types in by hand (a deal of another
 * agency, one closed before the system), searched beside the branch's own closed deals. No party
 * is recorded at all. Withdrawn cases stay (withdrawn_at set) so the audit log's target still names a row.
 */
export const m038EnteredCases: Migration = {
  version: 38,
  name: 'entered-cases',
  up: `
    CREATE TABLE entered_cases (
      id INTEGER PRIMARY KEY,
      project TEXT NOT NULL,
      community TEXT,
      district TEXT,
      layout TEXT,
      area INTEGER NOT NULL CHECK (area > 0),
      floor INTEGER,
      price INTEGER NOT NULL CHECK (price > 0),
      signed_on TEXT NOT NULL CHECK (signed_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
      terms TEXT,
      note TEXT,
      entered_by INTEGER NOT NULL REFERENCES staff(id),
      entered_at TEXT NOT NULL,
      withdrawn_at TEXT,
      version INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX entered_cases_live ON entered_cases (signed_on) WHERE withdrawn_at IS NULL;
  `,
}
