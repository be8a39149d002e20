import type { Migration } from '../migration'

/** Member cards, swipe log, visits (到访登记), and the club: levels, points ledger, activities, referrals. */
export const m004MemberCards: Migration = {
  version: 4,
  name: 'member-cards',
  up: `
    CREATE TABLE member_cards (
      id INTEGER PRIMARY KEY,
      uid TEXT NOT NULL UNIQUE,
      client_id INTEGER NOT NULL REFERENCES clients(id),
      status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active','lost','replaced')),
      issued_at TEXT NOT NULL,
      issued_by INTEGER REFERENCES staff(id),
      lost_at TEXT,
      replaced_by INTEGER REFERENCES member_cards(id),
      note TEXT
    ) STRICT;
    CREATE INDEX member_cards_client ON member_cards(client_id, status);
    -- one live card per client
    CREATE UNIQUE INDEX member_cards_one_active ON member_cards(client_id) WHERE status = 'active';

    -- other spellings of a card (EM4100 number, Wiegand-26 key) for readers that print less
    CREATE TABLE card_aliases (
      alias TEXT NOT NULL,
      card_id INTEGER NOT NULL REFERENCES member_cards(id),
      PRIMARY KEY (alias, card_id)
    ) STRICT, WITHOUT ROWID;

    CREATE TABLE swipe_log (
      id INTEGER PRIMARY KEY,
      uid TEXT,
      raw TEXT,
      card_id INTEGER REFERENCES member_cards(id),
      client_id INTEGER REFERENCES clients(id),
      result TEXT NOT NULL CHECK (result IN ('known','unknown','lost','replaced','unreadable','ambiguous')),
      staff_id INTEGER REFERENCES staff(id),
      address TEXT,
      at TEXT NOT NULL
    ) STRICT;
    CREATE INDEX swipe_log_at ON swipe_log(at);

    CREATE TABLE visits (
      id INTEGER PRIMARY KEY,
      client_id INTEGER NOT NULL REFERENCES clients(id),
      card_id INTEGER REFERENCES member_cards(id),
      registered_by INTEGER NOT NULL REFERENCES staff(id),
      owner_id INTEGER REFERENCES staff(id),
      at TEXT NOT NULL,
      protected_until TEXT
    ) STRICT;
    CREATE INDEX visits_client ON visits(client_id, at);

    CREATE TABLE club_levels (
      id INTEGER PRIMARY KEY,
      name TEXT NOT NULL UNIQUE,
      min_points INTEGER NOT NULL UNIQUE CHECK (min_points >= 0),
      discount_permille INTEGER NOT NULL CHECK (discount_permille BETWEEN 0 AND 500)
    ) STRICT;
    INSERT INTO club_levels (name, min_points, discount_permille) VALUES
      ('普通会员', 0, 0), ('银卡会员', 500, 5), ('金卡会员', 2000, 10), ('钻石会员', 5000, 20);

    -- append-only: a correction is a new (reversing) entry
    CREATE TABLE points_ledger (
      id INTEGER PRIMARY KEY,
      client_id INTEGER NOT NULL REFERENCES clients(id),
      delta INTEGER NOT NULL CHECK (delta != 0),
      kind TEXT NOT NULL CHECK (kind IN ('viewing','purchase','referral','activity','manual','reversal')),
      reason TEXT NOT NULL,
      ref TEXT UNIQUE,
      reverses INTEGER REFERENCES points_ledger(id) UNIQUE,
      staff_id INTEGER REFERENCES staff(id),
      at TEXT NOT NULL
    ) STRICT;
    CREATE INDEX points_ledger_client ON points_ledger(client_id, id);
    CREATE TRIGGER points_ledger_no_update BEFORE UPDATE ON points_ledger
      BEGIN SELECT RAISE(ABORT, 'points_ledger is append-only'); END;
    CREATE TRIGGER points_ledger_no_delete BEFORE DELETE ON points_ledger
      BEGIN SELECT RAISE(ABORT, 'points_ledger is append-only'); END;

    CREATE TABLE activities (
      id INTEGER PRIMARY KEY,
      name TEXT NOT NULL,
      starts_at TEXT NOT NULL,
      ends_at TEXT NOT NULL,
      place TEXT,
      capacity INTEGER,
      points INTEGER NOT NULL DEFAULT 0 CHECK (points >= 0),
      created_by INTEGER REFERENCES staff(id),
      created_at TEXT NOT NULL,
      CHECK (ends_at > starts_at)
    ) STRICT;

    CREATE TABLE activity_signups (
      activity_id INTEGER NOT NULL REFERENCES activities(id),
      client_id INTEGER NOT NULL REFERENCES clients(id),
      signed_up_at TEXT NOT NULL,
      checked_in_at TEXT,
      PRIMARY KEY (activity_id, client_id)
    ) STRICT;

    CREATE TABLE referrals (
      id INTEGER PRIMARY KEY,
      referrer_id INTEGER NOT NULL REFERENCES clients(id),
      referred_id INTEGER NOT NULL UNIQUE REFERENCES clients(id),
      created_by INTEGER REFERENCES staff(id),
      created_at TEXT NOT NULL,
      rewarded_at TEXT,
      CHECK (referrer_id != referred_id)
    ) STRICT;
    CREATE INDEX referrals_referrer ON referrals(referrer_id);
  `,
}
