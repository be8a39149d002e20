import type { Migration } from '../migration'

/**
 * Follow-up history import (issue #19, item 4: "follow-up history imports the same way"). An
 * import is of clients or of follow-ups (`kind`); both share the upload, dry run rows, remembered
 * mapping, job and error workbook. An imported follow-up names its import and row (`import_id`,
 * `import_row`): the original row stays in client_import_rows, and the reports and KPIs that count
 * an agent's contacts leave imported history out (seed 000: internal and external data kept
 * apart). One row writes at most one follow-up (the unique index), whatever a resumed job does.
 * `clients_region_live` covers the 客户地图 report (region, created_at, wealth_tier of live
 * clients; merged_into too, or SQLite reads the row to check the partial index's own condition),
 * so it reads a narrow index in region order instead of every client row and a sort.
 */
export const m040FollowUpImport: Migration = {
  version: 40,
  name: 'follow-up-import',
  up: `
    ALTER TABLE client_imports ADD COLUMN kind TEXT NOT NULL DEFAULT 'clients' CHECK (kind IN ('clients','followUps'));
    ALTER TABLE follow_ups ADD COLUMN import_id INTEGER REFERENCES client_imports(id);
    ALTER TABLE follow_ups ADD COLUMN import_row INTEGER;
    CREATE UNIQUE INDEX follow_ups_import_row ON follow_ups(import_id, import_row) WHERE import_id IS NOT NULL;
    CREATE INDEX clients_region_live ON clients(region, created_at, wealth_tier, merged_into) WHERE merged_into IS NULL;
  `,
}
