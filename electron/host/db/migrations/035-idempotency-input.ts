import type { Migration } from '../migration'

/**
 * An idempotency key tied to its input (issue #17): a key reused with other input was answered with
 * the first write's reply, so a client bug that reused keys lost writes without a word. Each kept
 * reply now carries a hash of (method, parsed input); a reuse with other input is refused. Rows
 * kept before this step have none (NULL) and are answered as before until pruned a day later.
 */
export const m035IdempotencyInput: Migration = {
  version: 35,
  name: 'idempotency-input',
  up: `
    ALTER TABLE idempotent_writes ADD COLUMN input_hash TEXT CHECK (input_hash IS NULL OR length(input_hash) = 64);
  `,
}
