import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ManualClock } from '../../electron/host/clock'
import type { Host } from '../../electron/host/host'
import type { ApiClient } from '@shared/contract/client'
import { adminClient, staffClient } from '../helpers/staff'
import { startTempHost } from '../helpers/temp-host'
import { unitSheetBase64, type UnitSheetRow } from '../helpers/unit-sheet'

// A unit picked on the day whose 认购 is then released (an approved 退房) is on offer again in the
// same event (#21): another card picks it, two desks racing for it still sell it once, and the
// released pick stays in the 汇总's history.

const MINUTE = 60_000
const clock = new ManualClock(new Date('2026-10-14T01:00:00Z'))
let host: Host & { cleanup(): Promise<void> }
let admin: ApiClient
let manager: ApiClient
let deskA: ApiClient
let deskB: ApiClient
let door: ApiClient
let projectId: number
let units: number[]
let eventId: number

beforeAll(async () => {
  host = await startTempHost({ clock })
  admin = await adminClient(host)
  manager = (await staffClient(host, admin, 'manager', 'rp-mgr')).client
  deskA = (await staffClient(host, admin, 'agent', 'rp-desk-a')).client
  deskB = (await staffClient(host, admin, 'agent', 'rp-desk-b')).client
  door = (await staffClient(host, admin, 'front_desk', 'rp-door')).client
  const agent = (await staffClient(host, admin, 'senior_agent', 'rp-agent')).client
  projectId = (await manager.call('projects.create', { name: '再选苑' })).id
  const rows: UnitSheetRow[] = [1, 2, 3].map((n) => ({ building: '5号楼', floor: 1, number: `10${n}`, layout: '3室2厅', area: 100, orientation: '南北', listPrice: 2_000_000 }))
  await manager.call('units.import', { projectId, fileBase64: await unitSheetBase64(rows) })
  units = (await manager.call('board.get', { projectId })).units.map((u) => u.id).sort((a, b) => a - b)
  const client = (await agent.call('clients.create', { kind: 'person', name: '再选客', phones: [{ number: '13900007777' }], sourceChannel: 'walk_in' })).id
  // card 1 wants unit 0; cards 2 to 4 have no wish that would make one wait for another
  for (let c = 1; c <= 4; c++) await agent.call('subscription.issueCard', { projectId, clientId: client, cardNo: c, deposit: 1_000_000, receiptNo: `ZX${c}`, method: 'cash', wishes: c === 1 ? [units[0]!] : [] })
  eventId = (await manager.call('subscription.createEvent', { projectId, name: '再选开盘', days: ['2026-10-14'], unitIds: units, groupSize: 4, minutesPerGroup: 30 })).id
  await manager.call('subscription.callNext', { eventId })
  for (let c = 1; c <= 4; c++) await door.call('subscription.checkIn', { eventId, cardNo: c })
}, 60_000)
afterAll(() => host.cleanup())

describe('a unit released after its pick (选后退房)', () => {
  it('is picked again in the same event by another card, and two desks racing for it sell it once', async () => {
    const first = await deskA.call('subscription.pick', { eventId, cardNo: 1, unitId: units[0]! })
    expect(first.txId).not.toBeNull()
    // card 1's 认购 is cancelled (退房: asked by the manager, approved by the admin) while the group still picks
    clock.advance(2 * MINUTE)
    const cancel = await manager.call('changes.request', { kind: 'cancel', unitId: units[0]! })
    await admin.call('changes.decide', { id: cancel.id, approve: true })
    expect((await door.call('subscription.lobby', { eventId })).picked).toEqual([])
    // cards 2 and 3 ask for it at the same moment from two desks: exactly one gets it
    clock.advance(MINUTE)
    const [r2, r3] = await Promise.all([deskA.try('subscription.pick', { eventId, cardNo: 2, unitId: units[0]! }), deskB.try('subscription.pick', { eventId, cardNo: 3, unitId: units[0]! })])
    const won = [r2, r3].filter((r) => r.ok)
    expect(won).toHaveLength(1)
    const lost = [r2, r3].find((r) => !r.ok)!
    expect(lost).toMatchObject({ ok: false, error: { code: 'CONFLICT', field: 'unitId', reason: 'unit_subscribe' } })
    const winner = r2.ok ? 2 : 3
    const loser = r2.ok ? 3 : 2
    // a third card is refused too; the loser takes another unit
    expect(await deskB.try('subscription.pick', { eventId, cardNo: 4, unitId: units[0]! })).toMatchObject({ ok: false, error: { reason: 'unit_subscribe' } })
    await deskB.call('subscription.pick', { eventId, cardNo: loser, unitId: units[1]! })
    // one live 认购 on the unit, the winner's; the lobby shows it sold once
    const board = (await manager.call('board.get', { projectId })).units
    expect(board.find((u) => u.id === units[0]!)!.status).toBe('subscribe')
    expect((await door.call('subscription.lobby', { eventId })).picked.sort((a, b) => a - b)).toEqual([units[0]!, units[1]!])
    const { queue } = await manager.call('subscription.event', { eventId })
    expect(queue.filter((q) => q.unitId === units[0]!).map((q) => [q.cardNo, q.state])).toEqual([
      [1, 'picked'],
      [winner, 'picked'],
    ])
    // the 汇总 keeps the released pick (picked, not sold) beside the new one
    const s = await manager.call('subscription.summary', { eventId })
    expect(s.total).toMatchObject({ picked: 3, unitsSold: 2, released: 1 })
    expect(s.picks.filter((p) => p.unitId === units[0]!).map((p) => p.cardNo)).toEqual([1, winner])
    // each card's 认购书 is its own pick's
    expect(await manager.call('subscription.agreement', { eventId, cardNo: winner })).toMatchObject({ cardNo: winner, unitLabel: '5号楼-101' })
    expect(await manager.call('system.ping', {})).toBeTruthy()
  })

  it("still holds a unit once per rehearsal, where the queue's index is the only guard (no 认购 transaction)", async () => {
    const r = await manager.call('subscription.rehearse', { projectId, holders: 2, unitIds: [units[2]!], groupSize: 2, wishes: 1 })
    await manager.call('subscription.callNext', { eventId: r.id })
    expect((await manager.call('subscription.autoRun', { eventId: r.id })).picks).toEqual([
      { cardNo: 1, unitId: units[2]! },
      { cardNo: 2, unitId: null },
    ])
    // written around the host, a second rehearsal pick of the unit is refused by the database itself
    const db = host.database.sqlite
    const second = db.prepare('SELECT q.card_id FROM subscription_queue q JOIN vip_cards v ON v.id = q.card_id WHERE q.event_id = ? AND v.card_no = 2').pluck().get(r.id) as number
    expect(() => db.prepare("UPDATE subscription_queue SET state = 'picked', unit_id = ? WHERE event_id = ? AND card_id = ?").run(units[2]!, r.id, second)).toThrow(/UNIQUE/)
    expect(await manager.call('system.ping', {})).toBeTruthy()
  })
})
