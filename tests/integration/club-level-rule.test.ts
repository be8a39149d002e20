import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ManualClock } from '../../electron/host/clock'
import type { Host } from '../../electron/host/host'
import type { ApiClient } from '@shared/contract/client'
import { adminClient, staffClient } from '../helpers/staff'
import { startTempHost } from '../helpers/temp-host'
import { unitSheetBase64, type UnitSheetRow } from '../helpers/unit-sheet'

// member levels from behaviour (issue #20 item 7): points or purchase amount and deals, previewed before applied
let host: Host & { cleanup(): Promise<void> }
let manager: ApiClient
let agent: ApiClient
let desk: ApiClient
let projectId: number
let seq = 0
const clock = new ManualClock(new Date('2026-11-25T02:00:00Z'))
const LIST = 300_000_000 // 300 万 in fen

beforeAll(async () => {
  host = await startTempHost({ clock })
  const admin = await adminClient(host)
  manager = (await staffClient(host, admin, 'manager', 'mgr')).client
  agent = (await staffClient(host, admin, 'agent', 'agent-a')).client
  desk = (await staffClient(host, admin, 'front_desk', 'desk')).client
  projectId = (await manager.call('projects.create', { name: '江畔花园' })).id
  const rows: UnitSheetRow[] = []
  for (let floor = 1; floor <= 4; floor++) for (const n of ['01', '02']) rows.push({ building: '2号楼', floor, number: `${floor}${n}`, layout: '3室2厅', area: 98.5, orientation: '南北', listPrice: LIST / 100 })
  await manager.call('units.import', { projectId, fileBase64: await unitSheetBase64(rows) })
})
afterAll(() => host.cleanup())

async function member(points: number) {
  seq++
  const c = await agent.call('clients.create', { kind: 'person', name: `会员${seq}`, phones: [{ number: `1382222${String(seq).padStart(4, '0')}` }], sourceChannel: 'walk_in' })
  await desk.call('cards.issue', { clientId: c.id, read: { uid: `B1C2D3${String(seq).padStart(2, '0')}` } })
  if (points > 0) await manager.call('club.adjust', { clientId: c.id, delta: points, reason: '开卡赠送积分' })
  return c.id
}

/** A deal signed by the client on a free unit (小订 -> 认购 -> 签约). */
async function signed(clientId: number) {
  const u = (await agent.call('board.get', { projectId })).units.find((x) => x.status === 'available')!
  await agent.call('units.reserve', { unitId: u.id, clientId, deposit: 2_000_000, receiptNo: `R-${u.id}`, method: 'card' })
  await agent.call('units.advance', { unitId: u.id, to: 'subscribe' })
  await agent.call('units.advance', { unitId: u.id, to: 'sign' })
}

const purchaseTable = [
  { name: '普通会员', minPoints: 0, discountPermille: 0, minAmountFen: 0, minDeals: 0 },
  { name: '金卡会员', minPoints: 2000, discountPermille: 10, minAmountFen: 200_000_000, minDeals: 1 },
  { name: '钻石会员', minPoints: 10000, discountPermille: 20, minAmountFen: 500_000_000, minDeals: 2 },
]

describe('the level rule', () => {
  let pointsOnly: number
  let oneDeal: number
  let twoDeals: number
  beforeAll(async () => {
    pointsOnly = await member(12_000) // 钻石 by points, nothing bought
    oneDeal = await member(0)
    await signed(oneDeal)
    twoDeals = await member(0)
    await signed(twoDeals)
    await signed(twoDeals)
  })

  it('previews who moves under purchases, changes nothing, and refuses a table that runs backwards', async () => {
    const before = await manager.call('club.levels', {})
    expect(before.rule).toBe('points')
    const p = await manager.call('club.previewLevels', { levels: purchaseTable, rule: 'purchases' })
    const moved = new Map(p.rows.map((r) => [r.clientId, r]))
    expect(p.members).toBeGreaterThanOrEqual(3)
    expect(moved.get(pointsOnly)).toMatchObject({ from: '钻石会员', to: '普通会员', direction: 'down', points: 12_000, deals: 0 })
    expect(moved.get(twoDeals)).toMatchObject({ to: '钻石会员', direction: 'up', deals: 2 })
    expect(moved.get(oneDeal)).toMatchObject({ to: '金卡会员', direction: 'up', deals: 1 })
    expect(moved.get(oneDeal)!.amountFen).toBeGreaterThan(200_000_000)
    // a preview is a read: the rule and the standing are as they were
    expect(await manager.call('club.levels', {})).toEqual(before)
    expect((await agent.call('club.standing', { clientId: pointsOnly })).level).toBe('钻石会员')
    const bad = await manager.try('club.previewLevels', { levels: [purchaseTable[0]!, { ...purchaseTable[1]!, minDeals: 3 }, purchaseTable[2]!], rule: 'purchases' })
    expect(bad).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'levels.2.minDeals', reason: 'level_order' } })
    expect(await manager.try('club.previewLevels', { levels: [{ ...purchaseTable[1]! }], rule: 'purchases' })).toMatchObject({ ok: false, error: { reason: 'level_start' } })
  })

  it('applied: levels follow purchases, the change is audited with how many moved, and only the manager may', async () => {
    expect(await agent.try('club.setLevels', { levels: purchaseTable, rule: 'purchases' })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
    expect(await agent.try('club.previewLevels', { levels: purchaseTable, rule: 'purchases' })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
    const r = await manager.call('club.setLevels', { levels: purchaseTable, rule: 'purchases' })
    expect(r.rule).toBe('purchases')
    expect(await agent.call('club.standing', { clientId: twoDeals })).toMatchObject({ level: '钻石会员', discountPermille: 20, rule: 'purchases', deals: 2, nextLevel: null })
    expect(await agent.call('club.standing', { clientId: pointsOnly })).toMatchObject({ level: '普通会员', points: 12_000, nextLevel: '金卡会员' })
    const audit = host.database.sqlite.prepare(`SELECT detail FROM audit_log WHERE action = 'club.levelsMoved'`).pluck().all() as string[]
    expect(audit).toHaveLength(1)
    expect(JSON.parse(audit[0]!)).toMatchObject({ rule: 'purchases', moved: 3, up: 2 })
    expect(host.database.sqlite.prepare(`SELECT count(*) FROM audit_log WHERE action = 'club.setLevels'`).pluck().get()).toBe(1)
    // nothing moves when the same table is previewed again
    expect((await manager.call('club.previewLevels', { levels: purchaseTable })).total).toBe(0)
    // back to points: the points decide again
    await manager.call('club.setLevels', { levels: purchaseTable, rule: 'points' })
    expect((await agent.call('club.standing', { clientId: pointsOnly })).level).toBe('钻石会员')
    expect(await manager.try('system.ping', {})).toMatchObject({ ok: true })
  })
})
