import type { Migration } from '../migration'

/**
 * A row deleted from a parent table makes SQLite look for its children through each foreign key;
 * without an index on the child's column that is a scan of the child table per deleted row.
 * Jobs are forgotten a week after they end (each scanned client_imports) and a rehearsal's cards
 * are deleted with it (each scanned the queue). tests/unit/foreign-key-indexes.test.ts keeps it so.
 */
export const m034DeletedParentIndexes: Migration = {
  version: 34,
  name: 'deleted-parent-indexes',
  up: `
    CREATE INDEX client_imports_job ON client_imports(job_id);
    CREATE INDEX subscription_queue_card ON subscription_queue(card_id);
  `,
}
