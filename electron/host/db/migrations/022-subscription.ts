import type { Migration } from '../migration'

/**
 * Subscription days (认购日): VIP cards (认筹) with their 意向金 and wish lists, events, the queue
 * of each event (one row a card: its place, day, group and what became of it), the draws with
 * their commitments, and the lobby notices. A pick is a 认购 on unit_transactions (one live
 * transaction a unit); the queue also holds each unit at most once per event.
 */
export const m022Subscription: Migration = {
  version: 22,
  name: 'subscription',
  up: `
    CREATE TABLE vip_cards (
      id INTEGER PRIMARY KEY,
      project_id INTEGER NOT NULL REFERENCES projects(id),
      card_no INTEGER NOT NULL CHECK (card_no > 0),
      client_id INTEGER NOT NULL REFERENCES clients(id),
      deposit INTEGER NOT NULL CHECK (deposit > 0),
      receipt_no TEXT NOT NULL UNIQUE,
      method TEXT NOT NULL CHECK (method IN ('cash','card','transfer','pos')),
      paid_at TEXT NOT NULL,
      status TEXT NOT NULL DEFAULT 'valid' CHECK (status IN ('valid','used','forfeited','refunded','carried_over')),
      carry_over INTEGER NOT NULL DEFAULT 0 CHECK (carry_over IN (0, 1)),
      refund_todo_id INTEGER REFERENCES finance_todos(id),
      issued_by INTEGER NOT NULL REFERENCES staff(id),
      updated_at TEXT NOT NULL,
      UNIQUE (project_id, card_no)
    ) STRICT;
    CREATE INDEX vip_cards_client ON vip_cards(client_id);

    CREATE TABLE vip_wishes (
      card_id INTEGER NOT NULL REFERENCES vip_cards(id),
      rank INTEGER NOT NULL,
      unit_id INTEGER NOT NULL REFERENCES units(id),
      PRIMARY KEY (card_id, rank),
      UNIQUE (card_id, unit_id)
    ) STRICT;

    CREATE TABLE subscription_events (
      id INTEGER PRIMARY KEY,
      project_id INTEGER NOT NULL REFERENCES projects(id),
      name TEXT NOT NULL,
      days TEXT NOT NULL,
      cards_per_day INTEGER NOT NULL CHECK (cards_per_day > 0),
      group_size INTEGER NOT NULL CHECK (group_size > 0),
      minutes_per_group INTEGER NOT NULL CHECK (minutes_per_group > 0),
      order_by TEXT NOT NULL CHECK (order_by IN ('card','draw')),
      rules_text TEXT NOT NULL,
      status TEXT NOT NULL CHECK (status IN ('setup','drawing','ready','running','between','closed')),
      day INTEGER NOT NULL DEFAULT 0,
      grp INTEGER NOT NULL DEFAULT 0,
      deadline TEXT,
      created_by INTEGER NOT NULL REFERENCES staff(id),
      created_at TEXT NOT NULL
    ) STRICT;

    CREATE TABLE subscription_units (
      event_id INTEGER NOT NULL REFERENCES subscription_events(id),
      unit_id INTEGER NOT NULL REFERENCES units(id),
      PRIMARY KEY (event_id, unit_id)
    ) STRICT;

    CREATE TABLE subscription_queue (
      event_id INTEGER NOT NULL REFERENCES subscription_events(id),
      card_id INTEGER NOT NULL REFERENCES vip_cards(id),
      position INTEGER NOT NULL,
      day INTEGER NOT NULL,
      grp INTEGER NOT NULL,
      state TEXT NOT NULL DEFAULT 'waiting' CHECK (state IN ('waiting','present','picked','passed','absent')),
      unit_id INTEGER REFERENCES units(id),
      tx_id INTEGER REFERENCES unit_transactions(id),
      checked_in_at TEXT,
      decided_at TEXT,
      PRIMARY KEY (event_id, card_id),
      UNIQUE (event_id, position)
    ) STRICT;
    CREATE UNIQUE INDEX subscription_queue_unit ON subscription_queue(event_id, unit_id) WHERE unit_id IS NOT NULL;
    CREATE INDEX subscription_queue_group ON subscription_queue(event_id, day, grp, position);

    CREATE TABLE subscription_draws (
      id INTEGER PRIMARY KEY,
      event_id INTEGER NOT NULL REFERENCES subscription_events(id),
      attempt INTEGER NOT NULL,
      seed TEXT NOT NULL,
      commitment TEXT NOT NULL,
      list TEXT NOT NULL,
      list_hash TEXT NOT NULL,
      public_value TEXT NOT NULL,
      reason TEXT,
      committed_at TEXT NOT NULL,
      revealed_at TEXT,
      void INTEGER NOT NULL DEFAULT 0 CHECK (void IN (0, 1)),
      UNIQUE (event_id, attempt)
    ) STRICT;

    CREATE TABLE subscription_notices (
      id INTEGER PRIMARY KEY,
      event_id INTEGER NOT NULL REFERENCES subscription_events(id),
      kind TEXT NOT NULL,
      text TEXT NOT NULL,
      at TEXT NOT NULL
    ) STRICT;
    CREATE INDEX subscription_notices_event ON subscription_notices(event_id, id);
  `,
}
