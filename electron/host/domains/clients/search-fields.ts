/** Which field a search term came from; also the tie-break order within a rank. */
export const TermField = { name: 1, pinyin: 2, initials: 3, phone: 4, code: 5, card: 6 } as const
export type TermFieldName = keyof typeof TermField
export const FIELD_NAMES: Record<number, TermFieldName> = Object.fromEntries(
  Object.entries(TermField).map(([k, v]) => [v, k as TermFieldName]),
)
