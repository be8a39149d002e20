import type { Migration } from '../migration'

/**
 * The standby host (issue #18 item 9). change_log: one row per row written, filled by the triggers
 * db/change-feed.ts makes at every start (so later migrations' tables are covered too); row_key is
 * the row's primary key as text (one value, or a JSON array of several; SQLite's affinity turns an
 * integer key back into a number where it is compared). A standby pulls what follows its
 * cursor and the current rows those keys name.
 * standby_feeds (on the host): the paired devices the admin made standbys, and how far each has
 * applied (change_log is pruned behind the slowest one that pulled this week).
 * standby_cursor (on a standby): the host it follows and the last change it applied.
 * Neither of the last two is in the feed: each belongs to its own PC.
 */
export const m041StandbyFeed: Migration = {
  version: 41,
  name: 'standby-feed',
  up: `
    CREATE TABLE change_log (
      seq INTEGER PRIMARY KEY,
      tbl TEXT NOT NULL,
      row_key TEXT
    ) STRICT;
    CREATE TABLE standby_feeds (
      device_id INTEGER PRIMARY KEY REFERENCES paired_devices(id),
      acked_seq INTEGER NOT NULL,
      allowed_at TEXT NOT NULL,
      last_pull_at TEXT,
      address TEXT
    ) STRICT;
    CREATE TABLE standby_cursor (
      id INTEGER PRIMARY KEY CHECK (id = 1),
      host_url TEXT NOT NULL,
      seq INTEGER NOT NULL,
      pulled_at TEXT NOT NULL
    ) STRICT;
  `,
}
