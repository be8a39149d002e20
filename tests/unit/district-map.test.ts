import { describe, expect, it } from 'vitest'
import { CITY_DISTRICTS, districtKey, districtMap, districtTable, tilesGeoJson } from '@shared/domain/district-map'

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

  it('adds up rows of one district, places the city’s districts, puts the others below by clients and the blank ones apart', () => {
    const { tiles, unplaced } = districtMap([
      row('浦东新区', 3, { deals: 1 }),
      row('浦东', 2, { newClients: 2, highWealth: 1 }),
      row('滨江', 1),
      row('萧山区', 4),
      row(null, 5),
      row(' ', 1, { deals: 1 }),
    ])
    expect(tiles.find((t) => t.name === '浦东')).toMatchObject({ clients: 5, newClients: 2, deals: 1, highWealth: 1, inCity: true, x: 4, y: 2, h: 2 })
    expect(tiles.find((t) => t.name === '黄浦')).toMatchObject({ clients: 0, inCity: true })
    expect(tiles.filter((t) => t.inCity)).toHaveLength(CITY_DISTRICTS.length)
    const others = tiles.filter((t) => !t.inCity)
    expect(others.map((t) => [t.name, t.clients, t.x, t.y])).toEqual([
      ['萧山', 4, 0, 6],
      ['滨江', 1, 1, 6],
    ])
    expect(unplaced).toEqual({ clients: 6, newClients: 0, deals: 1, highWealth: 0 })
  })

  it('no rows: every city district drawn at zero, nothing unplaced', () => {
    const { tiles, unplaced } = districtMap([])
    expect(tiles.every((t) => t.clients === 0 && t.inCity)).toBe(true)
    expect(unplaced.clients).toBe(0)
  })

  it('the city’s squares never overlap', () => {
    const seen = new Set<string>()
    for (const t of districtMap([]).tiles) {
      for (let dx = 0; dx < t.w; dx++) {
        for (let dy = 0; dy < t.h; dy++) {
          const at = `${t.x + dx},${t.y + dy}`
          expect(seen.has(at), at).toBe(false)
          seen.add(at)
        }
      }
    }
  })

  it('a closed square polygon per tile, named, north up', () => {
    const geo = tilesGeoJson(districtMap([row('滨江', 1)]).tiles)
    const pudong = geo.features.find((f) => f.properties.name === '浦东')!
    const ring = pudong.geometry.coordinates[0]!
    expect(ring[0]).toEqual(ring[4])
    // two tiles tall: from row 2 to row 4, flipped
    expect(ring[2]![1]! - ring[0]![1]!).toBeCloseTo(2 - 0.12)
    const binjiang = geo.features.find((f) => f.properties.name === '滨江')!.geometry.coordinates[0]!
    expect(binjiang[0]![1]!).toBeLessThan(ring[0]![1]!)
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
