import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ManualClock } from '../../electron/host/clock'
import type { Host } from '../../electron/host/host'
import type { ApiClient } from '@shared/contract/client'
import { adminClient, staffClient } from '../helpers/staff'
import { startTempHost } from '../helpers/temp-host'
import { unitSheetBase64, type UnitSheetRow } from '../helpers/unit-sheet'
import { zhText } from '../helpers/host-text'

let host: Host & { cleanup(): Promise<void> }
let clock: ManualClock
let manager: ApiClient
let agentA: ApiClient
let agentB: ApiClient
let desk: ApiClient
let projectId: number
let clientA: number
let clientB: number

beforeEach(async () => {
  clock = new ManualClock(new Date('2026-11-02T01:00:00.000Z'))
  host = await startTempHost({ clock })
  const admin = await adminClient(host)
  manager = (await staffClient(host, admin, 'manager', 'mgr')).client
  agentA = (await staffClient(host, admin, 'agent', 'agent-a')).client
  agentB = (await staffClient(host, admin, 'agent', 'agent-b')).client
  desk = (await staffClient(host, admin, 'front_desk', 'desk')).client
  projectId = (await manager.call('projects.create', { name: '滨江壹号', district: '浦东' })).id
  const rows: UnitSheetRow[] = []
  for (let floor = 1; floor <= 5; floor++) {
    for (const n of ['01', '02', '03']) rows.push({ building: '1号楼', floor, number: `${floor}${n}`, layout: '3室2厅', area: 98.5, orientation: '南北', listPrice: 5_000_000 + floor * 100_000 })
  }
  expect(await manager.call('units.import', { projectId, fileBase64: await unitSheetBase64(rows) })).toEqual({ imported: 15, errors: [] })
  clientA = (await agentA.call('clients.create', { kind: 'person', name: '买家甲', phones: [{ number: '13811110001' }], sourceChannel: 'walk_in' })).id
  clientB = (await agentB.call('clients.create', { kind: 'person', name: '买家乙', phones: [{ number: '13811110002' }], sourceChannel: 'walk_in' })).id
})
afterEach(() => host.cleanup())

const board = async () => manager.call('board.get', { projectId })
const unitByNumber = async (n: string) => (await board()).units.find((u) => u.number === n)!
const reserve = (c: ApiClient, unitId: number, clientId: number, receiptNo: string) => c.try('units.reserve', { unitId, clientId, deposit: 2_000_000, receiptNo, method: 'card' })

/**
 * The invariant: no unit has two live deals, and every unit's shown status is exactly what its
 * transactions imply (the live one's status unless it ran out, else 可售), worked out here in SQL
 * independently of the board's own code.
 */
async function checkConsistency() {
  const rows = host.database.sqlite
    .prepare(
      `SELECT u.id,
         (SELECT count(*) FROM unit_transactions t WHERE t.unit_id = u.id AND t.live = 1) AS live,
         coalesce((SELECT t.status FROM unit_transactions t WHERE t.unit_id = u.id AND t.live = 1 AND (t.expires_at IS NULL OR t.expires_at > ?)), 'available') AS implied
       FROM units u`,
    )
    .all(clock.now().toISOString()) as Array<{ id: number; live: number; implied: string }>
  for (const r of rows) expect(r.live, `unit ${r.id}`).toBeLessThanOrEqual(1)
  // a fresh session: tests move the clock past the others' expiry
  const reader = await adminClient(host)
  const shown = new Map<number, string>()
  for (const p of (await reader.call('projects.list', {})).projects) for (const u of (await reader.call('board.get', { projectId: p.id })).units) shown.set(u.id, u.status)
  expect(shown.size).toBe(rows.length)
  for (const r of rows) expect(shown.get(r.id), `unit ${r.id}`).toBe(r.implied)
}

describe('import', () => {
  it('refuses the whole file on any bad row, with a report per row', async () => {
    const bad = await unitSheetBase64([
      { building: '2号楼', floor: 1, number: '101', layout: '2室', area: 80, orientation: '南', listPrice: 3_000_000 },
      { building: '2号楼', floor: 'x', number: '102', layout: '2室', area: -5, orientation: '南', listPrice: 0 },
      { building: '2号楼', floor: 1, number: '101', layout: '2室', area: 80, orientation: '南', listPrice: 3_000_000 },
      { building: '1号楼', floor: 1, number: '101', layout: '2室', area: 80, orientation: '南', listPrice: 3_000_000 },
    ])
    const r = await manager.call('units.import', { projectId, fileBase64: bad })
    expect(r.imported).toBe(0)
    expect(r.errors.map((e) => [e.row, e.field])).toEqual([
      [3, 'floor'],
      [3, 'area'],
      [3, 'listPrice'],
      [4, 'number'],
      [5, 'number'],
    ])
    expect((await board()).units).toHaveLength(15)
    const wrongHeader = await unitSheetBase64([{ building: '1号楼', floor: 1, number: '999' }], { header: ['楼', '层', '号'] })
    expect(await manager.try('units.import', { projectId, fileBase64: wrongHeader })).toMatchObject({ ok: false, error: { code: 'VALIDATION', reason: 'bad_template' } })
    expect(await manager.try('units.import', { projectId, fileBase64: Buffer.from('not excel at all').toString('base64') })).toMatchObject({ ok: false, error: { reason: 'not_xlsx' } })
    const template = await manager.call('units.template', {})
    expect((await manager.call('units.import', { projectId, fileBase64: template.fileBase64 })).imported).toBe(1)
  })
})

describe('reservations and derived status', () => {
  it('many agents reserving one unit at once: exactly one wins, the rest are told who holds it', async () => {
    const unit = await unitByNumber('101')
    const attempts = Array.from({ length: 20 }, (_, i) => reserve(i % 2 ? agentB : agentA, unit.id, i % 2 ? clientB : clientA, `R${i}`))
    const results = await Promise.all(attempts)
    const wins = results.filter((r) => r.ok)
    expect(wins).toHaveLength(1)
    for (const r of results.filter((x) => !x.ok)) expect(r).toMatchObject({ ok: false, error: { code: 'CONFLICT', field: 'unitId', reason: 'unit_small_deposit', params: { holder: expect.stringMatching(/测试agent/) } } })
    expect((await unitByNumber('101')).status).toBe('small_deposit')
    await checkConsistency()
  })

  it('小订 expires after 48 h; sold and withheld units cannot be reserved', async () => {
    const u1 = await unitByNumber('101')
    expect((await reserve(agentA, u1.id, clientA, 'R1')).ok).toBe(true)
    clock.advance(49 * 3_600_000)
    // ran out but not yet closed by the scheduler: shown (and implied) as 可售
    await checkConsistency()
    const fresh = await staffClient(host, await adminClient(host), 'agent', 'agent-c')
    const clientC = (await fresh.client.call('clients.create', { kind: 'person', name: '买家丙', phones: [{ number: '13811110003' }], sourceChannel: 'walk_in' })).id
    const m = await (async () => {
      const c = host.client()
      await c.call('auth.login', { username: 'mgr', password: 'staff-pass-123' })
      return c
    })()
    expect((await m.call('board.get', { projectId })).units.find((u) => u.id === u1.id)!.status).toBe('available')
    expect((await reserve(fresh.client, u1.id, clientC, 'R2')).ok).toBe(true)
    const u2 = (await m.call('board.get', { projectId })).units.find((u) => u.number === '102')!
    await m.call('units.withhold', { unitId: u2.id, reason: '开发商保留' })
    expect(await reserve(fresh.client, u2.id, clientC, 'R3')).toMatchObject({ ok: false, error: { reason: 'unit_withheld' } })
    await checkConsistency()
  })

  it('a deal moves forward only; discounts beyond the limit need approval; payments never exceed the balance', async () => {
    const u = await unitByNumber('201')
    await reserve(agentA, u.id, clientA, 'R1')
    expect(await agentA.try('units.advance', { unitId: u.id, to: 'small_deposit' as never })).toMatchObject({ ok: false, error: { code: 'VALIDATION' } })
    expect(await agentB.try('units.advance', { unitId: u.id, to: 'subscribe' })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
    expect(await agentA.try('units.advance', { unitId: u.id, to: 'subscribe', price: Math.round(u.listPrice * 0.9) })).toMatchObject({ ok: false, error: { reason: 'discount_needs_approval' } })
    const sub = await agentA.call('units.advance', { unitId: u.id, to: 'subscribe', price: Math.round(u.listPrice * 0.99) })
    expect(sub.status).toBe('subscribe')
    expect(await agentA.try('units.advance', { unitId: u.id, to: 'pledge' })).toMatchObject({ ok: false, error: { reason: 'bad_step' } })
    const balance = sub.tx!.price - sub.tx!.paid
    expect(await desk.try('payments.record', { unitId: u.id, receiptNo: 'P1', method: 'pos', amount: balance + 1 })).toMatchObject({ ok: false, error: { field: 'amount', reason: 'over_balance' } })
    await desk.call('payments.record', { unitId: u.id, receiptNo: 'P1', method: 'card', amount: 1_000_000 })
    expect(await desk.try('payments.record', { unitId: u.id, receiptNo: 'P1', method: 'card', amount: 1 })).toMatchObject({ ok: false, error: { field: 'receiptNo' } })
    expect(await manager.try('payments.setSchedule', { unitId: u.id, items: [{ dueDate: '2026-11-01', amount: 1, label: '首付' }] })).toMatchObject({ ok: false, error: { reason: 'schedule_total' } })
    await manager.call('payments.setSchedule', { unitId: u.id, items: [{ dueDate: '2026-11-01', amount: 5_000_000, label: '首付' }, { dueDate: '2027-01-01', amount: sub.tx!.price - 5_000_000, label: '尾款' }] })
    const overdue = await desk.call('payments.overdue', { projectId })
    expect(overdue.notices).toEqual([expect.objectContaining({ unit: '1号楼-201', label: '首付', owed: 5_000_000 - 3_000_000, clientName: '买家甲' })])
    const signed = await agentA.call('units.advance', { unitId: u.id, to: 'sign' })
    expect(signed.status).toBe('sign')
    expect((await agentA.call('clients.get', { id: clientA })).stage).toBe('closed')
  })
})

describe('change requests', () => {
  it('a swap frees one unit and takes the other in one step, moving the money; a changed target refuses and changes nothing', async () => {
    const a = await unitByNumber('301')
    const b = await unitByNumber('302')
    const c = await unitByNumber('303')
    await reserve(agentA, a.id, clientA, 'R1')
    await agentA.call('units.advance', { unitId: a.id, to: 'subscribe' })
    const req = await agentA.call('changes.request', { kind: 'swap', unitId: a.id, payload: { toUnitId: b.id }, comment: '客户想换高一层' })
    // the approvals list names the units, not their ids
    expect(req.labels).toEqual({ unit: '1号楼-301', toUnit: '1号楼-302', client: null })
    expect(await agentA.try('changes.decide', { id: req.id, approve: true })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
    await manager.call('changes.decide', { id: req.id, approve: true, comment: '同意' })
    const after = await board()
    expect(after.units.find((u) => u.id === a.id)!.status).toBe('available')
    expect(after.units.find((u) => u.id === b.id)).toMatchObject({ status: 'subscribe', tx: { paid: 2_000_000, clientId: clientA } })
    // the target of the next swap is taken before the approval
    const req2 = await agentA.call('changes.request', { kind: 'swap', unitId: b.id, payload: { toUnitId: c.id } })
    await reserve(agentB, c.id, clientB, 'R2')
    const before = JSON.stringify(await board())
    expect(await manager.try('changes.decide', { id: req2.id, approve: true })).toMatchObject({ ok: false, error: { code: 'CONFLICT', field: 'unitId' } })
    expect(JSON.stringify(await board())).toBe(before)
    expect((await manager.call('changes.list', { status: 'pending' })).requests.map((r) => r.id)).toEqual([req2.id])
    await checkConsistency()
  })

  it('rejected requests can be resubmitted; cancellation creates a refund to-do; rename changes the buyer', async () => {
    const u = await unitByNumber('401')
    await reserve(agentA, u.id, clientA, 'R1')
    await agentA.call('units.advance', { unitId: u.id, to: 'pledge' })
    const d = await agentA.call('changes.request', { kind: 'discount', unitId: u.id, payload: { price: u.listPrice - 500_000 } })
    expect(await manager.try('changes.decide', { id: d.id, approve: false })).toMatchObject({ ok: false, error: { field: 'comment' } })
    await manager.call('changes.decide', { id: d.id, approve: false, comment: '折扣太大' })
    // the agent is told at once
    const told = (await agentA.call('notifications.list', {})).rows[0]!
    expect({ title: zhText(told.title), body: zhText(told.body) }).toMatchObject({ title: '变更申请被驳回', body: expect.stringContaining('折扣 · 1号楼-401') as string })
    expect(zhText(told.body)).toContain('折扣太大')
    const again = await agentA.call('changes.resubmit', { id: d.id, payload: { price: u.listPrice - 200_000 }, comment: '调整为 20 万' })
    expect(again.status).toBe('pending')
    await manager.call('changes.decide', { id: d.id, approve: true })
    expect((await unitByNumber('401')).tx!.price).toBe(u.listPrice - 200_000)
    // the new buyer is one the agent works too (naming a colleague's client is refused: role-escalation.test.ts)
    const spouse = (await agentA.call('clients.create', { kind: 'person', name: '买家丙', phones: [{ number: '13811110003' }], sourceChannel: 'walk_in' })).id
    const rename = await agentA.call('changes.request', { kind: 'rename', unitId: u.id, payload: { clientId: spouse } })
    expect(rename.labels).toEqual({ unit: '1号楼-401', toUnit: null, client: '买家丙' })
    await manager.call('changes.decide', { id: rename.id, approve: true })
    expect((await unitByNumber('401')).tx!.clientId).toBe(spouse)
    const cancel = await agentA.call('changes.request', { kind: 'cancel', unitId: u.id })
    await manager.call('changes.decide', { id: cancel.id, approve: true })
    expect((await unitByNumber('401')).status).toBe('available')
    const todos = (await desk.call('finance.todos', {})).todos
    expect(todos.map((t) => [t.kind, t.amount])).toContainEqual(['refund', 2_000_000])
    expect(todos.filter((t) => t.kind === 'reinvoice')).toHaveLength(2)
    const steps = host.database.sqlite.prepare(`SELECT group_concat(status) FROM (SELECT status FROM transaction_steps ORDER BY id)`).pluck().get()
    expect(steps).toBe('small_deposit,pledge,discount,renamed,cancelled')

    // the desk closes the refund with its voucher number: who, when and what stay on the row
    const refund = todos.find((t) => t.kind === 'refund')!
    expect(refund).toMatchObject({ status: 'open', doneBy: null, doneAt: null, reference: null })
    const blank = await desk.try('finance.markDone', { id: refund.id, version: refund.version, reference: ' \u200b ' })
    expect(blank).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'reference' } })
    expect(await desk.try('finance.markDone', { id: refund.id, version: refund.version + 1, reference: 'TK-2026-001' })).toMatchObject({ ok: false, error: { code: 'STALE_WRITE', field: 'version' } })
    const done = await desk.call('finance.markDone', { id: refund.id, version: refund.version, reference: ' TK-2026-001 ' })
    expect(done).toMatchObject({ id: refund.id, status: 'done', reference: 'TK-2026-001', doneBy: expect.any(String) as string, doneAt: expect.any(String) as string })
    const again2 = await manager.try('finance.markDone', { id: refund.id, version: done.version, reference: 'TK-2026-002' })
    expect(again2).toMatchObject({ ok: false, error: { code: 'CONFLICT', reason: 'finance_done', params: { reference: 'TK-2026-001' } } })
    expect(await manager.try('finance.markDone', { id: 999_999, version: 0, reference: 'X' })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND', field: 'id' } })
    expect((await desk.call('finance.todos', { status: 'open' })).todos.map((t) => t.id)).not.toContain(refund.id)
    expect((await desk.call('finance.todos', { status: 'done' })).todos).toEqual([done])
    expect(host.database.sqlite.prepare(`SELECT count(*) FROM audit_log WHERE action = 'finance.markDone' AND target = ?`).pluck().get(`finance:${refund.id}`)).toBe(1)
  })
})

describe('publishing and matching', () => {
  it('the lobby display shows the last published board, without client names', async () => {
    const u = await unitByNumber('501')
    expect((await desk.call('board.published', { projectId })).publishedAt).toBeNull()
    await reserve(agentA, u.id, clientA, 'R1')
    await manager.call('board.publish', { projectId })
    await manager.call('units.hold', { unitId: (await unitByNumber('502')).id, reason: '领导关系户' })
    const shown = await desk.call('board.published', { projectId })
    expect(shown.units.find((x) => x.number === '501')!.status).toBe('small_deposit')
    expect(shown.units.find((x) => x.number === '502')!.status).toBe('available')
    expect(JSON.stringify(shown)).not.toContain('买家甲')
    // the live board says why the unit is held; the public display never does
    expect((await unitByNumber('502')).tx).toMatchObject({ reason: '领导关系户' })
    await manager.call('board.publish', { projectId })
    expect(JSON.stringify(await desk.call('board.published', { projectId }))).not.toContain('领导关系户')
    expect(shown.totals.find((t) => t.status === 'available')!.count).toBe(14)
  })

  it('matches units to needs and needs to units', async () => {
    await agentA.call('needs.create', { clientId: clientA, kind: 'residential', regions: ['浦东'], areaMin: 9000, areaMax: 10000, totalPriceMax: 5_250_000_00, bedroomsMin: 3 })
    const units = (await agentA.call('matching.unitsForClient', { clientId: clientA })).units
    expect(units.map((u) => u.number).sort()).toEqual(['101', '102', '103', '201', '202', '203'])
    const u = await unitByNumber('101')
    expect((await agentA.call('matching.clientsForUnit', { unitId: u.id })).clients.map((c) => c.name)).toEqual(['买家甲'])
    await reserve(agentB, u.id, clientB, 'R9')
    expect((await agentA.call('matching.unitsForClient', { clientId: clientA })).units.map((x) => x.number)).not.toContain('101')
  })
})
