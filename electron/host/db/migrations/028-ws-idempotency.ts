import type { Migration } from '../migration'

/**
 * Idempotent writes (issue #17 item 4): a write sent with a key by a terminal whose connection was
 * cut before the reply is applied once; a retry with the same key gets the stored reply. Keyed by
 * the staff member (a new sign-in keeps them), pruned a day after (see idempotency.ts).
 */
export const m028WsIdempotency: Migration = {
  version: 28,
  name: 'ws-idempotency',
  up: `
    CREATE TABLE idempotent_writes (
      staff_id INTEGER NOT NULL REFERENCES staff(id),
      key TEXT NOT NULL CHECK (length(key) BETWEEN 1 AND 64),
      method TEXT NOT NULL,
      reply TEXT NOT NULL,
      created_at TEXT NOT NULL,
      PRIMARY KEY (staff_id, key)
    ) STRICT;
    CREATE INDEX idempotent_writes_created ON idempotent_writes(created_at);
  `,
}
