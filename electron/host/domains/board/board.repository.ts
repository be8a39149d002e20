import type { Kysely } from 'kysely'
import type { DB } from '../../db/schema'

/** A project's buildings in order, each with its number of floors and the most units on one floor (the grid's size). */
export async function buildingsOf(db: Kysely<DB>, projectId: number): Promise<Array<{ id: number; name: string; floors: number; perFloor: number }>> {
  const [buildings, floors] = await Promise.all([
    db.selectFrom('buildings').select(['id', 'name']).where('project_id', '=', projectId).orderBy('id').execute(),
    db
      .selectFrom('units as u')
      .innerJoin('buildings as b', 'b.id', 'u.building_id')
      .select((eb) => ['u.building_id', 'u.floor', eb.fn.countAll<number>().as('n')])
      .where('b.project_id', '=', projectId)
      .groupBy(['u.building_id', 'u.floor'])
      .execute(),
  ])
  return buildings.map((b) => {
    const mine = floors.filter((f) => f.building_id === b.id)
    return { id: b.id, name: b.name, floors: mine.length, perFloor: Math.max(0, ...mine.map((f) => Number(f.n))) }
  })
}

/** Keeps a published board (the lobby screen's snapshot, without clients). */
export async function insertPublication(db: Kysely<DB>, p: { projectId: number; snapshot: unknown; by: number; at: string }): Promise<void> {
  await db.insertInto('board_publications').values({ project_id: p.projectId, snapshot: JSON.stringify(p.snapshot), published_by: p.by, published_at: p.at }).execute()
}

/** A project's last published board, with who published it. */
export async function lastPublication(db: Kysely<DB>, projectId: number) {
  return db
    .selectFrom('board_publications as bp')
    .innerJoin('staff as s', 's.id', 'bp.published_by')
    .select(['bp.snapshot', 'bp.published_at', 's.name'])
    .where('bp.project_id', '=', projectId)
    .orderBy('bp.id', 'desc')
    .limit(1)
    .executeTakeFirst()
}
