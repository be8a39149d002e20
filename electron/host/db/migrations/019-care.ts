import type { Migration } from '../migration'

/**
 * Care lists (issue #20): a client's birth date, with its month-day beside it in an indexed
 * column so "whose birthday is in the coming week" reads a few index entries instead of the whole
 * book; and the greetings done, one per client, occasion and date, each pointing at the
 * follow-up it was logged as (so it counts as a contact).
 */
export const m019Care: Migration = {
  version: 19,
  name: 'care',
  up: `
    ALTER TABLE clients ADD COLUMN birth_date TEXT CHECK (birth_date IS NULL OR birth_date GLOB '[12][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]');
    ALTER TABLE clients ADD COLUMN birth_md TEXT;
    CREATE INDEX clients_birth_md ON clients(birth_md, owner_id) WHERE birth_md IS NOT NULL AND merged_into IS NULL;
    CREATE TABLE care_greetings (
      id INTEGER PRIMARY KEY,
      client_id INTEGER NOT NULL REFERENCES clients(id),
      occasion TEXT NOT NULL,
      occasion_date TEXT NOT NULL,
      follow_up_id INTEGER NOT NULL REFERENCES follow_ups(id),
      staff_id INTEGER NOT NULL REFERENCES staff(id),
      channel TEXT NOT NULL CHECK (channel IN ('wechat','sms','phone')),
      done_at TEXT NOT NULL,
      UNIQUE (client_id, occasion, occasion_date)
    ) STRICT;
  `,
}
