import type { Migration } from '../migration'

/**
 * The key ring (issue #18 item 3, rekey): inside the encrypted file, so only the current key
 * reads it. `audit_root` is the key the audit keys are derived from (the database's first key: a
 * rekey must not break the audit chain nor the number hashes written under it); `retired` rows
 * are the keys a rekey replaced, so a backup taken under one of them can still be restored.
 */
export const m030KeyRing: Migration = {
  version: 30,
  name: 'key-ring',
  up: `
    CREATE TABLE key_ring (
      id INTEGER PRIMARY KEY,
      purpose TEXT NOT NULL CHECK (purpose IN ('audit_root', 'retired')),
      key_hex TEXT NOT NULL CHECK (length(key_hex) = 64),
      at TEXT NOT NULL,
      UNIQUE (purpose, key_hex)
    ) STRICT;
    CREATE UNIQUE INDEX key_ring_one_audit_root ON key_ring (purpose) WHERE purpose = 'audit_root';
  `,
}
