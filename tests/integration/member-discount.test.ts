import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ManualClock } from '../../electron/host/clock'
import type { Host } from '../../electron/host/host'
import type { ApiClient } from '@shared/contract/client'
import { adminClient, staffClient } from '../helpers/staff'
import { startTempHost } from '../helpers/temp-host'
import { unitSheetBase64, type UnitSheetRow } from '../helpers/unit-sheet'

let host: Host & { cleanup(): Promise<void> }
let manager: ApiClient
let agent: ApiClient
let other: ApiClient
let desk: ApiClient
let admin: ApiClient
let projectId: number
let seq = 0
const clock = new ManualClock(new Date('2026-11-25T02:00:00Z'))

const LIST = 500_000_000 // 500 万 in fen

beforeAll(async () => {
  host = await startTempHost({ clock })
  admin = await adminClient(host)
  manager = (await staffClient(host, admin, 'manager', 'mgr')).client
  agent = (await staffClient(host, admin, 'agent', 'agent-a')).client
  other = (await staffClient(host, admin, 'agent', 'agent-b')).client
  desk = (await staffClient(host, admin, 'front_desk', 'desk')).client
  projectId = (await manager.call('projects.create', { name: '滨江壹号' })).id
  const rows: UnitSheetRow[] = []
  for (let floor = 1; floor <= 5; floor++) for (const n of ['01', '02', '03']) rows.push({ building: '1号楼', floor, number: `${floor}${n}`, layout: '3室2厅', area: 98.5, orientation: '南北', listPrice: LIST / 100 })
  await manager.call('units.import', { projectId, fileBase64: await unitSheetBase64(rows) })
})
afterAll(() => host.cleanup())

const q = (sql: string, ...p: unknown[]) => host.database.sqlite.prepare(sql).pluck().get(...p)
const qa = (sql: string, ...p: unknown[]) => host.database.sqlite.prepare(sql).all(...p)

/** A client of the agent's; with `points`, a member (a card issued at the desk) with that many points. */
async function buyer(points: number | null) {
  seq++
  const c = await agent.call('clients.create', { kind: 'person', name: `买家${seq}`, phones: [{ number: `1381111${String(seq).padStart(4, '0')}` }], sourceChannel: 'walk_in' })
  if (points !== null) {
    await desk.call('cards.issue', { clientId: c.id, read: { uid: `A1B2C3${String(seq).padStart(2, '0')}` } })
    if (points > 0) await manager.call('club.adjust', { clientId: c.id, delta: points, reason: '开卡赠送积分' })
  }
  return c.id
}

/** A free unit of the project, 小订 by the agent for `clientId`. */
async function reserved(clientId: number) {
  const u = (await agent.call('board.get', { projectId })).units.find((x) => x.status === 'available')!
  return agent.call('units.reserve', { unitId: u.id, clientId, deposit: 2_000_000, receiptNo: `R-${u.id}`, method: 'card' })
}

describe('a member discount applied when a deal is priced (#16 item 6)', () => {
  it("prices a member's 认购 at list price less the level's discount, keeps level and % on the deal, and audits it", async () => {
    const clientId = await buyer(2000) // 金卡会员: 1%
    const u = await reserved(clientId)
    // what the drawer shows before 推进: the same rule, not applied yet
    expect(await agent.call('units.quote', { unitId: u.id })).toEqual({ listPrice: LIST, level: '金卡会员', discountPermille: 10, discount: 5_000_000, memberPrice: LIST - 5_000_000, priced: false, updatedAt: u.tx!.updatedAt })
    expect(await other.try('units.quote', { unitId: u.id })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
    const sub = await agent.call('units.advance', { unitId: u.id, to: 'subscribe', expectUpdatedAt: u.tx!.updatedAt, expectDiscountPermille: 10 })
    expect(await agent.call('units.quote', { unitId: u.id })).toMatchObject({ level: '金卡会员', discount: 5_000_000, priced: true })
    expect(sub.tx).toMatchObject({ price: LIST - 5_000_000, member: { listPrice: LIST, level: '金卡会员', discountPermille: 10, discount: 5_000_000 } })
    const steps = qa(`SELECT status, amount FROM transaction_steps WHERE tx_id = ? ORDER BY id`, sub.tx!.id)
    expect(steps).toEqual([
      { status: 'small_deposit', amount: 2_000_000 },
      { status: 'member_discount', amount: 5_000_000 },
      { status: 'subscribe', amount: LIST - 5_000_000 },
    ])
    const audit = JSON.parse(q(`SELECT detail FROM audit_log WHERE action = 'units.memberDiscount' AND target = ?`, `unit:${u.id}`) as string) as Record<string, unknown>
    expect(audit).toMatchObject({ txId: sub.tx!.id, clientId, level: '金卡会员', discountPermille: 10, listPrice: LIST, discount: 5_000_000, memberPrice: LIST - 5_000_000, price: LIST - 5_000_000 })
    // another agent sees the deal's status, never its buyer's discount
    expect((await other.call('board.units', { projectId, unitIds: [u.id] })).units[0]!.tx?.member).toBeNull()
  })

  it('a later change of the level table, the points or the list price does not rewrite what the deal was given', async () => {
    const clientId = await buyer(500) // 银卡会员: 0.5%
    const u = await reserved(clientId)
    const sub = await agent.call('units.advance', { unitId: u.id, to: 'subscribe' })
    expect(sub.tx!.member).toMatchObject({ level: '银卡会员', discountPermille: 5, discount: 2_500_000 })
    const levels = (await manager.call('club.levels', {})).levels
    await manager.call('club.setLevels', { levels: levels.map((l) => ({ ...l, discountPermille: l.discountPermille * 3 })) })
    await manager.call('club.adjust', { clientId, delta: 5000, reason: '活动奖励' })
    const raise = await manager.call('changes.request', { kind: 'price', unitId: u.id, payload: { listPrice: LIST + 10_000_000 } })
    await admin.call('changes.decide', { id: raise.id, approve: true })
    const signed = await agent.call('units.advance', { unitId: u.id, to: 'sign' })
    expect(signed.listPrice).toBe(LIST + 10_000_000)
    expect(await agent.call('units.quote', { unitId: u.id })).toMatchObject({ listPrice: LIST, level: '银卡会员', discountPermille: 5, priced: true })
    expect(signed.tx).toMatchObject({ price: LIST - 2_500_000, member: { listPrice: LIST, level: '银卡会员', discountPermille: 5, discount: 2_500_000 } })
    expect(q(`SELECT count(*) FROM audit_log WHERE action = 'units.memberDiscount' AND target = ?`, `unit:${u.id}`)).toBe(1)
    await manager.call('club.setLevels', { levels })
  })

  it("the agent's own 2% is measured from the member price (the member discount is not counted); more is a discount request; a member pays at most the member price", async () => {
    const clientId = await buyer(5000) // 钻石会员: 2%
    const u = await reserved(clientId)
    const member = LIST - 10_000_000
    const floor = Math.ceil((member * 980) / 1000)
    expect(await agent.try('units.advance', { unitId: u.id, to: 'subscribe', price: floor - 1 })).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'price', reason: 'discount_needs_approval', params: { floor } } })
    expect(await agent.try('units.advance', { unitId: u.id, to: 'subscribe', price: member + 1 })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', field: 'price', reason: 'above_member_price', params: { price: member, level: '钻石会员' } },
    })
    // nothing half-written by the refusals
    expect(q(`SELECT status || ':' || coalesce(priced_list_price, 'none') FROM unit_transactions WHERE id = ?`, u.tx!.id)).toBe('small_deposit:none')
    const sub = await agent.call('units.advance', { unitId: u.id, to: 'subscribe', price: floor })
    expect(sub.tx).toMatchObject({ price: floor, member: { discount: 10_000_000 } })
    // below the agent's room: a discount request the manager approves, the member line kept
    const req = await agent.call('changes.request', { kind: 'discount', unitId: u.id, payload: { price: floor - 1_000_000 } })
    await manager.call('changes.decide', { id: req.id, approve: true })
    const after = (await agent.call('board.units', { projectId, unitIds: [u.id] })).units[0]!
    expect(after.tx).toMatchObject({ price: floor - 1_000_000, member: { level: '钻石会员', discount: 10_000_000 } })
  })

  it('a non-member, and a member at a level without a discount, get no member line', async () => {
    for (const points of [null, 0]) {
      const clientId = await buyer(points)
      const u = await reserved(clientId)
      const sub = await agent.call('units.advance', { unitId: u.id, to: 'subscribe', expectDiscountPermille: 0 })
      expect(sub.tx).toMatchObject({ price: LIST, member: null })
      expect(q(`SELECT count(*) FROM transaction_steps WHERE tx_id = ? AND status = 'member_discount'`, sub.tx!.id)).toBe(0)
      expect(q(`SELECT count(*) FROM audit_log WHERE action = 'units.memberDiscount' AND target = ?`, `unit:${u.id}`)).toBe(0)
      expect(q(`SELECT priced_list_price FROM unit_transactions WHERE id = ?`, sub.tx!.id)).toBe(LIST)
    }
  })

  it('refuses stale writes: a deal changed since it was shown, a discount other than the one shown; the host still answers', async () => {
    const clientId = await buyer(2000)
    const u = await reserved(clientId)
    const seen = u.tx!.updatedAt
    clock.advance(60_000)
    await desk.call('payments.record', { unitId: u.id, receiptNo: `P-${u.id}`, method: 'card', amount: 100_000 })
    await agent.call('units.advance', { unitId: u.id, to: 'pledge' })
    expect(await agent.try('units.advance', { unitId: u.id, to: 'subscribe', expectUpdatedAt: seen })).toMatchObject({ ok: false, error: { code: 'CONFLICT', field: 'unitId', reason: 'deal_moved' } })
    const now = (await agent.call('board.units', { projectId, unitIds: [u.id] })).units[0]!
    // shown 0.5% (银卡), the buyer is 金卡 (1%) by now
    expect(await agent.try('units.advance', { unitId: u.id, to: 'subscribe', expectUpdatedAt: now.tx!.updatedAt, expectDiscountPermille: 5 })).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', field: 'price', reason: 'member_discount_changed', params: { level: '金卡会员', percent: '1' } },
    })
    expect(q(`SELECT status || ':' || coalesce(priced_list_price, 'none') FROM unit_transactions WHERE id = ?`, u.tx!.id)).toBe('pledge:none')
    const ok = await agent.call('units.advance', { unitId: u.id, to: 'subscribe', expectUpdatedAt: now.tx!.updatedAt, expectDiscountPermille: 10 })
    expect(ok.tx?.member?.discount).toBe(5_000_000)
  })

  it('a deal already past 认购 without kept pricing (from before this step, or moved by 换房) is not repriced at a later step', async () => {
    const clientId = await buyer(2000)
    const u = await reserved(clientId)
    await agent.call('units.advance', { unitId: u.id, to: 'subscribe' })
    // as a deal priced before migration 018 looks
    host.database.sqlite.prepare(`UPDATE unit_transactions SET priced_list_price = NULL, member_level = NULL, member_discount_permille = 0, member_discount = 0, price = ? WHERE id = ?`).run(LIST, u.tx!.id)
    expect(await agent.call('units.quote', { unitId: u.id })).toMatchObject({ level: null, discount: 0, priced: true })
    const signed = await agent.call('units.advance', { unitId: u.id, to: 'sign' })
    expect(signed.tx).toMatchObject({ price: LIST, member: null })
  })

  it('refuses bad input on its field', async () => {
    const u = await reserved(await buyer(2000))
    expect(await agent.try('units.advance', { unitId: u.id, to: 'subscribe', expectDiscountPermille: 501 })).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'expectDiscountPermille' } })
    expect(await agent.try('units.advance', { unitId: u.id, to: 'subscribe', expectDiscountPermille: 1.5 })).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'expectDiscountPermille' } })
    expect(await agent.try('units.advance', { unitId: u.id, to: 'subscribe', expectUpdatedAt: 'yesterday' })).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'expectUpdatedAt' } })
    expect(await agent.try('units.advance', { unitId: u.id, to: 'subscribe', price: 0 })).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'price' } })
    expect((await agent.call('board.units', { projectId, unitIds: [u.id] })).units[0]!.status).toBe('small_deposit')
  })
})
