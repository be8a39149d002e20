import { CITY_OUTLINES } from './city-outlines'
import type { DistrictArea } from './district-map'

/** Squares for the districts the city does not know: this many per row, below the city, this wide and apart (degrees). */
const COLUMNS = 6
const SIDE = 0.1
const GAP = 0.04

type Ring = Array<[number, number]>

/** The bounding box of the bundled city's outlines, [west, south, east, north]. */
function cityBox(): [number, number, number, number] {
  const points = CITY_OUTLINES.flatMap((d) => d.polygons.flat(2))
  const xs = points.map((p) => p[0])
  const ys = points.map((p) => p[1])
  return [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)]
}

/**
 * The map's GeoJSON for ECharts' registerMap: a feature per district of the bundled city (its
 * outline, named as districtKey keys it), then a square per other district, in rows of COLUMNS
 * below the city's southern edge, in the order given (most clients first). Nothing is fetched.
 */
export function districtsGeoJson(districts: readonly Pick<DistrictArea, 'name' | 'inCity'>[]) {
  const [west, south] = cityBox()
  const square = (i: number): Ring => {
    const x0 = west + (i % COLUMNS) * (SIDE + GAP)
    const y1 = south - GAP * 2 - Math.floor(i / COLUMNS) * (SIDE + GAP)
    return [
      [x0, y1 - SIDE],
      [x0 + SIDE, y1 - SIDE],
      [x0 + SIDE, y1],
      [x0, y1],
      [x0, y1 - SIDE],
    ]
  }
  const others = districts.filter((d) => !d.inCity)
  return {
    type: 'FeatureCollection' as const,
    features: [
      ...CITY_OUTLINES.map((d) => ({ type: 'Feature' as const, properties: { name: d.name }, geometry: { type: 'MultiPolygon' as const, coordinates: d.polygons } })),
      ...others.map((d, i) => ({ type: 'Feature' as const, properties: { name: d.name }, geometry: { type: 'MultiPolygon' as const, coordinates: [[square(i)]] } })),
    ],
  }
}

/** Rows of squares the other districts take below the city (the chart grows by as many). */
export function otherRows(districts: readonly Pick<DistrictArea, 'inCity'>[]): number {
  return Math.ceil(districts.filter((d) => !d.inCity).length / COLUMNS)
}
