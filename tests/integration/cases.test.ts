import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ManualClock } from '../../electron/host/clock'
import type { Host } from '../../electron/host/host'
import type { ApiClient } from '@shared/contract/client'
import { adminClient, staffClient } from '../helpers/staff'
import { startTempHost } from '../helpers/temp-host'
import { unitSheetBase64 } from '../helpers/unit-sheet'

// 成交案例 (issue #20): closed deals as cases agents search, without the buyer, the agent or the room
let host: Host & { cleanup(): Promise<void> }
let manager: ApiClient
let agentA: ApiClient
let agentB: ApiClient
let desk: ApiClient
let admin: ApiClient
const clock = new ManualClock(new Date('2026-09-22T02:00:00Z'))
const units = new Map<string, number>()

beforeAll(async () => {
  host = await startTempHost({ clock })
  admin = await adminClient(host)
  manager = (await staffClient(host, admin, 'manager', 'mgr')).client
  agentA = (await staffClient(host, admin, 'agent', 'agent-a')).client
  agentB = (await staffClient(host, admin, 'agent', 'agent-b')).client
  desk = (await staffClient(host, admin, 'front_desk', 'desk')).client
  for (const [name, layout, area, listPrice] of [
    ['湖滨苑', '3室2厅', 98.5, 3_000_000],
    ['山水华庭', '2室1厅', 72, 1_800_000],
  ] as const) {
    const projectId = (await manager.call('projects.create', { name, district: '西湖区' })).id
    const rows = ['101', '102', '201'].map((n) => ({ building: '1号楼', floor: Number(n[0]), number: n, layout, area, orientation: '南', listPrice }))
    await manager.call('units.import', { projectId, fileBase64: await unitSheetBase64(rows) })
    for (const u of (await manager.call('board.get', { projectId })).units) units.set(`${name}-${u.number}`, u.id)
  }
})
afterAll(() => host.cleanup())

let phone = 0
/** A buyer of agent A's, and a deal taken to `to` on the unit, signed on `signedAt` (only the step's date is moved back). */
async function deal(unit: string, to: 'pledge' | 'sign' | 'sold', signedAt: string, price?: number) {
  phone++
  const c = await agentA.call('clients.create', { kind: 'person', name: `买家${phone}号`, phones: [{ number: `1360000${String(phone).padStart(4, '0')}` }], sourceChannel: 'walk_in' })
  const unitId = units.get(unit)!
  await agentA.call('units.reserve', { unitId, clientId: c.id, deposit: 100_000, receiptNo: `R-${unitId}`, method: 'cash' })
  await agentA.call('units.advance', { unitId, to: 'subscribe', ...(price ? { price } : {}) })
  if (to === 'pledge') return c
  await agentA.call('units.advance', { unitId, to: 'sign' })
  if (to === 'sold') await agentA.call('units.advance', { unitId, to: 'sold' })
  host.database.sqlite.prepare(`UPDATE transaction_steps SET at = ? WHERE status IN ('sign','sold') AND tx_id = (SELECT id FROM unit_transactions WHERE unit_id = ? AND live = 1)`).run(signedAt, unitId)
  return c
}

describe('the deal case library', () => {
  let buyers: string[] = []
  beforeAll(async () => {
    buyers = [
      (await deal('湖滨苑-101', 'sign', '2026-03-10T04:00:00.000Z', 2_950_000_00)).name,
      (await deal('湖滨苑-201', 'sold', '2026-08-31T17:30:00.000Z')).name,
      (await deal('山水华庭-101', 'sign', '2026-06-01T02:00:00.000Z')).name,
      // a deal still in 认购 is no case yet
      (await deal('山水华庭-102', 'pledge', '2026-06-02T02:00:00.000Z')).name,
    ]
  })

  it('lists closed deals newest first, with price, unit price and the branch day of signing', async () => {
    const r = await agentB.call('cases.search', {})
    expect(r.total).toBe(3)
    expect(r.rows.map((c) => [c.project, c.floor, c.status, c.signedOn])).toEqual([
      // 17:30 UTC on 31 August is 1 September in Shanghai
      ['湖滨苑', 2, 'sold', '2026-09-01'],
      ['山水华庭', 1, 'sign', '2026-06-01'],
      ['湖滨苑', 1, 'sign', '2026-03-10'],
    ])
    expect(r.rows[2]).toMatchObject({ layout: '3室2厅', area: 9850, listPrice: 3_000_000_00, price: 2_950_000_00, unitPrice: 2_994_924, district: '西湖区', building: '1号楼' })
  })

  it('names no buyer, agent or room number, to any caller', async () => {
    for (const caller of [agentB, desk, manager]) {
      const text = JSON.stringify(await caller.call('cases.search', {}))
      for (const b of buyers) expect(text).not.toContain(b)
      expect(text).not.toMatch(/1360000\d{4}|测试agent|"101"|"201"/)
    }
    expect(await admin.try('cases.search', {})).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
  })

  it('filters by project or district, layout, area, price and signing day; pages on the host', async () => {
    const names = async (f: Parameters<typeof agentB.call<'cases.search'>>[1]) => (await agentB.call('cases.search', f)).rows.map((c) => `${c.project}-${c.floor}`)
    expect(await names({ project: '山水' })).toEqual(['山水华庭-1'])
    expect(await names({ project: '西湖' })).toHaveLength(3)
    expect(await names({ layout: '3室' })).toEqual(['湖滨苑-2', '湖滨苑-1'])
    expect(await names({ areaMin: 7200, areaMax: 7200 })).toEqual(['山水华庭-1'])
    expect(await names({ priceMin: 2_960_000_00 })).toEqual(['湖滨苑-2'])
    expect(await names({ priceMax: 2_950_000_00 })).toEqual(['山水华庭-1', '湖滨苑-1'])
    expect(await names({ from: '2026-06-01', to: '2026-09-01' })).toEqual(['湖滨苑-2', '山水华庭-1'])
    expect(await names({ to: '2026-08-31' })).toEqual(['山水华庭-1', '湖滨苑-1'])
    // a LIKE wildcard typed is a character, not "anything"
    expect(await names({ project: '%' })).toEqual([])
    expect(await agentB.call('cases.search', { offset: 1, limit: 1 })).toMatchObject({ total: 3, rows: [{ project: '山水华庭' }] })
  })

  it('refuses a bad day or a negative bound by field, and still answers', async () => {
    expect(await agentB.try('cases.search', { from: '2026-9-1' })).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'from' } })
    expect(await agentB.try('cases.search', { priceMin: -1 })).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'priceMin' } })
    expect(await agentB.try('cases.search', {})).toMatchObject({ ok: true })
  })
})

// 录入案例 (issue #20): cases the manager or a senior agent types in, searched beside the deals
describe('entered cases', () => {
  let senior: ApiClient
  const typed = { project: '绿城桂花园', community: '桂花园三期', district: '拱墅区', layout: '3室1厅', area: 10_250, floor: 12, price: 4_100_000_00, signedOn: '2026-07-15', terms: '全款，业主包税', note: '同行成交' }
  beforeAll(async () => {
    senior = (await staffClient(host, admin, 'senior_agent', 'senior')).client
  })

  it('a senior agent enters a case; everyone serving clients finds it beside the deals, marked as entered', async () => {
    const made = (await senior.call('cases.enter', typed)).case
    expect(made).toMatchObject({ source: 'entered', project: '绿城桂花园', community: '桂花园三期', floor: 12, signedOn: '2026-07-15', unitPrice: 4_000_000, terms: '全款，业主包税', version: 0, status: null, building: null })
    const all = await desk.call('cases.search', {})
    expect(all.total).toBe(4)
    expect(all.rows.map((c) => `${c.source}:${c.project}:${c.signedOn}`)).toEqual([
      'deal:湖滨苑:2026-09-01',
      'entered:绿城桂花园:2026-07-15',
      'deal:山水华庭:2026-06-01',
      'deal:湖滨苑:2026-03-10',
    ])
    const sources = async (f: Parameters<typeof agentB.call<'cases.search'>>[1]) => (await agentB.call('cases.search', f)).rows.map((c) => `${c.source}:${c.project}`)
    // community (小区) is its own filter: an entered case's 小区, a deal's project; the free text reaches it too
    expect(await sources({ community: '三期' })).toEqual(['entered:绿城桂花园'])
    expect(await sources({ community: '山水' })).toEqual(['deal:山水华庭'])
    expect(await sources({ project: '桂花园三' })).toEqual(['entered:绿城桂花园'])
    expect(await sources({ project: '拱墅' })).toEqual(['entered:绿城桂花园'])
    expect(await sources({ layout: '3室', areaMin: 10_000, priceMin: 4_000_000_00 })).toEqual(['entered:绿城桂花园'])
    // the day filters count the entered day as the branch's day
    expect(await sources({ from: '2026-07-15', to: '2026-07-15' })).toEqual(['entered:绿城桂花园'])
    expect(await sources({ to: '2026-07-14', project: '绿城' })).toEqual([])
  })

  it('edits and withdraws by version; a withdrawn case leaves the library', async () => {
    const made = (await manager.call('cases.enter', { project: '临时录入', area: 5_000, price: 1_000_000_00, signedOn: '2026-09-22' })).case
    const edited = (await manager.call('cases.edit', { id: made.id, version: 0, project: '临时录入', community: '东区', area: 5_500, price: 1_100_000_00, signedOn: '2026-09-20' })).case
    expect(edited).toMatchObject({ version: 1, community: '东区', area: 5_500, signedOn: '2026-09-20', terms: null })
    expect(await manager.try('cases.edit', { id: made.id, version: 0, project: '临时录入', area: 5_500, price: 1_100_000_00, signedOn: '2026-09-20' })).toMatchObject({ ok: false, error: { code: 'STALE_WRITE' } })
    expect(await senior.try('cases.withdraw', { id: made.id, version: 0 })).toMatchObject({ ok: false, error: { code: 'STALE_WRITE' } })
    expect(await senior.call('cases.withdraw', { id: made.id, version: 1 })).toEqual({ ok: true })
    expect((await agentB.call('cases.search', { project: '临时' })).total).toBe(0)
    expect(await manager.try('cases.withdraw', { id: made.id, version: 2 })).toMatchObject({ ok: false, error: { code: 'CONFLICT', reason: 'case_withdrawn' } })
    expect(await manager.try('cases.edit', { id: 99_999, version: 0, project: 'x', area: 5_500, price: 1_100_000_00, signedOn: '2026-09-20' })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } })
  })

  it('refuses bad input by field: zero area, absurd price, a future or impossible day, no project', async () => {
    const bad = async (patch: Record<string, unknown>) => (await manager.try('cases.enter', { ...typed, ...patch } as typeof typed))
    expect(await bad({ area: 0 })).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'area', reason: 'case_area' } })
    expect(await bad({ price: 0 })).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'price', reason: 'case_price' } })
    // 41 billion yuan for 102.5 m²: a typo, refused by its price per m²
    expect(await bad({ price: 4_100_000_000_000_00 })).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'price', reason: 'case_unit_price' } })
    expect(await bad({ price: 41_000_00 })).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'price', reason: 'case_unit_price' } })
    // the clock's today is 2026-09-22 in the branch
    expect(await bad({ signedOn: '2026-09-23' })).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'signedOn', reason: 'in_future' } })
    expect(await bad({ signedOn: '2026-02-30' })).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'signedOn', reason: 'not_a_date' } })
    expect(await bad({ project: '  ' })).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'project' } })
    expect((await manager.call('cases.search', { project: '绿城' })).total).toBe(1)
  })

  it('an agent or the front desk may not enter, edit or withdraw; the admin may not either', async () => {
    const id = (await agentB.call('cases.search', { project: '绿城' })).rows[0]!.id
    for (const caller of [agentA, desk, admin]) {
      expect(await caller.try('cases.enter', typed)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
      expect(await caller.try('cases.edit', { ...typed, id, version: 0 })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
      expect(await caller.try('cases.withdraw', { id, version: 0 })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
    }
    expect((await agentA.call('cases.search', { project: '绿城' })).rows[0]).toMatchObject({ version: 0, project: '绿城桂花园' })
  })
})
