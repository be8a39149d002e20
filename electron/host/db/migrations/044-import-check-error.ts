import type { Migration } from '../migration'

/**
 * The dry run of an import runs as a job (issue #19: bounded memory, off the event loop): an error
 * it meets in the file after the call has answered (a workbook broken past its first rows, too many
 * rows) is kept on the import for its manager to read (the API error as JSON), until the next check.
 */
export const m044ImportCheckError: Migration = {
  version: 44,
  name: 'import-check-error',
  up: `
    ALTER TABLE client_imports ADD COLUMN check_error TEXT;
  `,
}
