/** Which field a search term came from; also the tie-break order within a rank. */
export const TermField = { name: 1, pinyin: 2, initials: 3, phone: 4, code: 5, card: 6 } as const
export type TermFieldName = keyof typeof TermField
export const FIELD_NAMES: Record<number, TermFieldName> = Object.fromEntries(
  Object.entries(TermField).map(([k, v]) => [v, k as TermFieldName]),
)

/** The tables search terms are kept in (migration 045): the whole fields' (pos 0) and the inner parts'. */
export const TERM_TABLES = ['search_terms', 'search_inner'] as const
export type TermTable = (typeof TERM_TABLES)[number]

/** The table a term at `pos` is kept in: the whole field's at 0, an inner part's (a suffix from the second character on) past it. */
export function termTableOf(pos: number): TermTable {
  return pos > 0 ? 'search_inner' : 'search_terms'
}
