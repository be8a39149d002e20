import { describe, expect, it } from 'vitest'
import { CITY_OUTLINES } from '@shared/domain/city-outlines'
import { districtsGeoJson, otherRows } from '@shared/domain/district-geo'
import { CITY_DISTRICTS, districtKey, districtMap, districtTable } from '@shared/domain/district-map'

const row = (district: string | null, clients: number, extra: Partial<{ newClients: number; deals: number; highWealth: number }> = {}) => ({ district, clients, newClients: 0, deals: 0, highWealth: 0, ...extra })

describe('district map (客户地图)', () => {
  it('keys a district by its bare name: 浦东新区 and 浦东 are one, blank is none, a one-character name keeps its 区', () => {
    expect(districtKey(' 浦东新区 ')).toBe('浦东')
    expect(districtKey('徐汇区')).toBe('徐汇')
    expect(districtKey('徐汇')).toBe('徐汇')
    expect(districtKey('东区')).toBe('东区')
    expect(districtKey('  ')).toBeNull()
    expect(districtKey(null)).toBeNull()
  })

  it('adds up rows of one district, keeps the city’s districts in order, puts the others after by clients and the blank ones apart', () => {
    const { districts, unplaced } = districtMap([
      row('浦东新区', 3, { deals: 1 }),
      row('浦东', 2, { newClients: 2, highWealth: 1 }),
      row('滨江', 1),
      row('萧山区', 4),
      row(null, 5),
      row(' ', 1, { deals: 1 }),
    ])
    expect(districts.find((t) => t.name === '浦东')).toMatchObject({ clients: 5, newClients: 2, deals: 1, highWealth: 1, inCity: true })
    expect(districts.find((t) => t.name === '黄浦')).toMatchObject({ clients: 0, inCity: true })
    expect(districts.filter((t) => t.inCity).map((t) => t.name)).toEqual(CITY_DISTRICTS)
    expect(districts.filter((t) => !t.inCity).map((t) => [t.name, t.clients])).toEqual([
      ['萧山', 4],
      ['滨江', 1],
    ])
    expect(unplaced).toEqual({ clients: 6, newClients: 0, deals: 1, highWealth: 0 })
  })

  it('no rows: every city district at zero, nothing unplaced', () => {
    const { districts, unplaced } = districtMap([])
    expect(districts.every((t) => t.clients === 0 && t.inCity)).toBe(true)
    expect(unplaced.clients).toBe(0)
  })

  it('the bundled outlines: every district of the city once, named as districtKey keys its full name, closed rings inside Shanghai', () => {
    expect(CITY_OUTLINES.map((d) => d.name).sort()).toEqual([...CITY_DISTRICTS].sort())
    expect(new Set(CITY_OUTLINES.map((d) => d.name)).size).toBe(16)
    // no district of before the merges (闸北 into 静安 in 2015, 南汇 into 浦东 in 2009), 崇明 a 区 since 2016
    expect(CITY_OUTLINES.map((d) => d.fullName)).not.toContain('闸北区')
    expect(CITY_OUTLINES.map((d) => d.fullName)).not.toContain('南汇区')
    for (const d of CITY_OUTLINES) {
      expect(districtKey(d.fullName), d.fullName).toBe(d.name)
      expect(d.polygons.length, d.name).toBeGreaterThan(0)
      for (const ring of d.polygons.flat()) {
        expect(ring.length, d.name).toBeGreaterThanOrEqual(4)
        expect(ring[0], d.name).toEqual(ring[ring.length - 1])
        for (const [lng, lat] of ring) {
          expect(lng).toBeGreaterThan(120.8)
          expect(lng).toBeLessThan(122.2)
          expect(lat).toBeGreaterThan(30.6)
          expect(lat).toBeLessThan(32)
        }
      }
    }
  })

  it('the map: one feature per district, the city’s outlines, the others as squares in rows below the city', () => {
    const { districts } = districtMap([row('滨江', 1), row('萧山', 2), ...Array.from({ length: 6 }, (_, i) => row(`外区${i}`, 1))])
    const geo = districtsGeoJson(districts)
    expect(geo.features.map((f) => f.properties.name)).toEqual(districts.map((d) => d.name))
    const south = Math.min(...CITY_OUTLINES.flatMap((d) => d.polygons.flat(2).map((p) => p[1])))
    const binjiang = geo.features.find((f) => f.properties.name === '滨江')!.geometry.coordinates[0]![0]!
    expect(binjiang[0]).toEqual(binjiang[4])
    expect(Math.max(...binjiang.map((p) => p[1]))).toBeLessThan(south)
    expect(otherRows(districts)).toBe(2)
    expect(otherRows(districtMap([]).districts)).toBe(0)
    // the squares never overlap
    const boxes = geo.features.filter((f) => !CITY_DISTRICTS.includes(f.properties.name)).map((f) => f.geometry.coordinates[0]![0]!)
    for (const [i, a] of boxes.entries()) for (const b of boxes.slice(i + 1)) expect(a[0]![0] !== b[0]![0] || a[0]![1] !== b[0]![1]).toBe(true)
  })

  it('the table: districts with clients or deals, most clients first, the ones without a district last', () => {
    const map = districtMap([row('徐汇', 2), row('浦东新区', 5), row('滨江', 0, { deals: 1 }), row(null, 1)])
    expect(districtTable(map).map((r) => [r.name, r.clients, r.deals])).toEqual([
      ['浦东', 5, 0],
      ['徐汇', 2, 0],
      ['滨江', 0, 1],
      [null, 1, 0],
    ])
    expect(districtTable(districtMap([]))).toEqual([])
  })
})
