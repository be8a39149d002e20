import type { Migration } from '../migration'

/** The client book: profiles, phones, needs with history, search terms, collaboration requests, user prefs. */
export const m002Clients: Migration = {
  version: 2,
  name: 'clients',
  up: `
    CREATE TABLE clients (
      id INTEGER PRIMARY KEY,
      code TEXT NOT NULL UNIQUE,
      kind TEXT NOT NULL CHECK (kind IN ('person','org')),
      name TEXT NOT NULL,
      org_name_key TEXT,
      gender TEXT CHECK (gender IN ('male','female')),
      age INTEGER CHECK (age BETWEEN 0 AND 120),
      native_place TEXT,
      address TEXT,
      fax TEXT,
      email TEXT,
      household_size INTEGER,
      children TEXT NOT NULL DEFAULT '[]',
      industry TEXT,
      employer TEXT,
      job_title TEXT,
      education TEXT,
      source_channel TEXT NOT NULL,
      org_office_address TEXT,
      org_business_scope TEXT,
      org_business_area TEXT,
      org_legal_rep TEXT,
      org_term TEXT,
      org_contact_name TEXT,
      owner_id INTEGER REFERENCES staff(id),
      tier TEXT NOT NULL,
      stage TEXT NOT NULL,
      demand_type TEXT,
      wealth_tier TEXT,
      purchase_horizon TEXT,
      region TEXT,
      community TEXT,
      entrusted_other INTEGER NOT NULL DEFAULT 0,
      entrusted_agencies TEXT,
      blacklisted INTEGER NOT NULL DEFAULT 0,
      blacklist_reason TEXT,
      manual_tags TEXT NOT NULL DEFAULT '[]',
      behaviour_tags TEXT NOT NULL DEFAULT '[]',
      completeness INTEGER NOT NULL DEFAULT 0,
      primary_phone TEXT,
      created_by INTEGER REFERENCES staff(id),
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL,
      last_follow_up_at TEXT,
      protected_until TEXT,
      merged_into INTEGER REFERENCES clients(id),
      version INTEGER NOT NULL DEFAULT 0,
      CHECK (blacklisted = 0 OR length(blacklist_reason) > 0)
    ) STRICT;
    -- the grid sorts and filters on these; live rows only (merged clients are history)
    -- narrow index so that counting live clients reads a few MB, not the whole table
    CREATE INDEX clients_live ON clients(merged_into);
    CREATE INDEX clients_owner ON clients(owner_id, last_follow_up_at) WHERE merged_into IS NULL;
    CREATE INDEX clients_tier ON clients(tier, last_follow_up_at) WHERE merged_into IS NULL;
    CREATE INDEX clients_stage ON clients(stage, id) WHERE merged_into IS NULL;
    CREATE INDEX clients_region ON clients(region, community, id) WHERE merged_into IS NULL;
    CREATE INDEX clients_source ON clients(source_channel, id) WHERE merged_into IS NULL;
    CREATE INDEX clients_last_follow_up ON clients(last_follow_up_at, id) WHERE merged_into IS NULL;
    CREATE INDEX clients_completeness ON clients(completeness, id) WHERE merged_into IS NULL;
    CREATE INDEX clients_created ON clients(created_at, id) WHERE merged_into IS NULL;
    CREATE INDEX clients_name ON clients(name, id) WHERE merged_into IS NULL;
    CREATE UNIQUE INDEX clients_org_name ON clients(org_name_key) WHERE org_name_key IS NOT NULL AND merged_into IS NULL;

    -- every saved state of a profile: history, and "what changed" for a stale write
    CREATE TABLE client_versions (
      client_id INTEGER NOT NULL REFERENCES clients(id),
      version INTEGER NOT NULL,
      data TEXT NOT NULL,
      changed_by INTEGER REFERENCES staff(id),
      changed_at TEXT NOT NULL,
      PRIMARY KEY (client_id, version)
    ) STRICT;

    CREATE TABLE client_phones (
      id INTEGER PRIMARY KEY,
      client_id INTEGER NOT NULL REFERENCES clients(id),
      e164 TEXT NOT NULL UNIQUE,
      digits TEXT NOT NULL,
      display TEXT NOT NULL,
      kind TEXT NOT NULL,
      label TEXT,
      position INTEGER NOT NULL DEFAULT 0
    ) STRICT;
    CREATE INDEX client_phones_client ON client_phones(client_id, position);

    -- one row per searchable suffix: a prefix range on term finds any substring,
    -- including the 2-character names a trigram index cannot see
    CREATE TABLE search_terms (
      term TEXT NOT NULL,
      client_id INTEGER NOT NULL,
      field INTEGER NOT NULL,
      pos INTEGER NOT NULL,
      PRIMARY KEY (term, client_id, field, pos)
    ) STRICT, WITHOUT ROWID;
    CREATE INDEX search_terms_client ON search_terms(client_id);

    CREATE TABLE requirements (
      id INTEGER PRIMARY KEY,
      client_id INTEGER NOT NULL REFERENCES clients(id),
      kind TEXT NOT NULL CHECK (kind IN ('residential','commercial')),
      active INTEGER NOT NULL DEFAULT 1,
      data TEXT NOT NULL,
      created_by INTEGER REFERENCES staff(id),
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL,
      version INTEGER NOT NULL DEFAULT 0
    ) STRICT;
    CREATE INDEX requirements_client ON requirements(client_id, active);

    CREATE TABLE requirement_history (
      id INTEGER PRIMARY KEY,
      requirement_id INTEGER NOT NULL REFERENCES requirements(id),
      version INTEGER NOT NULL,
      data TEXT NOT NULL,
      changed_by INTEGER REFERENCES staff(id),
      changed_at TEXT NOT NULL
    ) STRICT;
    CREATE INDEX requirement_history_req ON requirement_history(requirement_id, version);

    CREATE TABLE collaboration_requests (
      id INTEGER PRIMARY KEY,
      client_id INTEGER NOT NULL REFERENCES clients(id),
      requester_id INTEGER NOT NULL REFERENCES staff(id),
      owner_id INTEGER REFERENCES staff(id),
      note TEXT NOT NULL,
      status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open','accepted','declined')),
      created_at TEXT NOT NULL,
      decided_at TEXT
    ) STRICT;
    CREATE INDEX collaboration_requests_owner ON collaboration_requests(owner_id, status);
    CREATE INDEX collaboration_requests_client ON collaboration_requests(client_id);

    CREATE TABLE client_merges (
      id INTEGER PRIMARY KEY,
      kept_id INTEGER NOT NULL REFERENCES clients(id),
      merged_id INTEGER NOT NULL REFERENCES clients(id),
      reason TEXT NOT NULL,
      snapshot TEXT NOT NULL,
      merged_by INTEGER NOT NULL REFERENCES staff(id),
      merged_at TEXT NOT NULL
    ) STRICT;

    CREATE TABLE counters (
      name TEXT PRIMARY KEY,
      value INTEGER NOT NULL
    ) STRICT;

    CREATE TABLE user_prefs (
      staff_id INTEGER NOT NULL REFERENCES staff(id),
      key TEXT NOT NULL,
      value TEXT NOT NULL,
      updated_at TEXT NOT NULL,
      PRIMARY KEY (staff_id, key)
    ) STRICT;
  `,
}
