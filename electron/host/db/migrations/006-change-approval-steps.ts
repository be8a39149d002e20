import type { Migration } from '../migration'

/**
 * Change requests go through ordered approval steps and may change many units' prices at once
 * (批量调价). SQLite cannot widen a CHECK in place, so change_requests is rebuilt; finance_todos,
 * which points at it, is rebuilt alongside so foreign keys stay on throughout. Requests decided
 * before this version get their one manager decision in the trail.
 */
export const m006ChangeApprovalSteps: Migration = {
  version: 6,
  name: 'change-approval-steps',
  up: `
    CREATE TABLE change_requests_new (
      id INTEGER PRIMARY KEY,
      kind TEXT NOT NULL CHECK (kind IN ('rename','swap','cancel','price','discount','bulkPrice')),
      unit_id INTEGER REFERENCES units(id),
      -- the unit's project; for a 批量调价 (no unit_id) the project all its units are in
      project_id INTEGER NOT NULL REFERENCES projects(id),
      tx_id INTEGER REFERENCES unit_transactions(id),
      payload TEXT NOT NULL,
      status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','approved','rejected','withdrawn')),
      -- the roles of the approval steps (JSON array), fixed when the request is (re)submitted
      steps TEXT NOT NULL DEFAULT '["manager"]',
      -- index into steps of the step awaiting a decision
      step INTEGER NOT NULL DEFAULT 0 CHECK (step >= 0),
      -- 1, and one more at each resubmission; decisions belong to a round
      round INTEGER NOT NULL DEFAULT 1 CHECK (round >= 1),
      requested_by INTEGER NOT NULL REFERENCES staff(id),
      decided_by INTEGER REFERENCES staff(id),
      comments TEXT NOT NULL DEFAULT '[]',
      created_at TEXT NOT NULL,
      decided_at TEXT
    ) STRICT;
    INSERT INTO change_requests_new (id, kind, unit_id, project_id, tx_id, payload, status, requested_by, decided_by, comments, created_at, decided_at)
      SELECT id, kind, unit_id, (SELECT b.project_id FROM units u JOIN buildings b ON b.id = u.building_id WHERE u.id = change_requests.unit_id), tx_id, payload, status, requested_by, decided_by, comments, created_at, decided_at FROM change_requests;

    CREATE TABLE finance_todos_new (
      id INTEGER PRIMARY KEY,
      kind TEXT NOT NULL,
      tx_id INTEGER REFERENCES unit_transactions(id),
      change_id INTEGER REFERENCES change_requests_new(id),
      amount INTEGER NOT NULL,
      note TEXT NOT NULL,
      status TEXT NOT NULL DEFAULT 'open',
      created_at TEXT NOT NULL
    ) STRICT;
    INSERT INTO finance_todos_new (id, kind, tx_id, change_id, amount, note, status, created_at)
      SELECT id, kind, tx_id, change_id, amount, note, status, created_at FROM finance_todos;

    DROP TABLE finance_todos;
    DROP TABLE change_requests;
    ALTER TABLE change_requests_new RENAME TO change_requests;
    ALTER TABLE finance_todos_new RENAME TO finance_todos;
    CREATE INDEX change_requests_status ON change_requests(status, id);
    CREATE INDEX change_requests_unit ON change_requests(unit_id, status);
    CREATE INDEX change_requests_project ON change_requests(project_id, status);

    -- who decided which step of which round, when, and why: the approval trail
    CREATE TABLE change_decisions (
      id INTEGER PRIMARY KEY,
      change_id INTEGER NOT NULL REFERENCES change_requests(id),
      round INTEGER NOT NULL,
      step INTEGER NOT NULL,
      role TEXT NOT NULL,
      staff_id INTEGER NOT NULL REFERENCES staff(id),
      approve INTEGER NOT NULL CHECK (approve IN (0, 1)),
      comment TEXT,
      at TEXT NOT NULL,
      UNIQUE (change_id, round, step)
    ) STRICT;
    INSERT INTO change_decisions (change_id, round, step, role, staff_id, approve, comment, at)
      SELECT id, 1, 0, 'manager', decided_by, CASE status WHEN 'approved' THEN 1 ELSE 0 END, NULL, decided_at
      FROM change_requests
      WHERE status IN ('approved', 'rejected') AND decided_by IS NOT NULL AND decided_at IS NOT NULL;
  `,
}
