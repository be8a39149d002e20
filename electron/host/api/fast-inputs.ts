import type { MethodName, ParsedInputOf } from '@shared/contract'
import { SEARCH_MAX_OFFSET } from '@shared/contract/clients'
import { PLAIN_TEXT } from '@shared/domain/text-kinds'

/**
 * A parse of one method's input that reads the common case only: it gives exactly what the
 * contract's zod schema gives for the inputs it accepts, and `undefined` for anything else, which
 * the dispatcher then hands to the schema (so whatever is refused is refused by zod, with zod's
 * error). For the hottest read, whose SQL costs about 0.1 ms: zod's parse of it, with the input's
 * shape check before it, was a tenth of that again (docs/performance.md, "Search's fixed cost").
 * tests/unit/fast-inputs.test.ts holds each against its schema.
 */
export interface FastInput<M extends MethodName> {
  readonly method: M
  parse(raw: unknown): ParsedInputOf<M> | undefined
}

/** A plain object from JSON or a literal (no other prototype, so no getters or inherited keys to read). */
function plainObject(raw: unknown): raw is Record<string, unknown> {
  return typeof raw === 'object' && raw !== null && Object.getPrototypeOf(raw) === Object.prototype
}

/** A whole number in [min, max], or `undefined` for the schema's default. */
function wholeIn(v: unknown, min: number, max: number): v is number | undefined {
  return v === undefined || (typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max)
}

/**
 * clients.search ({ q: textField('query', 40, 1), offset 0–SEARCH_MAX_OFFSET default 0, limit
 * 1–50 default 20 }, strict): a query of PLAIN_TEXT is one normalizeText keeps as it is, and a
 * query is never refused for its characters, only for its length.
 */
const clientsSearch: FastInput<'clients.search'> = {
  method: 'clients.search',
  parse(raw) {
    if (!plainObject(raw)) return undefined
    for (const k in raw) if (k !== 'q' && k !== 'offset' && k !== 'limit') return undefined
    const { q, offset, limit } = raw
    if (typeof q !== 'string' || q.length < 1 || q.length > 40 || !PLAIN_TEXT.test(q)) return undefined
    if (!wholeIn(offset, 0, SEARCH_MAX_OFFSET) || !wholeIn(limit, 1, 50)) return undefined
    return { q, offset: offset ?? 0, limit: limit ?? 20 }
  },
}

/** The methods with a fast parse, by name (the dispatcher's answerAtOnce). */
export const FAST_INPUTS: ReadonlyMap<string, FastInput<MethodName>> = new Map<string, FastInput<MethodName>>([[clientsSearch.method, clientsSearch as FastInput<MethodName>]])
