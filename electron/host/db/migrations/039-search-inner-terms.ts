import type { Migration } from '../migration'

/**
 * The inner-part step of a search (search-sql.ts: `term >= ? AND term < ? AND pos > 0`) read the
 * term index's whole range and kept the entries with pos > 0: a 客户编号 prefix such as `ky0`
 * walked every code of the book (100,000 entries at pos 0, none inner: 5–8 ms) to find nothing.
 * This index holds only the inner parts (pos > 0), so the step reads just what it keeps.
 * tests/unit/query-plans.test.ts checks that the step uses it.
 */
export const m039SearchInnerTerms: Migration = {
  version: 39,
  name: 'search-inner-terms',
  up: `
    CREATE INDEX search_terms_inner ON search_terms(term) WHERE pos > 0;
  `,
}
