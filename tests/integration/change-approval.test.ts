import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { PushedEvent } from '../../electron/host/api/events'
import { ManualClock } from '../../electron/host/clock'
import type { Host } from '../../electron/host/host'
import type { ApiClient } from '@shared/contract/client'
import { DEFAULT_APPROVAL_STEPS } from '@shared/domain/approval-steps'
import { adminClient, staffClient } from '../helpers/staff'
import { startTempHost } from '../helpers/temp-host'
import { unitSheetBase64, type UnitSheetRow } from '../helpers/unit-sheet'
import type { HostText } from '@shared/contract/host-text'
import { zhText } from '../helpers/host-text'

let host: Host & { cleanup(): Promise<void> }
let clock: ManualClock
let admin: ApiClient
let manager: ApiClient
let manager2: ApiClient
let senior: ApiClient
let senior2: ApiClient
let agent: ApiClient
let projectId: number
let buyer: number

beforeEach(async () => {
  clock = new ManualClock(new Date('2026-11-02T01:00:00.000Z'))
  host = await startTempHost({ clock })
  admin = await adminClient(host)
  manager = (await staffClient(host, admin, 'manager', 'mgr')).client
  manager2 = (await staffClient(host, admin, 'manager', 'mgr2')).client
  senior = (await staffClient(host, admin, 'senior_agent', 'senior')).client
  senior2 = (await staffClient(host, admin, 'senior_agent', 'senior2')).client
  agent = (await staffClient(host, admin, 'agent', 'agent')).client
  projectId = (await manager.call('projects.create', { name: '滨江壹号' })).id
  const rows: UnitSheetRow[] = []
  for (let floor = 1; floor <= 3; floor++) {
    for (const n of ['01', '02', '03']) rows.push({ building: '1号楼', floor, number: `${floor}${n}`, layout: '3室2厅', area: 98.5, orientation: '南北', listPrice: 5_000_000 + floor * 100_000 })
  }
  await manager.call('units.import', { projectId, fileBase64: await unitSheetBase64(rows) })
  buyer = (await agent.call('clients.create', { kind: 'person', name: '买家甲', phones: [{ number: '13811110001' }], sourceChannel: 'walk_in' })).id
})
afterEach(() => host.cleanup())

const units = async (pid = projectId) => (await manager.call('board.get', { projectId: pid })).units
const unit = async (n: string) => (await units()).find((u) => u.number === n)!

/** A unit with a live 认筹 by the agent, ready for a discount request. */
async function deal(n: string) {
  const u = await unit(n)
  await agent.call('units.reserve', { unitId: u.id, clientId: buyer, deposit: 2_000_000, receiptNo: `R-${n}`, method: 'card' })
  await agent.call('units.advance', { unitId: u.id, to: 'pledge' })
  return unit(n)
}

const auditCount = (action: string) => host.database.sqlite.prepare(`SELECT count(*) FROM audit_log WHERE action = ?`).pluck().get(action) as number

describe('approval steps', () => {
  it('a request walks its steps in order: each approval moves it on, the last one applies it', async () => {
    expect((await manager.call('changes.getSteps', {})).steps).toEqual(DEFAULT_APPROVAL_STEPS)
    await admin.call('changes.setSteps', { kind: 'discount', steps: ['senior_agent', 'manager'] })
    const u = await deal('101')
    const price = u.tx!.price - 300_000
    const req = await agent.call('changes.request', { kind: 'discount', unitId: u.id, payload: { price }, comment: '老客户' })
    expect(req).toMatchObject({ status: 'pending', currentStep: 0, round: 1, projectId })
    expect(req.steps).toEqual([
      { role: 'senior_agent', decision: null, byId: null, by: null, at: null, comment: null },
      { role: 'manager', decision: null, byId: null, by: null, at: null, comment: null },
    ])

    // the manager's step is not yet due
    expect(await manager.try('changes.decide', { id: req.id, approve: true })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', reason: 'not_your_step', params: { step: 1, of: 2, role: 'senior_agent' } } })
    const first = await senior.call('changes.decide', { id: req.id, approve: true, comment: '可以' })
    expect(first).toMatchObject({ status: 'pending', currentStep: 1, decidedBy: null })
    expect(first.steps[0]).toMatchObject({ role: 'senior_agent', decision: 'approved', by: '测试senior_agent', comment: '可以', at: clock.now().toISOString() })
    expect((await unit('101')).tx!.price).toBe(u.tx!.price)

    const done = await manager.call('changes.decide', { id: req.id, approve: true })
    expect(done).toMatchObject({ status: 'approved', currentStep: null, decidedBy: '测试manager' })
    expect(done.steps.map((s) => s.decision)).toEqual(['approved', 'approved'])
    expect((await unit('101')).tx!.price).toBe(price)
    expect(auditCount('changes.step')).toBe(2)
    expect((await manager.call('changes.list', { status: 'approved', projectId })).requests.map((r) => r.id)).toEqual([req.id])
  })

  it('tells whoever decides the current step that a request waits for them, step by step, never the requester', async () => {
    await admin.call('changes.setSteps', { kind: 'discount', steps: ['senior_agent', 'manager'] })
    const u = await deal('102')
    const waiting = async (c: ApiClient) =>
      (await c.call('notifications.list', { unreadOnly: true, limit: 50 })).rows.filter((n) => zhText(n.title) === '变更申请待你审批').map((n) => zhText(n.body))
    const req = await agent.call('changes.request', { kind: 'discount', unitId: u.id, payload: { price: u.tx!.price - 100_000 } })
    // both senior agents (the first step) hear of it, naming the unit and who asked; managers not yet
    for (const c of [senior, senior2]) expect(await waiting(c)).toEqual([expect.stringContaining(`${req.labels.unit!}。申请人：测试agent`)])
    for (const c of [manager, manager2, agent]) expect(await waiting(c)).toEqual([])
    await senior.call('changes.decide', { id: req.id, approve: true })
    // now the managers' step: both managers hear of it; the seniors hear nothing more
    for (const c of [manager, manager2]) expect(await waiting(c)).toHaveLength(1)
    for (const c of [senior, senior2]) expect(await waiting(c)).toHaveLength(1)
    await manager.call('changes.decide', { id: req.id, approve: true })
    expect(await waiting(manager2)).toHaveLength(1)
    expect(await waiting(agent)).toEqual([])
  })

  it('refuses someone whose role is not the current step, and one person deciding two steps', async () => {
    await admin.call('changes.setSteps', { kind: 'price', steps: ['manager', 'manager'] })
    const u = await unit('102')
    const req = await agent.call('changes.request', { kind: 'price', unitId: u.id, payload: { listPrice: 5_500_000_00 } })
    expect(await agent.try('changes.decide', { id: req.id, approve: true })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
    expect(await senior.try('changes.decide', { id: req.id, approve: true })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', reason: 'not_your_step', field: 'id' } })
    expect(await admin.try('changes.decide', { id: req.id, approve: true })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', reason: 'not_your_step' } })
    await manager.call('changes.decide', { id: req.id, approve: true })
    const twice = await manager.try('changes.decide', { id: req.id, approve: true })
    expect(twice).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', reason: 'decided_before', params: { step: 1 } } })
    expect(await manager.try('changes.decide', { id: req.id, approve: false, comment: '再想想' })).toMatchObject({ ok: false, error: { reason: 'decided_before' } })
    expect((await unit('102')).listPrice).toBe(u.listPrice)
    const done = await manager2.call('changes.decide', { id: req.id, approve: true })
    expect(done.status).toBe('approved')
    expect(done.steps.map((s) => s.by)).toEqual(['测试manager', '测试manager'])
    expect(new Set(done.steps.map((s) => s.byId)).size).toBe(2)
    expect((await unit('102')).listPrice).toBe(5_500_000_00)
    // refusals are audited
    expect(auditCount('changes.decide:FORBIDDEN')).toBe(5)
  })

  it('a rejection at any step ends the request; a resubmission starts again at the first step, with the steps as set now', async () => {
    await admin.call('changes.setSteps', { kind: 'discount', steps: ['senior_agent', 'manager'] })
    const u = await deal('201')
    const req = await agent.call('changes.request', { kind: 'discount', unitId: u.id, payload: { price: u.tx!.price - 800_000 } })
    await senior.call('changes.decide', { id: req.id, approve: true })
    expect(await manager.try('changes.decide', { id: req.id, approve: false })).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'comment' } })
    const rejected = await manager.call('changes.decide', { id: req.id, approve: false, comment: '折扣太大' })
    expect(rejected).toMatchObject({ status: 'rejected', currentStep: null, decidedBy: '测试manager' })
    expect(rejected.steps.map((s) => s.decision)).toEqual(['approved', 'rejected'])
    expect(await senior2.try('changes.decide', { id: req.id, approve: true })).toMatchObject({ ok: false, error: { code: 'CONFLICT', reason: 'not_pending' } })
    expect(await manager.try('changes.resubmit', { id: req.id, payload: { price: u.tx!.price - 1 } })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
    expect(await agent.try('changes.resubmit', { id: req.id, payload: { price: 'cheap' } })).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'payload.price' } })

    await admin.call('changes.setSteps', { kind: 'discount', steps: ['senior_agent', 'senior_agent', 'manager'] })
    const again = await agent.call('changes.resubmit', { id: req.id, payload: { price: u.tx!.price - 200_000 }, comment: '改为 2000 元' })
    expect(again).toMatchObject({ status: 'pending', currentStep: 0, round: 2, decidedBy: null })
    expect(again.steps.map((s) => [s.role, s.decision])).toEqual([
      ['senior_agent', null],
      ['senior_agent', null],
      ['manager', null],
    ])
    expect(again.comments.map((c) => c.text)).toEqual(['折扣太大', '改为 2000 元'])
    // the same senior agent who approved round 1 decides round 2 afresh
    await senior.call('changes.decide', { id: req.id, approve: true })
    expect(await senior.try('changes.decide', { id: req.id, approve: true })).toMatchObject({ ok: false, error: { reason: 'decided_before' } })
    await senior2.call('changes.decide', { id: req.id, approve: true })
    expect((await manager.call('changes.decide', { id: req.id, approve: true })).status).toBe('approved')
    expect((await unit('201')).tx!.price).toBe(u.tx!.price - 200_000)
    const trail = host.database.sqlite.prepare(`SELECT round, step, approve FROM change_decisions WHERE change_id = ? ORDER BY id`).raw().all(req.id)
    expect(trail).toEqual([
      [1, 0, 1],
      [1, 1, 0],
      [2, 0, 1],
      [2, 1, 1],
      [2, 2, 1],
    ])
  })

  it('requests keep the steps they were asked with when the setting changes', async () => {
    const u = await unit('103')
    const req = await agent.call('changes.request', { kind: 'price', unitId: u.id, payload: { listPrice: 4_000_000_00 } })
    await admin.call('changes.setSteps', { kind: 'price', steps: ['senior_agent', 'manager'] })
    expect((await manager.call('changes.decide', { id: req.id, approve: true })).status).toBe('approved')
  })

  it('bad settings are refused naming the field; management reads them, only admins set them', async () => {
    const bad = async (steps: unknown, field: string, reason: string) =>
      expect(await admin.try('changes.setSteps', { kind: 'price', steps } as never)).toMatchObject({ ok: false, error: { code: 'VALIDATION', field, reason } })
    await bad([], 'steps', 'no_steps')
    await bad(['manager', 'manager', 'manager', 'manager', 'admin'], 'steps', 'too_many_steps')
    await bad(['manager', 'agent'], 'steps.1', 'not_approver')
    await bad(['boss'], 'steps.0', 'not_approver')
    expect(await admin.try('changes.setSteps', { kind: 'upgrade', steps: ['manager'] } as never)).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'kind' } })
    expect(await agent.try('changes.setSteps', { kind: 'price', steps: ['manager'] })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
    expect(await manager.try('changes.setSteps', { kind: 'price', steps: ['senior_agent'] })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
    expect((await manager.call('changes.getSteps', {})).steps).toEqual(DEFAULT_APPROVAL_STEPS)
    expect(await senior.try('changes.getSteps', {})).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
    expect((await admin.call('changes.getSteps', {})).steps).toEqual(DEFAULT_APPROVAL_STEPS)
    const set = await admin.call('changes.setSteps', { kind: 'bulkPrice', steps: ['manager', 'admin'] })
    expect(set.steps).toEqual({ ...DEFAULT_APPROVAL_STEPS, bulkPrice: ['manager', 'admin'] })
    expect(auditCount('changes.setSteps')).toBe(1)
  })
})

describe('bulk price changes (批量调价)', () => {
  it('apply every new price at the last approval in one go, bumping versions and telling open boards', async () => {
    await admin.call('changes.setSteps', { kind: 'bulkPrice', steps: ['manager', 'admin'] })
    const before = await units()
    const firstFloor = before.filter((u) => u.floor === 1)
    const items = firstFloor.map((u) => ({ unitId: u.id, listPrice: Math.round((u.listPrice * 1.05) / 100) * 100 }))
    const req = await manager.call('changes.request', { kind: 'bulkPrice', payload: { items }, comment: '一层整体上调 5%' })
    expect(req).toMatchObject({ kind: 'bulkPrice', unitId: null, projectId, status: 'pending' })
    expect(req.payload.items).toEqual(firstFloor.map((u, i) => ({ unitId: u.id, unit: `1号楼-${u.number}`, listPrice: items[i]!.listPrice, was: u.listPrice, version: u.version })))
    expect(await manager.try('changes.request', { kind: 'bulkPrice', payload: { items: items.slice(0, 1) } })).toMatchObject({ ok: false, error: { code: 'CONFLICT', reason: 'bulk_pending' } })

    // the manager asked, so the manager step goes to the admin, who decides it alone (planFor)
    expect(req.steps.map((s) => s.role)).toEqual(['admin'])
    expect(await manager.try('changes.decide', { id: req.id, approve: true })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', reason: 'own_request' } })
    expect(JSON.stringify(await units())).toBe(JSON.stringify(before))
    const events: PushedEvent[] = []
    const off = host.events.onEvent((e) => events.push(e))
    const done = await admin.call('changes.decide', { id: req.id, approve: true })
    off()
    expect(done.status).toBe('approved')
    const after = await units()
    for (const [i, u] of firstFloor.entries()) expect(after.find((x) => x.id === u.id)).toMatchObject({ listPrice: items[i]!.listPrice, version: u.version + 1 })
    expect(after.filter((u) => u.floor !== 1)).toEqual(before.filter((u) => u.floor !== 1))
    expect(events.filter((e) => e.name === 'board.changed')).toEqual([{ name: 'board.changed', payload: { projectId, unitIds: firstFloor.map((u) => u.id) }, audience: { kind: 'all' } }])
    // and the manager who asked hears that it was approved
    const notices = events.filter((e) => e.name === 'notice.new')
    expect(notices).toMatchObject([{ audience: { kind: 'staff' } }])
    expect(notices.map((e) => zhText((e.payload as { title: HostText }).title))).toEqual(['变更申请已批准'])
  })

  it('refuses all of it when a unit changed since the request, naming the unit', async () => {
    const before = await units()
    const picked = before.filter((u) => u.floor === 2)
    const req = await agent.call('changes.request', { kind: 'bulkPrice', payload: { items: picked.map((u) => ({ unitId: u.id, listPrice: u.listPrice - 100_000_00 })) } })
    // one of them is re-priced on its own meanwhile
    const single = await agent.call('changes.request', { kind: 'price', unitId: picked[1]!.id, payload: { listPrice: 6_000_000_00 } })
    await manager.call('changes.decide', { id: single.id, approve: true })
    const snapshot = JSON.stringify(await units())

    expect(await manager.try('changes.decide', { id: req.id, approve: true })).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', reason: 'unit_changed', field: 'payload.items.1.unitId', params: { unit: `1号楼-${picked[1]!.number}` } },
    })
    expect(JSON.stringify(await units())).toBe(snapshot)
    expect((await manager.call('changes.list', { status: 'pending' })).requests.map((r) => r.id)).toEqual([req.id])
    expect(host.database.sqlite.prepare(`SELECT count(*) FROM change_decisions WHERE change_id = ?`).pluck().get(req.id)).toBe(0)

    // rejected and resubmitted, it is checked against the prices as they are now
    await manager.call('changes.decide', { id: req.id, approve: false, comment: '202 已单独调价，请重新提交' })
    await agent.call('changes.resubmit', { id: req.id, payload: { items: picked.map((u) => ({ unitId: u.id, listPrice: 5_000_000_00 })) } })
    await manager.call('changes.decide', { id: req.id, approve: true })
    expect((await units()).filter((u) => u.floor === 2).map((u) => u.listPrice)).toEqual([5_000_000_00, 5_000_000_00, 5_000_000_00])
  })

  it('checks the list: one project, each unit once, at most 500, valid prices', async () => {
    const all = await units()
    const other = (await manager.call('projects.create', { name: '城南府' })).id
    await manager.call('units.import', { projectId: other, fileBase64: await unitSheetBase64([{ building: 'A座', floor: 1, number: '101', layout: '2室', area: 80, orientation: '南', listPrice: 3_000_000 }]) })
    const elsewhere = (await units(other))[0]!
    const ask = (items: unknown) => agent.try('changes.request', { kind: 'bulkPrice', payload: { items } } as never)
    expect(await ask([])).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'payload.items', reason: 'too_small' } })
    expect(await ask(Array.from({ length: 501 }, (_, i) => ({ unitId: i + 1, listPrice: 100 })))).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'payload.items', reason: 'too_big' } })
    expect(await ask([{ unitId: all[0]!.id, listPrice: 100 }, { unitId: all[0]!.id, listPrice: 200 }])).toMatchObject({ ok: false, error: { field: 'payload.items.1.unitId', reason: 'repeated' } })
    expect(await ask([{ unitId: all[0]!.id, listPrice: 0 }])).toMatchObject({ ok: false, error: { field: 'payload.items.0.listPrice', reason: 'too_small' } })
    expect(await ask([{ unitId: all[0]!.id, listPrice: 1.5 }])).toMatchObject({ ok: false, error: { field: 'payload.items.0.listPrice' } })
    expect(await ask([{ unitId: all[0]!.id, listPrice: 100 }, { unitId: 99_999, listPrice: 100 }])).toMatchObject({ ok: false, error: { code: 'NOT_FOUND', field: 'payload.items.1.unitId' } })
    expect(await ask([{ unitId: all[0]!.id, listPrice: 100 }, { unitId: elsewhere.id, listPrice: 100 }])).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'payload.items.1.unitId', reason: 'mixed_projects' } })
    expect((await manager.call('changes.list', {})).requests).toEqual([])
    // one-unit kinds still say what they need
    expect(await agent.try('changes.request', { kind: 'price', unitId: all[0]!.id, payload: {} } as never)).toMatchObject({ ok: false, error: { field: 'payload.listPrice' } })
  })
})

describe('what a request changes (before → after) and who works a deal', () => {
  it('a request keeps the unit and deal as they were when asked, and still shows them once applied', async () => {
    const u = await deal('101')
    const price = u.tx!.price - 300_000
    const asked = await agent.call('changes.request', { kind: 'discount', unitId: u.id, payload: { price } })
    const before = { unit: '1号楼-101', listPrice: u.listPrice, price: u.tx!.price, client: '买家甲' }
    expect(asked.before).toEqual(before)
    const done = await manager.call('changes.decide', { id: asked.id, approve: true })
    expect(done.status).toBe('approved')
    expect((await unit('101')).tx!.price).toBe(price)
    // the history reads the same before → after as the approver did
    const [listed] = (await manager.call('changes.list', { status: 'approved' })).requests
    expect(listed).toMatchObject({ id: asked.id, before, payload: { price }, decidedBy: '测试manager' })

    // a unit without a deal: a list price change has no buyer and no deal price before it
    const free = await unit('102')
    const repriced = await agent.call('changes.request', { kind: 'price', unitId: free.id, payload: { listPrice: free.listPrice + 100_000 } })
    expect(repriced.before).toEqual({ unit: '1号楼-102', listPrice: free.listPrice, price: null, client: null })
  })

  it('a resubmission takes the unit as it is then, and a 批量调价 keeps its own prices', async () => {
    const free = await unit('103')
    const asked = await agent.call('changes.request', { kind: 'price', unitId: free.id, payload: { listPrice: free.listPrice + 100_000 } })
    await manager.call('changes.decide', { id: asked.id, approve: false, comment: '太高' })
    const other = await agent.call('changes.request', { kind: 'price', unitId: free.id, payload: { listPrice: free.listPrice - 100_000 } })
    await manager.call('changes.decide', { id: other.id, approve: true })
    const again = await agent.call('changes.resubmit', { id: asked.id, payload: { listPrice: free.listPrice + 50_000 } })
    expect(again.before).toMatchObject({ listPrice: free.listPrice - 100_000 })
    const bulk = await manager.call('changes.request', { kind: 'bulkPrice', payload: { items: [{ unitId: (await unit('201')).id, listPrice: 6_000_000 }] } })
    expect(bulk.before).toBeNull()
  })

  it('tx.yours on the board: the deal’s agent and managers work it, a colleague does not (and is refused)', async () => {
    const u = await deal('301')
    expect((await agent.call('board.get', { projectId })).units.find((x) => x.id === u.id)!.tx!.yours).toBe(true)
    expect(u.tx!.yours).toBe(true)
    const other = (await staffClient(host, admin, 'agent', 'agent-b')).client
    const seen = (await other.call('board.get', { projectId })).units.find((x) => x.id === u.id)!
    expect(seen.tx!.yours).toBe(false)
    expect(await other.try('units.advance', { unitId: u.id, to: 'subscribe' })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
    // a held unit without a buyer: the manager works it, an agent does not
    const held = await unit('302')
    await manager.call('units.hold', { unitId: held.id, reason: '保留' })
    expect((await manager.call('board.get', { projectId })).units.find((x) => x.id === held.id)!.tx!.yours).toBe(true)
    expect((await agent.call('board.get', { projectId })).units.find((x) => x.id === held.id)!.tx!.yours).toBe(false)
    // the host answers after the refusal
    expect((await agent.call('changes.list', {})).requests).toEqual([])
  })
})
