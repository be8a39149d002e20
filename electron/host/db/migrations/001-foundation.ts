import type { Migration } from '../migration'

/** Staff, sessions, settings and the hash-chained audit log. */
export const m001Foundation: Migration = {
  version: 1,
  name: 'foundation',
  up: `
    CREATE TABLE staff (
      id INTEGER PRIMARY KEY,
      username TEXT NOT NULL COLLATE NOCASE UNIQUE,
      name TEXT NOT NULL,
      role TEXT NOT NULL CHECK (role IN ('front_desk','agent','senior_agent','manager','admin')),
      team TEXT,
      region TEXT,
      phone TEXT,
      active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0,1)),
      left_at TEXT,
      password_hash TEXT NOT NULL,
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL,
      version INTEGER NOT NULL DEFAULT 0
    ) STRICT;
    CREATE INDEX staff_role ON staff(role, active);

    CREATE TABLE sessions (
      token_hash TEXT PRIMARY KEY,
      staff_id INTEGER NOT NULL REFERENCES staff(id),
      created_at TEXT NOT NULL,
      expires_at TEXT NOT NULL,
      last_seen_at TEXT NOT NULL,
      address TEXT,
      revoked_at TEXT
    ) STRICT;
    CREATE INDEX sessions_staff ON sessions(staff_id);

    CREATE TABLE settings (
      key TEXT PRIMARY KEY,
      value TEXT NOT NULL,
      updated_at TEXT NOT NULL
    ) STRICT;

    CREATE TABLE audit_log (
      id INTEGER PRIMARY KEY,
      at TEXT NOT NULL,
      actor_id INTEGER,
      actor_name TEXT,
      action TEXT NOT NULL,
      target TEXT,
      detail TEXT NOT NULL,
      address TEXT,
      prev_hash TEXT NOT NULL,
      hash TEXT NOT NULL
    ) STRICT;
    CREATE INDEX audit_actor ON audit_log(actor_id, id);
    CREATE INDEX audit_action ON audit_log(action, id);

    -- append-only: the log can grow, never change
    CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit_log
      BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
    CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit_log
      BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
  `,
}
