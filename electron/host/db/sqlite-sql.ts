import { sql, type Expression, type RawBuilder, type SqlBool } from 'kysely'

/*
 * The SQL that only SQLite speaks, in one place. Everything else the repositories write through
 * Kysely's builder, which PostgreSQL also runs; each helper here says what PostgreSQL would use
 * instead, so running the host on PostgreSQL is a change to this file (and the migrations), not
 * a rewrite. Pragmas live in db/open.ts, FTS-like search terms in domains/clients/search-terms.ts.
 */

/**
 * A condition the planner should take as nearly always true (SQLite's `likely()`): sampled
 * statistics can make a column look selective when almost every row passes, and the planner
 * then walks the wrong index. PostgreSQL has no hints: the bare condition (its statistics differ).
 */
export function likely(condition: Expression<SqlBool>): RawBuilder<SqlBool> {
  return sql<SqlBool>`likely(${condition})`
}

/**
 * A stored ISO time plus some hours, as an ISO string with milliseconds ('…T…Z'), compared as
 * text like every stored time. PostgreSQL:
 * `to_char((col::timestamptz + make_interval(hours => n)) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`.
 */
export function isoPlusHours(time: Expression<string | null>, hours: number): RawBuilder<string> {
  return sql<string>`strftime('%Y-%m-%dT%H:%M:%fZ', ${time}, ${`+${hours} hours`})`
}

/** A member of a JSON object stored as text (`json_extract(doc, '$.key')`). PostgreSQL: `(doc::jsonb ->> 'key')`, cast to the type compared. */
export function jsonMember<T>(doc: Expression<string>, key: string): RawBuilder<T | null> {
  return sql<T | null>`json_extract(${doc}, ${`$.${key}`})`
}

/**
 * Whether the JSON array under `key` is empty or holds `value`. PostgreSQL:
 * `jsonb_array_length(doc::jsonb -> 'key') = 0 OR (doc::jsonb -> 'key') ? value`.
 */
export function jsonArrayEmptyOrHas(doc: Expression<string>, key: string, value: string): RawBuilder<SqlBool> {
  const path = `$.${key}`
  return sql<SqlBool>`(json_array_length(${doc}, ${path}) = 0 OR EXISTS (SELECT 1 FROM json_each(${doc}, ${path}) j WHERE j.value = ${value}))`
}

/** Whether `text` contains `part` (`instr`). PostgreSQL: `strpos(text, part) > 0`. */
export function containsText(text: Expression<string | null>, part: string): RawBuilder<SqlBool> {
  return sql<SqlBool>`instr(${text}, ${part}) > 0`
}

/**
 * A table's alias that reads it through a named index (`c INDEXED BY clients_owner`), where
 * SQLite's planner would pick a worse one: `sql\`clients\`.as<'c'>(aliasIndexedBy('c', index))`.
 * PostgreSQL: the bare alias (no index hints; its planner uses its own statistics).
 */
export function aliasIndexedBy(alias: string, index?: string): RawBuilder<unknown> {
  return index ? sql`${sql.id(alias)} INDEXED BY ${sql.id(index)}` : sql.id(alias)
}

/**
 * A JSON object (as text) built from SQL values: `json_object('k', v, …)`; a member that is
 * itself such an object nests as an object. PostgreSQL: `json_build_object('k', v, …)::text`.
 */
export function jsonObject(members: Record<string, Expression<unknown> | string | number>): RawBuilder<string> {
  return sql<string>`json_object(${sql.join(Object.entries(members).map(([k, v]) => sql`${k}, ${v}`))})`
}

/** A JSON object text with members set (`json_set(doc, '$.k', v, …)`). PostgreSQL: `(doc::jsonb || jsonb_build_object('k', v, …))::text`. */
export function jsonWith(doc: Expression<string>, members: Record<string, Expression<unknown>>): RawBuilder<string> {
  return sql<string>`json_set(${doc}, ${sql.join(Object.entries(members).map(([k, v]) => sql`${`$.${k}`}, ${v}`))})`
}

/** A value a batch sent as JSON can hold for a column (jsonRows). */
export type JsonCell = string | number | null

/**
 * A batch of rows sent as one JSON array of arrays and read back as a table (`SELECT j.value ->> 0
 * AS a, … FROM json_each(?) AS j`, in the array's order): one bound value and one statement for
 * any number of rows, where a multi-row VALUES binds a value a cell (at most 32,766) and costs the
 * query builder a node each. Values keep their JSON types (a number stays a number, text stays
 * text, null is NULL), so a STRICT table takes them as it would the bound values. PostgreSQL:
 * `SELECT * FROM jsonb_to_recordset($1::jsonb) AS t(a int, b text, …)` over objects.
 */
export function jsonRows<R extends Record<string, JsonCell>>(columns: ReadonlyArray<keyof R & string>, rows: ReadonlyArray<ReadonlyArray<JsonCell>>): RawBuilder<R> {
  return sql<R>`SELECT ${sql.join(columns.map((c, i) => sql`j.value ->> ${sql.lit(i)} AS ${sql.id(c)}`))} FROM json_each(${JSON.stringify(rows)}) AS j`
}

/**
 * A list of values sent as one JSON array, for `x IN (…)`: the subquery `(SELECT j.value FROM
 * json_each(?) AS j)`, one bound value however long the list. PostgreSQL: `(SELECT unnest($1::int[]))`.
 */
export function jsonValues<T extends JsonCell>(values: readonly T[]): RawBuilder<T> {
  return sql<T>`(SELECT j.value FROM json_each(${JSON.stringify(values)}) AS j)`
}
