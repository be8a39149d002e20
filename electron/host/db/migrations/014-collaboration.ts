import type { Migration } from '../migration'

/**
 * 申请协作 answered (issue 16): a request is open, accepted (the requester works the client
 * beside its owner), declined (with the answerer's reason) or closed (the requester left the
 * branch). Who answered and why is kept; `version` refuses an answer to a request answered
 * meanwhile. SQLite cannot widen a CHECK, so the table is rebuilt with its rows.
 */
export const m014Collaboration: Migration = {
  version: 14,
  name: 'collaboration',
  up: `
    CREATE TABLE collaboration_requests_new (
      id INTEGER PRIMARY KEY,
      client_id INTEGER NOT NULL REFERENCES clients(id),
      requester_id INTEGER NOT NULL REFERENCES staff(id),
      owner_id INTEGER REFERENCES staff(id),
      note TEXT NOT NULL,
      status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open','accepted','declined','closed')),
      created_at TEXT NOT NULL,
      decided_at TEXT,
      decided_by INTEGER REFERENCES staff(id),
      decision_reason TEXT,
      version INTEGER NOT NULL DEFAULT 0
    ) STRICT;
    INSERT INTO collaboration_requests_new (id, client_id, requester_id, owner_id, note, status, created_at, decided_at)
      SELECT id, client_id, requester_id, owner_id, note, status, created_at, decided_at FROM collaboration_requests;
    DROP TABLE collaboration_requests;
    ALTER TABLE collaboration_requests_new RENAME TO collaboration_requests;
    CREATE INDEX collaboration_requests_owner ON collaboration_requests(owner_id, status);
    CREATE INDEX collaboration_requests_client ON collaboration_requests(client_id, status);
    CREATE INDEX collaboration_requests_requester ON collaboration_requests(requester_id, status);
  `,
}
