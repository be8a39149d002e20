import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { PushedEvent } from '../../electron/host/api/events'
import { ManualClock } from '../../electron/host/clock'
import type { Host } from '../../electron/host/host'
import type { ApiClient } from '@shared/contract/client'
import { DEFAULT_PALETTE, SAFE_PALETTE } from '@shared/domain/unit-status'
import { adminClient, staffClient } from '../helpers/staff'
import { startTempHost } from '../helpers/temp-host'
import { unitSheetBase64 } from '../helpers/unit-sheet'

let host: Host & { cleanup(): Promise<void> }
let admin: ApiClient
let manager: ApiClient
let agent: ApiClient
let projects: number[]

beforeEach(async () => {
  host = await startTempHost({ clock: new ManualClock(new Date('2026-11-02T01:00:00.000Z')) })
  admin = await adminClient(host)
  manager = (await staffClient(host, admin, 'manager', 'mgr')).client
  agent = (await staffClient(host, admin, 'agent', 'agent-a')).client
  projects = []
  for (const [name, district] of [
    ['滨江壹号', '浦东'],
    ['西岸花园', '徐汇'],
  ] as const) {
    const id = (await manager.call('projects.create', { name, district })).id
    const rows = [1, 2, 3].map((floor) => ({ building: '1号楼', floor, number: `${floor}01`, layout: '3室2厅', area: 98.5, orientation: '南北', listPrice: 5_000_000 + floor * 100_000 }))
    await manager.call('units.import', { projectId: id, fileBase64: await unitSheetBase64(rows) })
    projects.push(id)
  }
})
afterEach(() => host.cleanup())

const mine = { ...DEFAULT_PALETTE, sold: '#aa0000', available: '#00AA00' }

describe('board colours (board.getPalette / board.setPalette)', () => {
  it('only managers and admins may read or set them', async () => {
    expect(await agent.try('board.setPalette', { palette: mine })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
    expect(await agent.try('board.getPalette', {})).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
    expect((await admin.call('board.getPalette', {})).custom).toBe(false)
    expect((await manager.call('board.get', { projectId: projects[0]! })).palette).toEqual(DEFAULT_PALETTE)
  })

  it('refuses a colour that is not #rrggbb, naming the status, and a palette that leaves a status out', async () => {
    expect(await manager.try('board.setPalette', { palette: { ...mine, sold: 'red' } })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', field: 'palette.sold', reason: 'bad_colour' },
    })
    expect(await manager.try('board.setPalette', { palette: { ...mine, hold: '#ffaa0' } })).toMatchObject({ ok: false, error: { field: 'palette.hold' } })
    const { withheld: _, ...short } = mine
    expect(await manager.try('board.setPalette', { palette: short as typeof mine })).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'palette.withheld' } })
    expect(await manager.try('board.setPalette', { palette: { ...mine, reserved: '#000000' } as typeof mine })).toMatchObject({ ok: false, error: { code: 'VALIDATION' } })
    expect((await manager.call('board.getPalette', {})).custom).toBe(false)
  })

  it('saves them for every board, audited, and tells every open board to reload in full', async () => {
    const pushed: PushedEvent[] = []
    const off = host.events.onEvent((e) => pushed.push(e))
    expect(await manager.call('board.setPalette', { palette: mine })).toEqual({ palette: mine, custom: true })
    off()
    for (const projectId of projects) expect((await agent.call('board.get', { projectId })).palette).toEqual(mine)
    expect(pushed.filter((e) => e.name === 'board.changed').map((e) => e.payload)).toEqual(projects.map((projectId) => ({ projectId, unitIds: [] })))
    expect(await admin.call('board.getPalette', {})).toEqual({ palette: mine, custom: true })
    const audit = host.database.sqlite.prepare(`SELECT target, detail FROM audit_log WHERE action = 'board.setPalette'`).all() as Array<{ target: string; detail: string }>
    expect(audit).toHaveLength(1)
    expect(audit[0]!.target).toBe('settings:boardPalette')
    expect(JSON.parse(audit[0]!.detail)).toEqual({ palette: mine })
    // the lobby screen takes the colours it was published with
    await manager.call('board.publish', { projectId: projects[0]! })
    expect((await agent.call('board.published', { projectId: projects[0]! })).palette).toEqual(mine)
  })

  it('goes back to the built-in colours with null, or takes another full palette', async () => {
    await manager.call('board.setPalette', { palette: mine })
    expect(await admin.call('board.setPalette', { palette: SAFE_PALETTE })).toEqual({ palette: SAFE_PALETTE, custom: true })
    expect(await manager.call('board.setPalette', { palette: null })).toEqual({ palette: DEFAULT_PALETTE, custom: false })
    expect((await agent.call('board.get', { projectId: projects[1]! })).palette).toEqual(DEFAULT_PALETTE)
    expect(host.database.sqlite.prepare(`SELECT count(*) FROM settings WHERE key = 'boardPalette'`).pluck().get()).toBe(0)
  })

  it('a damaged stored palette falls back colour by colour to the built-in ones', async () => {
    host.database.sqlite.prepare(`INSERT INTO settings (key, value, updated_at) VALUES ('boardPalette', ?, '2026-11-01T00:00:00Z')`).run(JSON.stringify({ sold: '#123456', hold: 'javascript:alert(1)' }))
    const p = (await manager.call('board.get', { projectId: projects[0]! })).palette
    expect(p).toEqual({ ...DEFAULT_PALETTE, sold: '#123456' })
  })
})

describe('matching, as the unit drawer and the client profile show it', () => {
  it('recommends available units with their project, and clients with code, owner and tier', async () => {
    const buyer = (await agent.call('clients.create', { kind: 'person', name: '买家甲', phones: [{ number: '13811110001' }], sourceChannel: 'walk_in' })).id
    expect(await agent.call('matching.unitsForClient', { clientId: buyer })).toEqual({ units: [], activeNeeds: 0 })

    await agent.call('needs.create', { clientId: buyer, kind: 'residential', regions: ['徐汇'], areaMin: 9000, areaMax: 10000, totalPriceMax: 5_250_000_00, bedroomsMin: 3 })
    const r = await agent.call('matching.unitsForClient', { clientId: buyer })
    expect(r.activeNeeds).toBe(1)
    expect(r.units.map((u) => [u.projectId, u.projectName, u.buildingName, u.number, u.layout, u.area, u.listPrice, u.status])).toEqual([
      [projects[1], '西岸花园', '1号楼', '101', '3室2厅', 9850, 5_100_000_00, 'available'],
      [projects[1], '西岸花园', '1号楼', '201', '3室2厅', 9850, 5_200_000_00, 'available'],
    ])
    expect(r.units[0]!.unitPrice).toBe(Math.round((5_100_000_00 * 100) / 9850))

    const unit101 = r.units[0]!.id
    const me = await agent.call('auth.whoami', {})
    const clients = (await manager.call('matching.clientsForUnit', { unitId: unit101 })).clients
    expect(clients).toEqual([{ id: buyer, code: expect.any(String) as string, name: '买家甲', owner: me.name, tier: expect.any(String) as string }])
    expect(clients[0]!.code).not.toBe('')

    // a unit of the other district fits nobody; a needs change that fits nothing leaves an empty list with the needs counted
    const other = (await manager.call('board.get', { projectId: projects[0]! })).units[0]!.id
    expect((await agent.call('matching.clientsForUnit', { unitId: other })).clients).toEqual([])
    const need = (await agent.call('needs.list', { clientId: buyer })).needs[0]!
    await agent.call('needs.update', { id: need.id, version: need.version, totalPriceMax: 1_000_000_00 })
    expect(await agent.call('matching.unitsForClient', { clientId: buyer })).toEqual({ units: [], activeNeeds: 1 })
  })

  it('reads bedrooms from layouts written in Chinese; a layout naming none rules no unit out', async () => {
    const projectId = (await manager.call('projects.create', { name: '东湖里', district: '东湖' })).id
    const rows = [
      { building: '2号楼', floor: 1, number: '101', layout: '三室两厅', area: 98.5, orientation: '南', listPrice: 4_000_000 },
      { building: '2号楼', floor: 1, number: '102', layout: '四房两厅', area: 98.5, orientation: '南', listPrice: 4_100_000 },
      { building: '2号楼', floor: 1, number: '103', layout: '复式', area: 98.5, orientation: '南', listPrice: 4_200_000 },
    ]
    await manager.call('units.import', { projectId, fileBase64: await unitSheetBase64(rows) })
    const buyer = (await agent.call('clients.create', { kind: 'person', name: '买家丙', phones: [{ number: '13811110003' }], sourceChannel: 'walk_in' })).id
    await agent.call('needs.create', { clientId: buyer, kind: 'residential', regions: ['东湖'], bedroomsMin: 4 })
    expect((await agent.call('matching.unitsForClient', { clientId: buyer })).units.map((u) => u.number)).toEqual(['102', '103'])
    const units = (await manager.call('board.get', { projectId })).units
    const fits = async (n: string) => (await agent.call('matching.clientsForUnit', { unitId: units.find((u) => u.number === n)!.id })).clients.map((c) => c.name)
    expect(await fits('101')).toEqual([])
    expect(await fits('102')).toEqual(['买家丙'])
    expect(await fits('103')).toEqual(['买家丙'])
  })

  it("keeps other agents' clients out: no needs read, no names listed", async () => {
    const other = (await staffClient(host, admin, 'agent', 'agent-other')).client
    const projectId = (await manager.call('projects.create', { name: '北岸', district: '北岸' })).id
    await manager.call('units.import', { projectId, fileBase64: await unitSheetBase64([{ building: '1号楼', floor: 1, number: '101', layout: '3室2厅', area: 98.5, orientation: '南', listPrice: 4_000_000 }]) })
    const unitId = (await manager.call('board.get', { projectId })).units[0]!.id
    const buyer = (await agent.call('clients.create', { kind: 'person', name: '买家丁', phones: [{ number: '13811110004' }], sourceChannel: 'walk_in' })).id
    await agent.call('needs.create', { clientId: buyer, kind: 'residential', regions: ['北岸'] })

    expect(await other.try('matching.unitsForClient', { clientId: buyer })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', field: 'clientId' } })
    expect((await other.call('matching.clientsForUnit', { unitId })).clients).toEqual([])
    expect((await agent.call('matching.clientsForUnit', { unitId })).clients.map((c) => c.name)).toEqual(['买家丁'])
    expect((await manager.call('matching.clientsForUnit', { unitId })).clients.map((c) => c.name)).toEqual(['买家丁'])
  })

  it('reads floors, orientation, unit price and most bedrooms from the needs, both ways', async () => {
    const projectId = (await manager.call('projects.create', { name: '南湖湾', district: '南湖' })).id
    const rows = [
      { building: '1号楼', floor: 2, number: '201', layout: '3室2厅', area: 100, orientation: '南北', listPrice: 3_000_000 },
      { building: '1号楼', floor: 9, number: '901', layout: '3室2厅', area: 100, orientation: '南北', listPrice: 3_000_000 },
      { building: '1号楼', floor: 10, number: '1001', layout: '3室2厅', area: 100, orientation: '东', listPrice: 3_000_000 },
      { building: '1号楼', floor: 11, number: '1101', layout: '3室2厅', area: 100, orientation: '南北', listPrice: 4_000_000 },
      { building: '1号楼', floor: 12, number: '1201', layout: '5室2厅', area: 100, orientation: '南北', listPrice: 3_000_000 },
    ]
    await manager.call('units.import', { projectId, fileBase64: await unitSheetBase64(rows) })
    const buyer = (await agent.call('clients.create', { kind: 'person', name: '买家戊', phones: [{ number: '13811110005' }], sourceChannel: 'walk_in' })).id
    // 5th floor up, facing south and north, at most 35,000 元/㎡, at most 4 bedrooms
    await agent.call('needs.create', { clientId: buyer, kind: 'residential', regions: ['南湖'], floorMin: 5, orientation: 'south_north', unitPriceMax: 3_500_000, bedroomsMax: 4 })
    expect((await agent.call('matching.unitsForClient', { clientId: buyer })).units.map((u) => u.number)).toEqual(['901'])
    const units = (await manager.call('board.get', { projectId })).units
    const fits = async (n: string) => (await agent.call('matching.clientsForUnit', { unitId: units.find((u) => u.number === n)!.id })).clients.map((c) => c.name)
    for (const n of ['201', '1001', '1101', '1201']) expect(await fits(n), n).toEqual([])
    expect(await fits('901')).toEqual(['买家戊'])
  })

  it('says which client or unit is missing', async () => {
    expect(await agent.try('matching.unitsForClient', { clientId: 9999 })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND', field: 'clientId' } })
    expect(await agent.try('matching.clientsForUnit', { unitId: 9999 })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND', field: 'unitId' } })
  })
})
