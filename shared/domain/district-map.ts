/**
 * 客户地图 (seed 001's map of purchasing power, issue #19 item 2): clients per district on the
 * city's district outlines. The branch may have no internet, so no tile server: the outlines of
 * Shanghai's sixteen districts are bundled (city-outlines.ts), each district the data names that is
 * not among them gets a square in rows below the city, and the chart draws both as one map from the
 * GeoJSON built here.
 */

/** One district's figures: its clients at the period's end, new ones, deals, and those of high purchasing power. */
export interface DistrictFigures {
  clients: number
  newClients: number
  deals: number
  highWealth: number
}

/** A district's stored figures (district as typed on the clients, null when none). */
export interface DistrictRow extends DistrictFigures {
  district: string | null
}

/** A district of the map: its name (as districtKey keys it) and figures (zero where no client lives). */
export interface DistrictArea extends DistrictFigures {
  name: string
  /** false: a district the bundled city does not know, drawn as a square below it */
  inCity: boolean
}

/** The bundled city's districts (Shanghai's sixteen since 2016; outlines in city-outlines.ts), as districtKey keys them. */
export const CITY_DISTRICTS: readonly string[] = ['黄浦', '徐汇', '长宁', '静安', '普陀', '虹口', '杨浦', '闵行', '宝山', '嘉定', '浦东', '金山', '松江', '青浦', '奉贤', '崇明']

/** A district's name as the map keys it: trimmed, without 新区 or 区 at its end (浦东新区 and 浦东 are one); null when blank. */
export function districtKey(typed: string | null): string | null {
  const t = (typed ?? '').trim()
  if (t === '') return null
  const bare = t.replace(/(新区|区)$/u, '')
  return bare.length >= 2 ? bare : t
}

const ZERO: DistrictFigures = { clients: 0, newClients: 0, deals: 0, highWealth: 0 }
const add = (a: DistrictFigures, b: DistrictFigures): DistrictFigures => ({ clients: a.clients + b.clients, newClients: a.newClients + b.newClients, deals: a.deals + b.deals, highWealth: a.highWealth + b.highWealth })

/**
 * The map's districts from the stored rows: the city's districts in its order, then the other
 * districts the rows name, most clients first; rows without a district are `unplaced` (the table
 * lists them as 未填区域; the map cannot).
 */
export function districtMap(rows: readonly DistrictRow[]): { districts: DistrictArea[]; unplaced: DistrictFigures } {
  const byKey = new Map<string, DistrictFigures>()
  let unplaced = ZERO
  for (const r of rows) {
    const key = districtKey(r.district)
    if (key === null) unplaced = add(unplaced, r)
    else byKey.set(key, add(byKey.get(key) ?? ZERO, r))
  }
  const districts: DistrictArea[] = CITY_DISTRICTS.map((name) => ({ name, inCity: true, ...(byKey.get(name) ?? ZERO) }))
  const known = new Set(CITY_DISTRICTS)
  const others = [...byKey.entries()].filter(([k]) => !known.has(k)).sort((a, b) => b[1].clients - a[1].clients || (a[0] < b[0] ? -1 : 1))
  for (const [name, f] of others) districts.push({ name, inCity: false, ...f })
  return { districts, unplaced }
}

/** The table beside the map: the districts with clients or deals, most clients first, then the clients with no district (name null) if any. */
export function districtTable(map: { districts: readonly DistrictArea[]; unplaced: DistrictFigures }): Array<DistrictFigures & { name: string | null }> {
  const pick = ({ clients, newClients, deals, highWealth }: DistrictFigures) => ({ clients, newClients, deals, highWealth })
  const rows: Array<DistrictFigures & { name: string | null }> = map.districts
    .filter((t) => t.clients > 0 || t.deals > 0)
    .sort((a, b) => b.clients - a.clients || (a.name < b.name ? -1 : 1))
    .map((t) => ({ name: t.name, ...pick(t) }))
  if (map.unplaced.clients > 0 || map.unplaced.deals > 0) rows.push({ name: null, ...pick(map.unplaced) })
  return rows
}
