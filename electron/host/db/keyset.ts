import { sql, type RawBuilder, type SqlBool } from 'kysely'
import { z } from 'zod'

/** A value a list is sorted by, as SQLite returns it: text, a number, or NULL. */
export const KeyValue = z.union([z.string(), z.number(), z.null()])
export type KeyValue = z.infer<typeof KeyValue>

/** Where a keyset page ended: the last row's sort values (in the sort's column order) and its id. */
export const PageKey = z.object({ values: z.array(KeyValue), id: z.number().int() })
export type PageKey = z.infer<typeof PageKey>

type Dir = 'asc' | 'desc'

const isNull = (column: string) => sql<SqlBool>`${sql.ref(column)} IS NULL`
const same = (column: string, v: KeyValue) => (v === null ? isNull(column) : sql<SqlBool>`${sql.ref(column)} = ${v}`)
const all = (parts: RawBuilder<SqlBool>[]) => (parts.length === 0 ? sql<SqlBool>`1` : sql<SqlBool>`(${sql.join(parts, sql` AND `)})`)

/**
 * The rows after `after` in the order `columns…, id`, every column `dir` and NULL first when
 * ascending (SQLite's own order, the one an index holds), as conditions to read one after the
 * other: the rows tied with `after` on every column and a later id, then those tied on all but
 * the last column and later in it, and so on up to the first column. Each condition is equalities
 * on a prefix of the columns and one range after them, so on an index led by (columns…, id) each
 * read seeks to where the last one ended; one condition with ORs could not (SQLite would walk
 * the index from its start or sort the rows). Null `after`: the whole list, one condition.
 * NULL first ascending is SQLite's order; PostgreSQL puts NULL last unless told, so there the
 * grids' ORDER BY would say NULLS FIRST (and NULLS LAST descending) to keep these ranges right.
 */
export function keysetRanges(columns: readonly string[], id: string, dir: Dir, after: PageKey | null): RawBuilder<SqlBool>[] {
  if (after === null) return [all([])]
  if (after.values.length !== columns.length) throw new Error(`a page key of ${after.values.length} values for ${columns.length} columns`)
  const prefix = (n: number) => columns.slice(0, n).map((c, i) => same(c, after.values[i]!))
  const ranges = [all([...prefix(columns.length), dir === 'asc' ? sql<SqlBool>`${sql.ref(id)} > ${after.id}` : sql<SqlBool>`${sql.ref(id)} < ${after.id}`])]
  for (let level = columns.length - 1; level >= 0; level--) {
    const column = columns[level]!
    const v = after.values[level]!
    const before = prefix(level)
    if (dir === 'asc') {
      // NULL sorts first: after a NULL come all the values, after a value the greater ones (a comparison never takes NULL)
      ranges.push(all([...before, v === null ? sql<SqlBool>`${sql.ref(column)} IS NOT NULL` : sql<SqlBool>`${sql.ref(column)} > ${v}`]))
    } else if (v !== null) {
      // descending, NULL comes last: after a value the smaller ones, then the NULLs
      ranges.push(all([...before, sql<SqlBool>`${sql.ref(column)} < ${v}`]), all([...before, isNull(column)]))
    }
  }
  return ranges
}

/**
 * Up to `limit` rows after `after`, reading `keysetRanges` in turn through `read` (which orders
 * by the columns and id and takes at most the number of rows it is given).
 */
export async function readAfter<R>(ranges: readonly RawBuilder<SqlBool>[], limit: number, read: (range: RawBuilder<SqlBool>, limit: number) => Promise<R[]>): Promise<R[]> {
  const rows: R[] = []
  for (const range of ranges) {
    if (rows.length >= limit) break
    rows.push(...(await read(range, limit - rows.length)))
  }
  return rows
}
