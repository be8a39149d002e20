import type { Migration } from '../migration'

/**
 * A person client's 居民身份证号 (issue #20): the birth date (and gender) is read from it when
 * none was typed. Stored normalised (18 characters, upper-case X) and checked by the host
 * (shared/domain/id-number.ts); the CHECK keeps anything else out. No client had an ID number
 * before this column, so there is nothing to derive for existing rows.
 */
export const m037ClientIdNumber: Migration = {
  version: 37,
  name: 'client-id-number',
  up: `
    ALTER TABLE clients ADD COLUMN id_number TEXT CHECK (id_number IS NULL OR (length(id_number) = 18 AND id_number GLOB '[1-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9X]'));
  `,
}
