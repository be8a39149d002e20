import type { Migration } from '../migration'

/**
 * Search finds a client by the short forms of its 客户编号 (KY301, ky301, 301, 000301) and by the
 * number printed on its member card (the 10-digit decimal of the card's 32-bit number, any 4+
 * digit part of it, and without leading zeros), as search-terms.ts now indexes them. This writes
 * those terms for the clients stored before, with the same rules in SQL (codeForms,
 * printedCardTerms): a code of lower-case letters then digits; a live card of 4 or 5 bytes (8 or
 * 10 hex digits, whose low 32 bits are the printed number). Terms already there are kept.
 */
export const m017SearchShortForms: Migration = {
  version: 17,
  name: 'search-short-forms',
  up: `
    INSERT OR IGNORE INTO search_terms (term, client_id, field, pos)
    WITH codes AS (
      SELECT client_id, letters, substr(term, length(letters) + 1) AS digits FROM (
        SELECT client_id, term, rtrim(term, '0123456789') AS letters FROM search_terms WHERE field = 5 AND pos = 0
      )
      WHERE length(letters) < length(term) AND letters NOT GLOB '*[^a-z]*'
    ),
    bare AS (SELECT client_id, letters, digits, CASE WHEN ltrim(digits, '0') = '' THEN '0' ELSE ltrim(digits, '0') END AS n FROM codes)
    SELECT digits, client_id, 5, 0 FROM bare
    UNION ALL SELECT letters || n, client_id, 5, 0 FROM bare
    UNION ALL SELECT n, client_id, 5, 0 FROM bare;

    INSERT OR IGNORE INTO search_terms (term, client_id, field, pos)
    WITH low AS (
      SELECT client_id, substr(uid, -8) AS h FROM member_cards
      WHERE status = 'active' AND length(uid) IN (8, 10) AND uid NOT GLOB '*[^0-9A-F]*'
    ),
    printed AS (
      SELECT client_id, printf('%010d',
        (instr('0123456789ABCDEF', substr(h, 1, 1)) - 1) * 268435456 + (instr('0123456789ABCDEF', substr(h, 2, 1)) - 1) * 16777216 +
        (instr('0123456789ABCDEF', substr(h, 3, 1)) - 1) * 1048576 + (instr('0123456789ABCDEF', substr(h, 4, 1)) - 1) * 65536 +
        (instr('0123456789ABCDEF', substr(h, 5, 1)) - 1) * 4096 + (instr('0123456789ABCDEF', substr(h, 6, 1)) - 1) * 256 +
        (instr('0123456789ABCDEF', substr(h, 7, 1)) - 1) * 16 + (instr('0123456789ABCDEF', substr(h, 8, 1)) - 1)) AS p
      FROM low
    ),
    -- the 4+ digit parts of a 10-digit number start at 0..6
    starts(i) AS (VALUES (0), (1), (2), (3), (4), (5), (6))
    SELECT substr(p, i + 1), client_id, 6, i FROM printed, starts
    UNION ALL SELECT CASE WHEN ltrim(p, '0') = '' THEN '0' ELSE ltrim(p, '0') END, client_id, 6, 0 FROM printed WHERE p GLOB '0*';
  `,
}
