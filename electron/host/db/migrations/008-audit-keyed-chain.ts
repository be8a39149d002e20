import type { Migration } from '../migration'

/**
 * The audit chain becomes keyed (HMAC-SHA256, key derived from the database key) and numbers
 * in audited inputs are stored masked with a keyed hash beside them. Old rows keep their plain
 * SHA-256 links untouched: `alg` marks each row's algorithm (existing rows take the default),
 * and verify walks both. `audit_number` indexes the keyed hashes so an admin can find the rows
 * that mention a number; like the log it only grows.
 */
export const m008AuditKeyedChain: Migration = {
  version: 8,
  name: 'audit-keyed-chain',
  up: `
    ALTER TABLE audit_log ADD COLUMN alg TEXT NOT NULL DEFAULT 'sha256' CHECK (alg IN ('sha256', 'hmac-sha256'));
    -- keyed hashes (hex, space-separated, sorted) of the phones and ID numbers in the row; part of the link
    ALTER TABLE audit_log ADD COLUMN number_keys TEXT NOT NULL DEFAULT '';

    CREATE TABLE audit_number (
      key TEXT NOT NULL,
      audit_id INTEGER NOT NULL REFERENCES audit_log(id),
      PRIMARY KEY (key, audit_id)
    ) STRICT, WITHOUT ROWID;

    CREATE TRIGGER audit_number_no_update BEFORE UPDATE ON audit_number
      BEGIN SELECT RAISE(ABORT, 'audit_number is append-only'); END;
    CREATE TRIGGER audit_number_no_delete BEFORE DELETE ON audit_number
      BEGIN SELECT RAISE(ABORT, 'audit_number is append-only'); END;
  `,
}
