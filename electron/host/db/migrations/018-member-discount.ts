import type { Migration } from '../migration'

/**
 * A deal keeps how it was priced for its buyer when it reached 认购 (or beyond): the list price it
 * was priced from, the buyer's member level and its discount then (per mille and in fen). So a
 * later change of the level table, of the buyer's points or of the unit's list price does not
 * rewrite what the buyer was given. NULL `priced_list_price`: not priced yet (or priced before
 * this step); a non-member is priced with no level and a discount of 0.
 */
export const m018MemberDiscount: Migration = {
  version: 18,
  name: 'member-discount',
  up: `
    ALTER TABLE unit_transactions ADD COLUMN priced_list_price INTEGER;
    ALTER TABLE unit_transactions ADD COLUMN member_level TEXT;
    ALTER TABLE unit_transactions ADD COLUMN member_discount_permille INTEGER NOT NULL DEFAULT 0 CHECK (member_discount_permille BETWEEN 0 AND 500);
    ALTER TABLE unit_transactions ADD COLUMN member_discount INTEGER NOT NULL DEFAULT 0 CHECK (member_discount >= 0);
  `,
}
