import type { Migration } from '../migration'

/**
 * Client import from Excel and CSV (issue #19). The uploaded file is kept in the encrypted
 * database in chunks (a branch's client list never lies in a plain file on disk); its dry run
 * writes one row per data row with its verdict (create, merge, refuse, already imported), so the
 * result is paged and the import job walks it in slices by row number. A column mapping is
 * remembered per header signature. An imported client is marked external (seed 000: internal and
 * external data kept apart) and keeps the original row as read from the file.
 */
export const m020ClientImport: Migration = {
  version: 20,
  name: 'client-import',
  up: `
    CREATE TABLE client_imports (
      id INTEGER PRIMARY KEY,
      file_name TEXT NOT NULL,
      file_hash TEXT,
      size INTEGER NOT NULL DEFAULT 0,
      status TEXT NOT NULL DEFAULT 'uploading' CHECK (status IN ('uploading','uploaded','checked','importing','done','cancelled')),
      headers TEXT,
      mapping TEXT,
      counts TEXT,
      job_id INTEGER REFERENCES jobs(id),
      created_by INTEGER NOT NULL REFERENCES staff(id),
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL
    ) STRICT;
    CREATE INDEX client_imports_hash ON client_imports(file_hash) WHERE file_hash IS NOT NULL;
    CREATE TABLE client_import_chunks (
      import_id INTEGER NOT NULL REFERENCES client_imports(id),
      seq INTEGER NOT NULL,
      data BLOB NOT NULL,
      PRIMARY KEY (import_id, seq)
    ) STRICT;
    CREATE TABLE client_import_rows (
      import_id INTEGER NOT NULL REFERENCES client_imports(id),
      row_no INTEGER NOT NULL,
      verdict TEXT NOT NULL CHECK (verdict IN ('create','merge','refuse','skip')),
      field TEXT,
      reason TEXT,
      params TEXT,
      e164 TEXT,
      value TEXT NOT NULL,
      raw TEXT NOT NULL,
      client_id INTEGER REFERENCES clients(id),
      done INTEGER NOT NULL DEFAULT 0,
      PRIMARY KEY (import_id, row_no)
    ) STRICT;
    CREATE INDEX client_import_rows_verdict ON client_import_rows(import_id, verdict, row_no);
    CREATE TABLE client_import_mappings (
      signature TEXT PRIMARY KEY,
      mapping TEXT NOT NULL,
      updated_at TEXT NOT NULL
    ) STRICT;
    CREATE TABLE client_origins (
      client_id INTEGER NOT NULL REFERENCES clients(id),
      import_id INTEGER NOT NULL REFERENCES client_imports(id),
      row_no INTEGER NOT NULL,
      raw TEXT NOT NULL,
      at TEXT NOT NULL,
      PRIMARY KEY (import_id, row_no)
    ) STRICT;
    CREATE INDEX client_origins_client ON client_origins(client_id);
    ALTER TABLE clients ADD COLUMN data_origin TEXT NOT NULL DEFAULT 'internal' CHECK (data_origin IN ('internal','external'));
  `,
}
