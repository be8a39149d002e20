import type { Migration } from '../migration'

/**
 * A change request keeps what it changes as it was when asked (list price, deal price, buyer,
 * unit; JSON), so an approver and the history read before → after even once the change is applied.
 * Requests asked before this step have none (NULL).
 */
export const m015ChangeBefore: Migration = {
  version: 15,
  name: 'change-before',
  up: `
    ALTER TABLE change_requests ADD COLUMN before TEXT;
  `,
}
