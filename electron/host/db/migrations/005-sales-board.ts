import type { Migration } from '../migration'

/** Projects, buildings, units; unit transactions (the status source), payments, schedules, change requests, publications. */
export const m005SalesBoard: Migration = {
  version: 5,
  name: 'sales-board',
  up: `
    CREATE TABLE projects (
      id INTEGER PRIMARY KEY,
      name TEXT NOT NULL UNIQUE,
      district TEXT,
      created_at TEXT NOT NULL
    ) STRICT;

    CREATE TABLE buildings (
      id INTEGER PRIMARY KEY,
      project_id INTEGER NOT NULL REFERENCES projects(id),
      name TEXT NOT NULL,
      UNIQUE (project_id, name)
    ) STRICT;

    CREATE TABLE units (
      id INTEGER PRIMARY KEY,
      building_id INTEGER NOT NULL REFERENCES buildings(id),
      floor INTEGER NOT NULL,
      number TEXT NOT NULL,
      layout TEXT,
      area INTEGER NOT NULL CHECK (area > 0),
      orientation TEXT,
      list_price INTEGER NOT NULL CHECK (list_price > 0),
      tags TEXT NOT NULL DEFAULT '[]',
      bedrooms INTEGER,
      version INTEGER NOT NULL DEFAULT 0,
      UNIQUE (building_id, number)
    ) STRICT;
    CREATE INDEX units_match ON units(area, list_price);

    -- the only source of a unit's status; exactly one live transaction per unit
    CREATE TABLE unit_transactions (
      id INTEGER PRIMARY KEY,
      unit_id INTEGER NOT NULL REFERENCES units(id),
      client_id INTEGER REFERENCES clients(id),
      agent_id INTEGER REFERENCES staff(id),
      status TEXT NOT NULL CHECK (status IN ('hold','small_deposit','pledge','subscribe','sign','sold','withheld')),
      live INTEGER NOT NULL DEFAULT 1 CHECK (live IN (0, 1)),
      price INTEGER NOT NULL DEFAULT 0,
      reason TEXT,
      expires_at TEXT,
      closed_reason TEXT,
      created_by INTEGER REFERENCES staff(id),
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL,
      closed_at TEXT
    ) STRICT;
    CREATE UNIQUE INDEX unit_transactions_one_live ON unit_transactions(unit_id) WHERE live = 1;
    CREATE INDEX unit_transactions_expiry ON unit_transactions(expires_at) WHERE live = 1 AND expires_at IS NOT NULL;
    CREATE INDEX unit_transactions_client ON unit_transactions(client_id);

    -- who did what, when, for whom and for how much, at each step
    CREATE TABLE transaction_steps (
      id INTEGER PRIMARY KEY,
      tx_id INTEGER NOT NULL REFERENCES unit_transactions(id),
      status TEXT NOT NULL,
      amount INTEGER,
      note TEXT,
      staff_id INTEGER REFERENCES staff(id),
      at TEXT NOT NULL
    ) STRICT;
    CREATE INDEX transaction_steps_tx ON transaction_steps(tx_id, id);

    CREATE TABLE payments (
      id INTEGER PRIMARY KEY,
      tx_id INTEGER NOT NULL REFERENCES unit_transactions(id),
      receipt_no TEXT NOT NULL UNIQUE,
      method TEXT NOT NULL CHECK (method IN ('cash','card','transfer','pos')),
      amount INTEGER NOT NULL,
      paid_at TEXT NOT NULL,
      staff_id INTEGER REFERENCES staff(id)
    ) STRICT;
    CREATE INDEX payments_tx ON payments(tx_id);

    CREATE TABLE payment_schedule (
      id INTEGER PRIMARY KEY,
      tx_id INTEGER NOT NULL REFERENCES unit_transactions(id),
      due_date TEXT NOT NULL,
      amount INTEGER NOT NULL CHECK (amount > 0),
      label TEXT NOT NULL
    ) STRICT;
    CREATE INDEX payment_schedule_tx ON payment_schedule(tx_id, due_date);

    CREATE TABLE change_requests (
      id INTEGER PRIMARY KEY,
      kind TEXT NOT NULL CHECK (kind IN ('rename','swap','cancel','price','discount')),
      unit_id INTEGER REFERENCES units(id),
      tx_id INTEGER REFERENCES unit_transactions(id),
      payload TEXT NOT NULL,
      status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','approved','rejected','withdrawn')),
      requested_by INTEGER NOT NULL REFERENCES staff(id),
      decided_by INTEGER REFERENCES staff(id),
      comments TEXT NOT NULL DEFAULT '[]',
      created_at TEXT NOT NULL,
      decided_at TEXT
    ) STRICT;
    CREATE INDEX change_requests_status ON change_requests(status, id);

    CREATE TABLE finance_todos (
      id INTEGER PRIMARY KEY,
      kind TEXT NOT NULL,
      tx_id INTEGER REFERENCES unit_transactions(id),
      change_id INTEGER REFERENCES change_requests(id),
      amount INTEGER NOT NULL,
      note TEXT NOT NULL,
      status TEXT NOT NULL DEFAULT 'open',
      created_at TEXT NOT NULL
    ) STRICT;

    CREATE TABLE board_publications (
      id INTEGER PRIMARY KEY,
      project_id INTEGER NOT NULL REFERENCES projects(id),
      snapshot TEXT NOT NULL,
      published_by INTEGER NOT NULL REFERENCES staff(id),
      published_at TEXT NOT NULL
    ) STRICT;
    CREATE INDEX board_publications_project ON board_publications(project_id, id);
  `,
}
