import type { Migration } from '../migration'

/**
 * Paired devices (issue #17 item 2): each terminal PC or browser that typed a pairing code the
 * admin opened. The device proves itself on every LAN call with a secret kept only as its SHA-256
 * (token_hash); revoking sets revoked_at, and the host refuses that device from then on.
 * kind: 'terminal' (the desktop app, which pinned the branch CA) or 'browser' (installed the CA).
 */
export const m027PairedDevices: Migration = {
  version: 27,
  name: 'paired-devices',
  up: `
    CREATE TABLE paired_devices (
      id INTEGER PRIMARY KEY,
      name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 60),
      kind TEXT NOT NULL CHECK (kind IN ('terminal', 'browser')),
      token_hash TEXT NOT NULL UNIQUE,
      address TEXT,
      paired_at TEXT NOT NULL,
      last_seen_at TEXT,
      revoked_at TEXT,
      revoked_by INTEGER REFERENCES staff(id)
    ) STRICT;
    CREATE INDEX paired_devices_live ON paired_devices(revoked_at, id);
  `,
}
