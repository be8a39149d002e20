import { CompiledQuery, type Kysely } from 'kysely'
import type { DB } from '../../db/schema'
import { HOLDER_SQL, TEAM_SQL } from './search-sql'

/**
 * The lookups of a search query that also run on the event loop's side of a call (the grid
 * filtered by a search, exports): fixed SQL text (search-sql.ts), bound and run through Kysely on
 * the call's connection. The search itself runs whole in a reader's thread (search-procedure.ts).
 */

async function run<R>(db: Kysely<DB>, sql: string, parameters: readonly unknown[]): Promise<R[]> {
  return (await db.executeQuery<R>(CompiledQuery.raw(sql, [...parameters]))).rows
}

/** The live client holding a whole number (the unique phone index), with what access rules need. */
export async function holderOf(db: Kysely<DB>, e164: string): Promise<{ id: number; owner_id: number | null; owner_team: string | null } | undefined> {
  const [row] = await run<{ id: number; owner_id: number | null; owner_team: string | null }>(db, HOLDER_SQL, [e164])
  return row
}

/** The staff of a team (whose clients a senior of that team sees in full). */
export async function teamMemberIds(db: Kysely<DB>, team: string): Promise<number[]> {
  return (await run<{ id: number }>(db, TEAM_SQL, [team])).map((r) => r.id)
}
