/**
 * Typed look-ups for keys that are built at run time from what the host sends (an error
 * code, a reason, a field name). The Chinese texts are the source of every key and each
 * language has the same keys (the types check it), so asking the Chinese group whether it
 * has a name is asking whether `t()` has a text for it: a name it has becomes a typed key,
 * any other name gets the caller's fallback instead of a raw key on screen.
 */

/** The names in a group of texts that hold a text (not a nested group). */
type TextNames<G> = { [K in keyof G]: G[K] extends string ? K : never }[keyof G] & string

/** Whether `name` names a text in `group` (a part of the Chinese texts, e.g. `zh.board.errors`). */
export function isTextIn<G extends object>(group: G, name: string): name is TextNames<G> {
  return Object.hasOwn(group, name) && typeof Reflect.get(group, name) === 'string'
}

/** The first of `names` that names a text in `group` (most specific first), or undefined when none does. */
export function firstTextIn<G extends object>(group: G, names: readonly string[]): TextNames<G> | undefined {
  return names.find((n): n is TextNames<G> => isTextIn(group, n))
}
