import type { Migration } from '../migration'

/**
 * Rehearsals (演练) of a subscription day (issue #21 item 8): an event flagged `rehearsal` whose
 * VIP cards are generated for it alone (rehearsal_event_id, a fake holder_name, no client), so the
 * live listings, the board, the clients and finance never see them. vip_cards is rebuilt to let
 * client_id be empty on those cards (children first, then the parent, so no foreign key is left
 * dangling at any point); card numbers stay unique per project for live cards and per rehearsal
 * for rehearsal cards.
 */
export const m026Rehearsal: Migration = {
  version: 26,
  name: 'rehearsal',
  up: `
    ALTER TABLE subscription_events ADD COLUMN rehearsal INTEGER NOT NULL DEFAULT 0 CHECK (rehearsal IN (0, 1));

    CREATE TABLE vip_cards_new (
      id INTEGER PRIMARY KEY,
      project_id INTEGER NOT NULL REFERENCES projects(id),
      card_no INTEGER NOT NULL CHECK (card_no > 0),
      client_id INTEGER REFERENCES clients(id),
      deposit INTEGER NOT NULL CHECK (deposit > 0),
      receipt_no TEXT NOT NULL UNIQUE,
      method TEXT NOT NULL CHECK (method IN ('cash','card','transfer','pos')),
      paid_at TEXT NOT NULL,
      status TEXT NOT NULL DEFAULT 'valid' CHECK (status IN ('valid','used','forfeited','refunded','carried_over')),
      carry_over INTEGER NOT NULL DEFAULT 0 CHECK (carry_over IN (0, 1)),
      refund_todo_id INTEGER REFERENCES finance_todos(id),
      issued_by INTEGER NOT NULL REFERENCES staff(id),
      updated_at TEXT NOT NULL,
      rehearsal_event_id INTEGER REFERENCES subscription_events(id),
      holder_name TEXT,
      CHECK ((rehearsal_event_id IS NULL) = (client_id IS NOT NULL)),
      CHECK ((rehearsal_event_id IS NULL) = (holder_name IS NULL)),
      CHECK (rehearsal_event_id IS NULL OR refund_todo_id IS NULL)
    ) STRICT;
    INSERT INTO vip_cards_new (id, project_id, card_no, client_id, deposit, receipt_no, method, paid_at, status, carry_over, refund_todo_id, issued_by, updated_at)
      SELECT id, project_id, card_no, client_id, deposit, receipt_no, method, paid_at, status, carry_over, refund_todo_id, issued_by, updated_at FROM vip_cards;

    CREATE TABLE vip_wishes_new (
      card_id INTEGER NOT NULL REFERENCES vip_cards_new(id),
      rank INTEGER NOT NULL,
      unit_id INTEGER NOT NULL REFERENCES units(id),
      PRIMARY KEY (card_id, rank),
      UNIQUE (card_id, unit_id)
    ) STRICT;
    INSERT INTO vip_wishes_new SELECT card_id, rank, unit_id FROM vip_wishes;

    CREATE TABLE subscription_queue_new (
      event_id INTEGER NOT NULL REFERENCES subscription_events(id),
      card_id INTEGER NOT NULL REFERENCES vip_cards_new(id),
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
    INSERT INTO subscription_queue_new SELECT event_id, card_id, position, day, grp, state, unit_id, tx_id, checked_in_at, decided_at FROM subscription_queue;

    DROP TABLE subscription_queue;
    DROP TABLE vip_wishes;
    DROP TABLE vip_cards;
    ALTER TABLE vip_cards_new RENAME TO vip_cards;
    ALTER TABLE vip_wishes_new RENAME TO vip_wishes;
    ALTER TABLE subscription_queue_new RENAME TO subscription_queue;

    CREATE INDEX vip_cards_client ON vip_cards(client_id);
    CREATE UNIQUE INDEX vip_cards_live_no ON vip_cards(project_id, card_no) WHERE rehearsal_event_id IS NULL;
    CREATE UNIQUE INDEX vip_cards_rehearsal_no ON vip_cards(rehearsal_event_id, card_no) WHERE rehearsal_event_id IS NOT NULL;
    CREATE UNIQUE INDEX subscription_queue_unit ON subscription_queue(event_id, unit_id) WHERE unit_id IS NOT NULL;
    CREATE INDEX subscription_queue_group ON subscription_queue(event_id, day, grp, position);
  `,
}
