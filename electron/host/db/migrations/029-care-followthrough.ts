import type { Migration } from '../migration'

/**
 * Care lists worked through, and member levels from behaviour (issue #20 items 3 and 7).
 * - care_greetings gains an outcome: a greeting done (a follow-up, as before) or skipped with a
 *   note (no follow-up, so follow_up_id becomes nullable: SQLite rebuilds the table for that).
 * - policy_news: a text sent to a segment of the book, fanned out as tasks to the owner agents.
 * - club_levels gains the purchase thresholds (amount in fen and number of deals) used when the
 *   branch's level rule is "purchases" instead of points (seed 004); the rule itself is a setting.
 */
export const m029CareFollowthrough: Migration = {
  version: 29,
  name: 'care-followthrough',
  up: `
    CREATE TABLE care_greetings_new (
      id INTEGER PRIMARY KEY,
      client_id INTEGER NOT NULL REFERENCES clients(id),
      occasion TEXT NOT NULL,
      occasion_date TEXT NOT NULL,
      outcome TEXT NOT NULL DEFAULT 'done' CHECK (outcome IN ('done','skipped')),
      follow_up_id INTEGER REFERENCES follow_ups(id),
      staff_id INTEGER NOT NULL REFERENCES staff(id),
      channel TEXT CHECK (channel IS NULL OR channel IN ('wechat','sms','phone')),
      note TEXT,
      done_at TEXT NOT NULL,
      UNIQUE (client_id, occasion, occasion_date),
      CHECK ((outcome = 'done' AND follow_up_id IS NOT NULL AND channel IS NOT NULL AND note IS NULL)
          OR (outcome = 'skipped' AND follow_up_id IS NULL AND channel IS NULL AND note IS NOT NULL))
    ) STRICT;
    INSERT INTO care_greetings_new (id, client_id, occasion, occasion_date, outcome, follow_up_id, staff_id, channel, done_at)
      SELECT id, client_id, occasion, occasion_date, 'done', follow_up_id, staff_id, channel, done_at FROM care_greetings;
    DROP TABLE care_greetings;
    ALTER TABLE care_greetings_new RENAME TO care_greetings;

    CREATE TABLE policy_news (
      id INTEGER PRIMARY KEY,
      text TEXT NOT NULL,
      segment TEXT NOT NULL,
      clients INTEGER NOT NULL,
      agents INTEGER NOT NULL,
      created_by INTEGER NOT NULL REFERENCES staff(id),
      created_at TEXT NOT NULL
    ) STRICT;

    ALTER TABLE club_levels ADD COLUMN min_amount INTEGER NOT NULL DEFAULT 0 CHECK (min_amount >= 0);
    ALTER TABLE club_levels ADD COLUMN min_deals INTEGER NOT NULL DEFAULT 0 CHECK (min_deals >= 0);
  `,
}
