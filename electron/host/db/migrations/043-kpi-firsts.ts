import type { Migration } from '../migration'

// A contact, as every KPI and report counts it: a follow-up that is not a note and was logged in
// Keyuan (imported history is no agent's response). The same condition as follow_ups_first_contact.
const CONTACT = (f: string) => `${f}.channel != 'note' AND ${f}.import_id IS NULL`
/** A client's first contact at or after `since`: one seek of follow_ups_first_contact. */
const firstContact = (client: string, since: string) =>
  `(SELECT min(f.created_at) FROM follow_ups f WHERE f.client_id = ${client} AND ${CONTACT('f')} AND f.created_at >= ${since})`

// The stages each conversion step counts as reached (the funnel's order: 意向 or later, 谈判 or later, a deal).
const INTENT = `('intent', 'negotiating', 'closed', 'repeat')`
const NEGOTIATING = `('negotiating', 'closed', 'repeat')`
const DEAL = `('closed', 'repeat')`
/** When a client first began a spell at one of `stages`: one seek of stage_spells_client_stage per stage. */
const firstSpell = (client: string, stages: string) => `(SELECT min(s.started_at) FROM client_stage_spells s WHERE s.client_id = ${client} AND s.stage IN ${stages})`

/**
 * What the KPIs and two reports recomputed on every call (issue #19, "under 200 ms at 100,000
 * clients"), stored once and kept by triggers on every path that can change it (the follow-up
 * write, imports, merges moving follow-ups and assignments, stage changes), so no service has to
 * remember it:
 * - clients.first_contact_at: the client's first contact at or after its creation (the response-time
 *   KPI's "first contact"; "made before the period's end" is first_contact_at < to, since it is the min);
 * - assignments.first_contact_at: the client's first contact at or after the assignment (响应时效's
 *   starts);
 * - clients.reached_intent_at / reached_negotiating_at / reached_deal_at: the first start of a stage
 *   spell at 意向 or later, 谈判 or later, 成交 or 复购转介 (渠道转化: "reached it before `to`").
 * A new follow-up costs one indexed UPDATE of its client and one of the client's assignments, each a
 * seek that writes a row only when the follow-up is the first contact; a deletion or a move
 * recomputes only when it took away the stored value. clients_created_kpi gains the new columns, so
 * the KPI, 响应时效 and 渠道转化 statements read the period's clients from the index alone, and
 * assignments_first_contact (assigned_at, agent, client, first contact; replacing its prefix
 * assignments_at) holds 响应时效's assignments.
 *
 * The stage KPIs (潜在 → 意向, 意向 → 成交) counted every spell overlapping a period with a
 * DISTINCT, and most spells are open (the client's current stage): once for each month of the KPI
 * trend. A client has one open spell (migration 023's stage trigger ends it before opening the
 * next), so the open spells begun before a period's end are counted without DISTINCT: whole UTC
 * months from stage_spells_open_months (open spells per stage, owner and month of start, kept by
 * triggers on the spells: one primary-key write when a spell opens, ends or changes owner), the
 * rest of the last month from stage_spells_open_kpi; stage_spells_ended_kpi holds the ended spells
 * by their end, the only ones that can add a client twice. stage_spells_client_start (a client's
 * spells in time order, with owner) makes 响应时效's "owner of the first spell" one covering seek with no sort;
 * stage_spells_client_stage gains the end and owner, so 意向 → 成交's earlier spells are read from
 * the index alone. clients_source_live (live clients' id and channel) gives 复购转介率 each deal's
 * channel without reading the client's row.
 * tests/unit/kpi-firsts.test.ts rebuilds every stored value from the raw rows on a random book.
 */
export const m043KpiFirsts: Migration = {
  version: 43,
  name: 'kpi-firsts',
  up: `
    ALTER TABLE clients ADD COLUMN first_contact_at TEXT;
    ALTER TABLE clients ADD COLUMN reached_intent_at TEXT;
    ALTER TABLE clients ADD COLUMN reached_negotiating_at TEXT;
    ALTER TABLE clients ADD COLUMN reached_deal_at TEXT;
    ALTER TABLE assignments ADD COLUMN first_contact_at TEXT;

    UPDATE clients SET first_contact_at = ${firstContact('clients.id', 'clients.created_at')},
      reached_intent_at = ${firstSpell('clients.id', INTENT)},
      reached_negotiating_at = ${firstSpell('clients.id', NEGOTIATING)},
      reached_deal_at = ${firstSpell('clients.id', DEAL)};
    UPDATE assignments SET first_contact_at = ${firstContact('assignments.client_id', 'assignments.assigned_at')};

    DROP INDEX clients_created_kpi;
    CREATE INDEX clients_created_kpi ON clients(created_at, owner_id, completeness, first_contact_at, source_channel,
      reached_intent_at, reached_negotiating_at, reached_deal_at, merged_into) WHERE merged_into IS NULL;
    CREATE INDEX assignments_first_contact ON assignments(assigned_at, staff_id, client_id, first_contact_at);
    DROP INDEX assignments_at;
    CREATE INDEX stage_spells_open_kpi ON client_stage_spells(stage, ended_at, started_at, owner_id, client_id) WHERE ended_at IS NULL;

    -- the open spells counted per stage, owner (0: none) and UTC month of their start
    CREATE TABLE stage_spells_open_months (
      stage TEXT NOT NULL,
      owner_key INTEGER NOT NULL,
      month TEXT NOT NULL,
      n INTEGER NOT NULL,
      PRIMARY KEY (stage, owner_key, month)
    ) STRICT, WITHOUT ROWID;
    INSERT INTO stage_spells_open_months (stage, owner_key, month, n)
      SELECT stage, coalesce(owner_id, 0), substr(started_at, 1, 7), count(*) FROM client_stage_spells WHERE ended_at IS NULL GROUP BY 1, 2, 3;
    CREATE TRIGGER stage_spells_open_months_on_insert AFTER INSERT ON client_stage_spells WHEN NEW.ended_at IS NULL
    BEGIN
      INSERT INTO stage_spells_open_months (stage, owner_key, month, n) VALUES (NEW.stage, coalesce(NEW.owner_id, 0), substr(NEW.started_at, 1, 7), 1)
        ON CONFLICT (stage, owner_key, month) DO UPDATE SET n = n + 1;
    END;
    CREATE TRIGGER stage_spells_open_months_on_delete AFTER DELETE ON client_stage_spells WHEN OLD.ended_at IS NULL
    BEGIN
      UPDATE stage_spells_open_months SET n = n - 1 WHERE stage = OLD.stage AND owner_key = coalesce(OLD.owner_id, 0) AND month = substr(OLD.started_at, 1, 7);
    END;
    -- a spell ending, or its owner changing while it runs: taken off its old count, added to its new one
    CREATE TRIGGER stage_spells_open_months_on_update AFTER UPDATE OF stage, owner_id, started_at, ended_at ON client_stage_spells
      WHEN OLD.ended_at IS NULL OR NEW.ended_at IS NULL
    BEGIN
      UPDATE stage_spells_open_months SET n = n - 1
        WHERE OLD.ended_at IS NULL AND stage = OLD.stage AND owner_key = coalesce(OLD.owner_id, 0) AND month = substr(OLD.started_at, 1, 7);
      INSERT INTO stage_spells_open_months (stage, owner_key, month, n)
        SELECT NEW.stage, coalesce(NEW.owner_id, 0), substr(NEW.started_at, 1, 7), 1 WHERE NEW.ended_at IS NULL
        ON CONFLICT (stage, owner_key, month) DO UPDATE SET n = n + 1;
    END;
    CREATE INDEX stage_spells_ended_kpi ON client_stage_spells(stage, ended_at, started_at, owner_id, client_id, next_stage) WHERE ended_at IS NOT NULL;
    CREATE INDEX stage_spells_client_start ON client_stage_spells(client_id, started_at, id, owner_id);
    CREATE INDEX clients_source_live ON clients(id, source_channel, merged_into) WHERE merged_into IS NULL;
    DROP INDEX stage_spells_client_stage;
    CREATE INDEX stage_spells_client_stage ON client_stage_spells(client_id, stage, started_at, ended_at, owner_id);

    CREATE TRIGGER follow_ups_first_contact_on_insert AFTER INSERT ON follow_ups WHEN ${CONTACT('NEW')}
    BEGIN
      UPDATE clients SET first_contact_at = NEW.created_at
        WHERE id = NEW.client_id AND created_at <= NEW.created_at AND (first_contact_at IS NULL OR first_contact_at > NEW.created_at);
      UPDATE assignments SET first_contact_at = NEW.created_at
        WHERE client_id = NEW.client_id AND assigned_at <= NEW.created_at AND (first_contact_at IS NULL OR first_contact_at > NEW.created_at);
    END;
    CREATE TRIGGER follow_ups_first_contact_on_delete AFTER DELETE ON follow_ups WHEN ${CONTACT('OLD')}
    BEGIN
      UPDATE clients SET first_contact_at = ${firstContact('clients.id', 'clients.created_at')}
        WHERE id = OLD.client_id AND first_contact_at = OLD.created_at;
      UPDATE assignments SET first_contact_at = ${firstContact('assignments.client_id', 'assignments.assigned_at')}
        WHERE client_id = OLD.client_id AND first_contact_at = OLD.created_at;
    END;
    -- a follow-up moved (a merge), re-dated or reclassified: what it took away is recomputed from
    -- the rows as they now are, then what it brings is taken like an insert
    CREATE TRIGGER follow_ups_first_contact_on_update AFTER UPDATE OF client_id, created_at, channel, import_id ON follow_ups
      WHEN (${CONTACT('OLD')}) OR (${CONTACT('NEW')})
    BEGIN
      UPDATE clients SET first_contact_at = ${firstContact('clients.id', 'clients.created_at')}
        WHERE id = OLD.client_id AND ${CONTACT('OLD')} AND first_contact_at = OLD.created_at;
      UPDATE assignments SET first_contact_at = ${firstContact('assignments.client_id', 'assignments.assigned_at')}
        WHERE client_id = OLD.client_id AND ${CONTACT('OLD')} AND first_contact_at = OLD.created_at;
      UPDATE clients SET first_contact_at = NEW.created_at
        WHERE id = NEW.client_id AND ${CONTACT('NEW')} AND created_at <= NEW.created_at AND (first_contact_at IS NULL OR first_contact_at > NEW.created_at);
      UPDATE assignments SET first_contact_at = NEW.created_at
        WHERE client_id = NEW.client_id AND ${CONTACT('NEW')} AND assigned_at <= NEW.created_at AND (first_contact_at IS NULL OR first_contact_at > NEW.created_at);
    END;
    CREATE TRIGGER clients_first_contact_on_created AFTER UPDATE OF created_at ON clients WHEN NEW.created_at IS NOT OLD.created_at
    BEGIN
      UPDATE clients SET first_contact_at = ${firstContact('clients.id', 'clients.created_at')} WHERE id = NEW.id;
    END;
    -- an assignment made after its client's contacts (or moved to another client by a merge) finds them
    CREATE TRIGGER assignments_first_contact_on_insert AFTER INSERT ON assignments
      WHEN EXISTS (SELECT 1 FROM follow_ups f WHERE f.client_id = NEW.client_id AND ${CONTACT('f')} AND f.created_at >= NEW.assigned_at)
    BEGIN
      UPDATE assignments SET first_contact_at = ${firstContact('assignments.client_id', 'assignments.assigned_at')} WHERE id = NEW.id;
    END;
    CREATE TRIGGER assignments_first_contact_on_update AFTER UPDATE OF client_id, assigned_at ON assignments
    BEGIN
      UPDATE assignments SET first_contact_at = ${firstContact('assignments.client_id', 'assignments.assigned_at')} WHERE id = NEW.id;
    END;

    CREATE TRIGGER stage_spells_reached_on_insert AFTER INSERT ON client_stage_spells WHEN NEW.stage IN ${INTENT}
    BEGIN
      UPDATE clients SET
        reached_intent_at = CASE WHEN reached_intent_at IS NULL OR reached_intent_at > NEW.started_at THEN NEW.started_at ELSE reached_intent_at END,
        reached_negotiating_at = CASE WHEN NEW.stage IN ${NEGOTIATING} AND (reached_negotiating_at IS NULL OR reached_negotiating_at > NEW.started_at)
          THEN NEW.started_at ELSE reached_negotiating_at END,
        reached_deal_at = CASE WHEN NEW.stage IN ${DEAL} AND (reached_deal_at IS NULL OR reached_deal_at > NEW.started_at) THEN NEW.started_at ELSE reached_deal_at END
      WHERE id = NEW.client_id AND (reached_intent_at IS NULL OR reached_intent_at > NEW.started_at
        OR (NEW.stage IN ${NEGOTIATING} AND (reached_negotiating_at IS NULL OR reached_negotiating_at > NEW.started_at))
        OR (NEW.stage IN ${DEAL} AND (reached_deal_at IS NULL OR reached_deal_at > NEW.started_at)));
    END;
    CREATE TRIGGER stage_spells_reached_on_update AFTER UPDATE OF client_id, stage, started_at ON client_stage_spells
      WHEN OLD.stage IN ${INTENT} OR NEW.stage IN ${INTENT}
    BEGIN
      UPDATE clients SET reached_intent_at = ${firstSpell('clients.id', INTENT)}, reached_negotiating_at = ${firstSpell('clients.id', NEGOTIATING)},
        reached_deal_at = ${firstSpell('clients.id', DEAL)}
      WHERE id IN (OLD.client_id, NEW.client_id);
    END;
    CREATE TRIGGER stage_spells_reached_on_delete AFTER DELETE ON client_stage_spells WHEN OLD.stage IN ${INTENT}
    BEGIN
      UPDATE clients SET reached_intent_at = ${firstSpell('clients.id', INTENT)}, reached_negotiating_at = ${firstSpell('clients.id', NEGOTIATING)},
        reached_deal_at = ${firstSpell('clients.id', DEAL)}
      WHERE id = OLD.client_id;
    END;
  `,
}
