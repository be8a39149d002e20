import type { Migration } from '../migration'

/**
 * KPI history (issue #19): the stage of a client and its pool entries were kept only as the
 * current value, so "who was 潜在 during March" could not be answered. Triggers on `clients`
 * now log each stage as a spell (started, ended, the stage it ended into, the owner while it
 * ran or when it ended) and each entry into the public pool; every writer of those columns is
 * covered without touching it. Existing clients get their current spell and pool entry as a
 * starting point (the past before this migration is not known).
 */
export const m023Kpi: Migration = {
  version: 23,
  name: 'kpi',
  up: `
    CREATE TABLE client_stage_spells (
      id INTEGER PRIMARY KEY,
      client_id INTEGER NOT NULL REFERENCES clients(id),
      stage TEXT NOT NULL,
      owner_id INTEGER REFERENCES staff(id),
      started_at TEXT NOT NULL,
      ended_at TEXT,
      next_stage TEXT
    ) STRICT;
    CREATE INDEX stage_spells_open ON client_stage_spells(client_id) WHERE ended_at IS NULL;
    CREATE INDEX stage_spells_stage_start ON client_stage_spells(stage, started_at);
    CREATE INDEX stage_spells_client_stage ON client_stage_spells(client_id, stage, started_at);

    CREATE TABLE client_pool_entries (
      id INTEGER PRIMARY KEY,
      client_id INTEGER NOT NULL REFERENCES clients(id),
      from_owner_id INTEGER REFERENCES staff(id),
      at TEXT NOT NULL
    ) STRICT;
    CREATE INDEX pool_entries_at ON client_pool_entries(at);
    CREATE INDEX pool_claims_client ON pool_claims(client_id, claimed_at);
    CREATE INDEX pool_claims_at ON pool_claims(claimed_at);
    -- the data-use review reads a period of the log
    CREATE INDEX audit_at ON audit_log(at);

    INSERT INTO client_stage_spells (client_id, stage, owner_id, started_at)
      SELECT id, stage, owner_id, coalesce(stage_changed_at, created_at) FROM clients WHERE merged_into IS NULL;
    INSERT INTO client_pool_entries (client_id, from_owner_id, at)
      SELECT id, NULL, pooled_at FROM clients WHERE pooled_at IS NOT NULL AND merged_into IS NULL;

    CREATE TRIGGER clients_spell_on_insert AFTER INSERT ON clients
    BEGIN
      INSERT INTO client_stage_spells (client_id, stage, owner_id, started_at)
        VALUES (NEW.id, NEW.stage, NEW.owner_id, coalesce(NEW.stage_changed_at, NEW.created_at));
    END;
    CREATE TRIGGER clients_spell_on_stage AFTER UPDATE OF stage ON clients WHEN NEW.stage IS NOT OLD.stage
    BEGIN
      UPDATE client_stage_spells SET ended_at = coalesce(NEW.stage_changed_at, NEW.updated_at), next_stage = NEW.stage
        WHERE client_id = NEW.id AND ended_at IS NULL;
      INSERT INTO client_stage_spells (client_id, stage, owner_id, started_at)
        VALUES (NEW.id, NEW.stage, NEW.owner_id, coalesce(NEW.stage_changed_at, NEW.updated_at));
    END;
    CREATE TRIGGER clients_spell_on_owner AFTER UPDATE OF owner_id ON clients WHEN NEW.owner_id IS NOT OLD.owner_id
    BEGIN
      UPDATE client_stage_spells SET owner_id = NEW.owner_id WHERE client_id = NEW.id AND ended_at IS NULL;
    END;
    CREATE TRIGGER clients_pool_entry_on_insert AFTER INSERT ON clients WHEN NEW.pooled_at IS NOT NULL
    BEGIN
      INSERT INTO client_pool_entries (client_id, from_owner_id, at) VALUES (NEW.id, NULL, NEW.pooled_at);
    END;
    CREATE TRIGGER clients_pool_entry_on_update AFTER UPDATE OF pooled_at ON clients
      WHEN NEW.pooled_at IS NOT NULL AND NEW.pooled_at IS NOT OLD.pooled_at
    BEGIN
      INSERT INTO client_pool_entries (client_id, from_owner_id, at) VALUES (NEW.id, OLD.owner_id, NEW.pooled_at);
    END;
  `,
}
