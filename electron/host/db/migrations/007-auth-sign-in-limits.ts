import type { Migration } from '../migration'

/**
 * Failed sign-ins and password checks per address and account (see SignInGuard): kept on disk so
 * that a restarted host, however it was stopped, does not forgive a guesser. One row per key with
 * something to remember; a key with nothing left is deleted.
 */
export const m007AuthSignInLimits: Migration = {
  version: 7,
  name: 'auth-sign-in-limits',
  up: `
    CREATE TABLE sign_in_limits (
      -- addr:<address>, acct:<username in lower case> or change:<staff id>
      key TEXT PRIMARY KEY,
      failures INTEGER NOT NULL CHECK (failures >= 0),
      -- locks so far: the step of the back-off ladder the next lock takes
      level INTEGER NOT NULL CHECK (level >= 0),
      last_failure_at TEXT NOT NULL,
      locked_until TEXT,
      -- this streak's failures by the other key they came from (JSON object), bounded
      failed_by TEXT NOT NULL DEFAULT '{}'
    ) STRICT;
  `,
}
