import { sql, type Kysely } from 'kysely'
import type { DB } from '../../db/schema'
import { containsText, jsonArrayEmptyOrHas, jsonMember } from '../../db/sqlite-sql'

/** The need fields matching reads (see shared/contract/needs.ts); an empty field rules nothing out. */
export interface MatchedNeed {
  areaMin?: number | null
  areaMax?: number | null
  totalPriceMin?: number | null
  totalPriceMax?: number | null
  unitPriceMin?: number | null
  unitPriceMax?: number | null
  bedroomsMin?: number | null
  bedroomsMax?: number | null
  floorMin?: number | null
  floorMax?: number | null
  orientation?: string | null
  regions?: string[]
}

/**
 * Units free now (no live transaction that has not run out) that fit one need, cheapest first:
 * area, total and unit price, bedrooms (a layout naming none rules nothing out), floor, the
 * orientation's word in the unit's 朝向, the project's district among the need's regions.
 */
export async function unitsFitting(db: Kysely<DB>, d: MatchedNeed, orientationWord: string | null, nowIso: string, limit: number) {
  return db
    .selectFrom('units as u')
    .innerJoin('buildings as b', 'b.id', 'u.building_id')
    .innerJoin('projects as p', 'p.id', 'b.project_id')
    .select(['u.id', 'p.name as project_name', 'b.name as building_name'])
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('unit_transactions as t')
            .select('t.id')
            .whereRef('t.unit_id', '=', 'u.id')
            .where('t.live', '=', sql.lit(1))
            .where((t) => t.or([t('t.expires_at', 'is', null), t('t.expires_at', '>', nowIso)])),
        ),
      ),
    )
    .where('u.area', '>=', d.areaMin ?? 0)
    .where('u.area', '<=', d.areaMax ?? 1e12)
    .where('u.list_price', '>=', d.totalPriceMin ?? 0)
    .where('u.list_price', '<=', d.totalPriceMax ?? 1e15)
    .where((eb) => eb(eb.fn.coalesce('u.bedrooms', eb.val(99)), '>=', d.bedroomsMin ?? 0))
    .where((eb) => eb(eb.fn.coalesce('u.bedrooms', eb.val(0)), '<=', d.bedroomsMax ?? 99))
    .where('u.floor', '>=', d.floorMin ?? -99)
    .where('u.floor', '<=', d.floorMax ?? 999)
    .where((eb) => eb(eb(eb('u.list_price', '*', 100), '/', eb.ref('u.area')), '>=', d.unitPriceMin ?? 0))
    .where((eb) => eb(eb(eb('u.list_price', '*', 100), '/', eb.ref('u.area')), '<=', d.unitPriceMax ?? 1e15))
    .$if(orientationWord !== null, (q) => q.where((eb) => eb.or([eb('u.orientation', 'is', null), containsText(eb.ref('u.orientation'), orientationWord ?? '')])))
    .$if(!!d.regions?.length, (q) => q.where((eb) => eb.or([eb('p.district', 'is', null), eb('p.district', 'in', d.regions ?? [])])))
    .orderBy('u.list_price')
    .limit(limit)
    .execute()
}

/** The unit matching reads, and its project's district. */
export interface MatchedUnit {
  area: number
  listPrice: number
  bedrooms: number | null
  floor: number
  district: string | null
}

/**
 * Live clients (not closed, lost or blacklisted) with an active need a unit fits, VIPs first;
 * `ownerIds` null for all, else only clients those staff own (`team`: or whose owner is of it).
 * `orientations`: the need orientations the unit's 朝向 fits ('any' always does).
 */
export async function clientsFitting(db: Kysely<DB>, u: MatchedUnit, orientations: readonly string[] | null, scope: { ownerId: number; team: string | null } | null, limit: number) {
  const unitPrice = Math.floor((u.listPrice * 100) / u.area)
  const num = (key: string) => jsonMember<number>(sql.ref('r.data'), key)
  return db
    .selectFrom('clients as c')
    .leftJoin('staff as s', 's.id', 'c.owner_id')
    .select(['c.id', 'c.code', 'c.name', 's.name as owner', 'c.tier'])
    .where('c.merged_into', 'is', null)
    .where('c.stage', 'not in', ['closed', 'lost'])
    .where('c.blacklisted', '=', 0)
    .$if(scope !== null, (q) =>
      q.where((eb) => (scope?.team ? eb.or([eb('c.owner_id', '=', scope.ownerId), eb('s.team', '=', scope.team)]) : eb('c.owner_id', '=', scope?.ownerId ?? 0))),
    )
    .where(({ exists, selectFrom }) => {
      let need = selectFrom('requirements as r')
        .select('r.id')
        .whereRef('r.client_id', '=', 'c.id')
        .where('r.active', '=', 1)
      for (const [key, op, unset, value] of [
        ['areaMin', '<=', 0, u.area],
        ['areaMax', '>=', 1e12, u.area],
        ['totalPriceMin', '<=', 0, u.listPrice],
        ['totalPriceMax', '>=', 1e15, u.listPrice],
        ['bedroomsMin', '<=', 0, u.bedrooms ?? 99],
        ['bedroomsMax', '>=', 99, u.bedrooms ?? 0],
        ['floorMin', '<=', -99, u.floor],
        ['floorMax', '>=', 999, u.floor],
        ['unitPriceMin', '<=', 0, unitPrice],
        ['unitPriceMax', '>=', 1e15, unitPrice],
      ] as const) {
        need = need.where((r) => r(r.fn.coalesce(num(key), r.val(unset)), op, value))
      }
      if (orientations !== null) need = need.where((r) => r(r.fn.coalesce(jsonMember<string>(sql.ref('r.data'), 'orientation'), r.val('any')), 'in', ['any', ...orientations]))
      if (u.district !== null) need = need.where(jsonArrayEmptyOrHas(sql.ref('r.data'), 'regions', u.district))
      return exists(need)
    })
    .orderBy((eb) => eb.case('c.tier').when('vip').then(0).when('key').then(1).when('normal').then(2).else(3).end())
    .orderBy('c.id')
    .limit(limit)
    .execute()
}
