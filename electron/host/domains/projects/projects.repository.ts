import type { Kysely } from 'kysely'
import type { DB } from '../../db/schema'

export async function findProject(db: Kysely<DB>, id: number) {
  return db.selectFrom('projects').selectAll().where('id', '=', id).executeTakeFirst()
}

/** Stores a project (楼盘); returns its id. */
export async function insertProject(db: Kysely<DB>, p: { name: string; district: string | null; at: string }): Promise<number> {
  return (await db.insertInto('projects').values({ name: p.name, district: p.district, created_at: p.at }).returning('id').executeTakeFirstOrThrow()).id
}

/** Every project with its number of units and when its board was last published. */
export async function projectsWithCounts(db: Kysely<DB>) {
  return db
    .selectFrom('projects as p')
    .select((eb) => [
      'p.id',
      'p.name',
      'p.district',
      eb
        .selectFrom('units as u')
        .innerJoin('buildings as b', 'b.id', 'u.building_id')
        .select((x) => x.fn.countAll<number>().as('n'))
        .whereRef('b.project_id', '=', 'p.id')
        .$asScalar()
        .$notNull()
        .as('units'),
      eb
        .selectFrom('board_publications as bp')
        .select((x) => x.fn.max('bp.published_at').as('m'))
        .whereRef('bp.project_id', '=', 'p.id')
        .as('published_at'),
    ])
    .orderBy('p.id')
    .execute()
}

/** The ids of every project (each open board reloads when the colours change). */
export async function projectIds(db: Kysely<DB>): Promise<number[]> {
  return (await db.selectFrom('projects').select('id').orderBy('id').execute()).map((p) => p.id)
}
