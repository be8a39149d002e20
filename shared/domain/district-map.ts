/**
 * 客户地图 (seed 001's map of purchasing power, issue #19 item 2): clients per district on a
 * schematic tile map. The branch may have no internet, so no tile server: the city's districts are
 * squares placed roughly where the district lies (Shanghai's sixteen, the city of the branch's
 * data), each district the data names that is not among them gets a square in rows below, and the
 * chart draws the squares as a map from the GeoJSON built here.
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

/** A square of the map: its name, place and size in tiles, and its figures (zero where no client lives). */
export interface DistrictTile extends DistrictFigures {
  name: string
  x: number
  y: number
  w: number
  h: number
  /** false: a district the bundled city does not know, set in the rows below it */
  inCity: boolean
}

/** Where each district of the bundled city sits: column x, row y (north at the top), width and height in tiles. */
export const CITY_DISTRICTS: ReadonlyArray<{ name: string; x: number; y: number; w?: number; h?: number }> = [
  { name: '嘉定', x: 1, y: 0 },
  { name: '宝山', x: 2, y: 0 },
  { name: '崇明', x: 4, y: 0 },
  { name: '青浦', x: 0, y: 1 },
  { name: '普陀', x: 1, y: 1 },
  { name: '静安', x: 2, y: 1 },
  { name: '虹口', x: 3, y: 1 },
  { name: '杨浦', x: 4, y: 1 },
  { name: '长宁', x: 1, y: 2 },
  { name: '徐汇', x: 2, y: 2 },
  { name: '黄浦', x: 3, y: 2 },
  { name: '浦东', x: 4, y: 2, h: 2 },
  { name: '松江', x: 0, y: 3 },
  { name: '闵行', x: 1, y: 3, w: 2 },
  { name: '金山', x: 0, y: 4 },
  { name: '奉贤', x: 2, y: 4, w: 2 },
]

/** Columns of the map; districts outside the city fill rows of this many below it. */
const COLUMNS = 5
const CITY_ROWS = 5

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
 * The map's squares from the stored rows: the city's districts in their places, then the other
 * districts the rows name, most clients first, in rows below; rows without a district are
 * `unplaced` (the table lists them as 未填区域; the map cannot).
 */
export function districtMap(rows: readonly DistrictRow[]): { tiles: DistrictTile[]; unplaced: DistrictFigures } {
  const byKey = new Map<string, DistrictFigures>()
  let unplaced = ZERO
  for (const r of rows) {
    const key = districtKey(r.district)
    if (key === null) unplaced = add(unplaced, r)
    else byKey.set(key, add(byKey.get(key) ?? ZERO, r))
  }
  const tiles: DistrictTile[] = CITY_DISTRICTS.map((d) => ({ name: d.name, x: d.x, y: d.y, w: d.w ?? 1, h: d.h ?? 1, inCity: true, ...(byKey.get(d.name) ?? ZERO) }))
  const known = new Set(CITY_DISTRICTS.map((d) => d.name))
  const others = [...byKey.entries()].filter(([k]) => !known.has(k)).sort((a, b) => b[1].clients - a[1].clients || (a[0] < b[0] ? -1 : 1))
  // a blank row between the city and the others keeps them apart on the map
  others.forEach(([name, f], i) => tiles.push({ name, x: i % COLUMNS, y: CITY_ROWS + 1 + Math.floor(i / COLUMNS), w: 1, h: 1, inCity: false, ...f }))
  return { tiles, unplaced }
}

/** A GeoJSON polygon feature per square (a gap between squares), for ECharts' registerMap; y grows northwards in GeoJSON, so rows are flipped. */
export function tilesGeoJson(tiles: readonly DistrictTile[]) {
  const GAP = 0.06
  return {
    type: 'FeatureCollection' as const,
    features: tiles.map((t) => {
      const x0 = t.x + GAP
      const x1 = t.x + t.w - GAP
      const y0 = -(t.y + t.h) + GAP
      const y1 = -t.y - GAP
      return {
        type: 'Feature' as const,
        properties: { name: t.name },
        geometry: { type: 'Polygon' as const, coordinates: [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]] },
      }
    }),
  }
}

/** The table beside the map: the districts with clients or deals, most clients first, then the clients with no district (name null) if any. */
export function districtTable(map: { tiles: readonly DistrictTile[]; unplaced: DistrictFigures }): Array<DistrictFigures & { name: string | null }> {
  const pick = ({ clients, newClients, deals, highWealth }: DistrictFigures) => ({ clients, newClients, deals, highWealth })
  const rows: Array<DistrictFigures & { name: string | null }> = map.tiles
    .filter((t) => t.clients > 0 || t.deals > 0)
    .sort((a, b) => b.clients - a.clients || (a.name < b.name ? -1 : 1))
    .map((t) => ({ name: t.name, ...pick(t) }))
  if (map.unplaced.clients > 0 || map.unplaced.deals > 0) rows.push({ name: null, ...pick(map.unplaced) })
  return rows
}
