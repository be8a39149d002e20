import { sql, type RawBuilder } from 'kysely'

/**
 * Which clients a pass over the book looks at: all of them, some by id (after a change to one),
 * or a range of ids (a slice of the book, so a long pass can run in short pieces).
 */
export type ClientScope = { all: true } | { clientIds: readonly number[] } | { idRange: { from: number; to: number } }

/** `AND <column> …` keeping a statement to the clients in scope (nothing for all of them). */
export function inScope(scope: ClientScope, column: string): RawBuilder<unknown> {
  if ('all' in scope) return sql``
  if ('idRange' in scope) return sql`AND ${sql.ref(column)} >= ${scope.idRange.from} AND ${sql.ref(column)} < ${scope.idRange.to}`
  const ids = scope.clientIds
  if (ids.length === 1) return sql`AND ${sql.ref(column)} = ${ids[0]}`
  return ids.length === 0 ? sql`AND 0` : sql`AND ${sql.ref(column)} IN (${sql.join(ids)})`
}
