import type { Migration } from '../migration'

/**
 * A client's inner search terms (the suffixes from the second character on: pos > 0) move from
 * `search_terms` into a table of their own, replacing migration 039's partial index over them. The
 * index held each inner term a second time beside its row in the primary key: every client written
 * put ~14 entries into two trees at random places, and a commit wrote the pages of both (issue #19:
 * a 100,000-row import spent most of its writer time in the term trees; measured, this cuts the
 * import's CPU by ~15% and its WAL by a third). `search_terms` keeps the whole-field terms (pos = 0:
 * exact and prefix matches), `search_inner` the inner ones (contains), each walked by its own key.
 * A standby's feed triggers on search_terms go first (open.ts makes them again after the
 * migrations): a standby starts over at a schema change anyway, and the move would log every
 * inner term as deleted (1.4 million rows at 100,000 clients).
 */
export const m045SearchInnerTable: Migration = {
  version: 45,
  name: 'search-inner-table',
  up: `
    DROP TRIGGER IF EXISTS keyuan_feed_i_search_terms;
    DROP TRIGGER IF EXISTS keyuan_feed_u_search_terms;
    DROP TRIGGER IF EXISTS keyuan_feed_d_search_terms;
    CREATE TABLE search_inner (
      term TEXT NOT NULL,
      client_id INTEGER NOT NULL,
      field INTEGER NOT NULL,
      pos INTEGER NOT NULL CHECK (pos > 0),
      PRIMARY KEY (term, client_id, field, pos)
    ) STRICT, WITHOUT ROWID;
    INSERT INTO search_inner (term, client_id, field, pos) SELECT term, client_id, field, pos FROM search_terms WHERE pos > 0 ORDER BY term, client_id, field, pos;
    DROP INDEX search_terms_inner;
    DELETE FROM search_terms WHERE pos > 0;
    CREATE INDEX search_inner_client ON search_inner(client_id);
  `,
}
