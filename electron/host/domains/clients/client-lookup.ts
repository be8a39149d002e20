import type { Kysely } from 'kysely'
import { ApiFailure } from '../../api/api-failure'
import type { DB } from '../../db/schema'
import { findClient, type ClientRecord } from './clients.repository'

/** A live (not merged) client by id, for any domain acting on one; NOT_FOUND on `field` otherwise. */
export async function mustFindClient(db: Kysely<DB>, id: number, field = 'id'): Promise<ClientRecord> {
  const c = await findClient(db, id)
  if (!c || c.merged_into !== null) throw new ApiFailure('NOT_FOUND', `no client with id ${id}`, field)
  return c
}
