import type { Migration } from '../migration'

/**
 * When each group of a subscription day was called and when its time ended (issue #21, the 汇总's
 * time per group): one row a called group, written by the call itself (called_at) and by the close
 * of the group (ended_at: the manager's next call, or the deadline when the countdown ran out), so
 * the summary states each group's time exactly instead of guessing it from arrivals and picks.
 */
export const m032SubscriptionCalls: Migration = {
  version: 32,
  name: 'subscription-calls',
  up: `
    CREATE TABLE subscription_calls (
      event_id INTEGER NOT NULL REFERENCES subscription_events(id),
      day INTEGER NOT NULL CHECK (day > 0),
      grp INTEGER NOT NULL CHECK (grp > 0),
      called_at TEXT NOT NULL,
      ended_at TEXT CHECK (ended_at IS NULL OR ended_at >= called_at),
      PRIMARY KEY (event_id, day, grp)
    ) STRICT;
  `,
}
