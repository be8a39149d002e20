import ExcelJS from 'exceljs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ManualClock } from '../../electron/host/clock'
import type { Host } from '../../electron/host/host'
import type { ApiClient } from '@shared/contract/client'
import { adminClient, staffClient } from '../helpers/staff'
import { startTempHost } from '../helpers/temp-host'
import { unitSheetBase64, type UnitSheetRow } from '../helpers/unit-sheet'

// A small subscription day (6 cards, groups of 2, one day) run through the dispatcher, then its
// summary (汇总): every figure checked against what was done, and who may read it.

const MINUTE = 60_000
const clock = new ManualClock(new Date('2026-10-10T01:00:00Z'))
let host: Host & { cleanup(): Promise<void> }
let manager: ApiClient
let desk: ApiClient
let door: ApiClient
let agent: ApiClient
let other: ApiClient
let admin: ApiClient
let projectId: number
let units: number[]
let eventId: number

beforeAll(async () => {
  host = await startTempHost({ clock, withServer: true })
  admin = await adminClient(host)
  manager = (await staffClient(host, admin, 'manager', 'sum-mgr')).client
  desk = (await staffClient(host, admin, 'agent', 'sum-desk')).client
  door = (await staffClient(host, admin, 'front_desk', 'sum-door')).client
  agent = (await staffClient(host, admin, 'senior_agent', 'sum-agent')).client
  other = (await staffClient(host, admin, 'agent', 'sum-other')).client
  projectId = (await manager.call('projects.create', { name: '汇总苑' })).id
  const rows: UnitSheetRow[] = []
  for (let n = 1; n <= 6; n++) rows.push({ building: '2号楼', floor: 1, number: `10${n}`, layout: n === 2 ? '独栋别墅' : '3室2厅', area: 120, orientation: '南北', listPrice: 3_000_000 })
  await manager.call('units.import', { projectId, fileBase64: await unitSheetBase64(rows) })
  units = (await manager.call('board.get', { projectId })).units.map((u) => u.id).sort((a, b) => a - b)
  const client = (await agent.call('clients.create', { kind: 'person', name: '汇总客', phones: [{ number: '13900009999' }], sourceChannel: 'walk_in' })).id
  // cards 1 and 2 both want unit 0 first; 3 and 4 want unit 2; 5 and 6 want unit 4
  const wishes: Record<number, number[]> = { 1: [units[0]!], 2: [units[0]!, units[1]!], 3: [units[2]!], 4: [units[2]!, units[3]!], 5: [units[4]!], 6: [units[4]!, units[5]!] }
  for (let c = 1; c <= 6; c++) await agent.call('subscription.issueCard', { projectId, clientId: client, cardNo: c, deposit: 2_000_000 + c, receiptNo: `HZ${c}`, method: 'cash', wishes: wishes[c]! })
  eventId = (await manager.call('subscription.createEvent', { projectId, name: '汇总开盘', days: ['2026-10-10'], unitIds: units, groupSize: 2, minutesPerGroup: 15 })).id
}, 60_000)
afterAll(() => host.cleanup())

describe('the summary of a subscription day (汇总)', () => {
  it('adds up after a day with a contest won by the earlier card, one released, an absentee and a pass', async () => {
    // group 1: both present; card 2 may not take unit 0 before card 1; 1 takes it, 2 its second wish
    await manager.call('subscription.callNext', { eventId })
    for (const c of [1, 2]) await door.call('subscription.checkIn', { eventId, cardNo: c })
    expect(await desk.try('subscription.pick', { eventId, cardNo: 2, unitId: units[0]! })).toMatchObject({ ok: false, error: { reason: 'earlier_card_first' } })
    clock.advance(3 * MINUTE)
    await desk.call('subscription.pick', { eventId, cardNo: 1, unitId: units[0]! })
    clock.advance(2 * MINUTE)
    await desk.call('subscription.pick', { eventId, cardNo: 2, unitId: units[1]! })
    // group 2: card 3 is absent, so card 4 takes unit 2 (released, not won by order)
    await manager.call('subscription.callNext', { eventId })
    await door.call('subscription.markAbsent', { eventId, cardNo: 3 })
    await door.call('subscription.checkIn', { eventId, cardNo: 4 })
    clock.advance(4 * MINUTE)
    await desk.call('subscription.pick', { eventId, cardNo: 4, unitId: units[2]! })
    // group 3: card 5 passes, card 6 never comes; the manager moves on and the day (the event) ends
    await manager.call('subscription.callNext', { eventId })
    await door.call('subscription.checkIn', { eventId, cardNo: 5 })
    clock.advance(MINUTE)
    await desk.call('subscription.pass', { eventId, cardNo: 5 })
    expect(await manager.call('subscription.callNext', { eventId })).toMatchObject({ status: 'closed' })
    const s = await manager.call('subscription.summary', { eventId })
    expect(s.status).toBe('closed')
    expect(s.total).toMatchObject({ cards: 6, picked: 3, passed: 1, absent: 2, unitsSold: 3, refundsDue: 3, refundsDone: 0, refundAmountDue: 2_000_003 + 2_000_005 + 2_000_006 })
    expect(s.total.contests).toEqual([
      { day: 1, group: 1, unitId: units[0]!, winnerCardNo: 1, rivalCardNos: [2], rule: 'earlier_card' },
      { day: 1, group: 2, unitId: units[2]!, winnerCardNo: 4, rivalCardNos: [3], rule: 'released' },
    ])
    expect(s.total.groups.map((g) => [g.group, g.picked, g.passed, g.absent])).toEqual([[1, 2, 0, 0], [2, 1, 0, 1], [3, 0, 1, 1]])
    expect(s.total.groups[0]!.minutes).toBe(5)
    // each group's time exactly, from its call to its end (the manager's next call here)
    expect(s.total.groups.map((g) => g.ms)).toEqual([5 * MINUTE, 4 * MINUTE, MINUTE])
    expect(s.total.groups[1]!.calledAt).toBe(s.total.groups[0]!.endedAt)
    expect(Date.parse(s.total.groups[0]!.endedAt!) - Date.parse(s.total.groups[0]!.calledAt!)).toBe(5 * MINUTE)
    // the days add up to the whole, and the lists match the counts
    expect(s.days).toHaveLength(1)
    expect(s.days[0]!.figures).toEqual(s.total)
    expect(s.picks.map((p) => [p.cardNo, p.unitLabel])).toEqual([[1, '2号楼-101'], [2, '2号楼-102'], [4, '2号楼-103']])
    expect(s.forfeits.map((f) => [f.cardNo, f.state, f.refundDone])).toEqual([[3, 'absent', false], [5, 'passed', false], [6, 'absent', false]])
    expect(s.forfeits.length).toBe(s.total.absent + s.total.passed)
  })

  it('counts a refund done once finance marks its to-do done', async () => {
    const todo = (await manager.call('finance.todos', {})).todos.find((t) => t.amount === 2_000_003)!
    await manager.call('finance.markDone', { id: todo.id, version: todo.version, reference: 'TK-3' })
    const s = await manager.call('subscription.summary', { eventId })
    expect(s.total).toMatchObject({ refundsDue: 2, refundsDone: 1, refundAmountDone: 2_000_003 })
    expect(s.forfeits.find((f) => f.cardNo === 3)).toMatchObject({ refundDone: true })
  })

  it("exports to xlsx through the export domain: watermarked, one line a card with outcome, contest rule, refund and its group's times; managers only", async () => {
    let view = await manager.call('export.start', { grid: 'subscription', query: { eventId } })
    if (view.status === 'running') await host.jobs.finished(view.id)
    view = await manager.call('export.status', { id: view.id })
    const res = await fetch(`${host.url}${view.download!}`)
    expect(res.status).toBe(200)
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.load(await res.arrayBuffer())
    const lines: string[][] = []
    wb.worksheets[0]!.eachRow({ includeEmpty: false }, (row) => lines.push(Array.from({ length: 13 }, (_, i) => {
      const v = (row.values as unknown[])[i + 1]
      return v === null || v === undefined ? '' : String(v)
    })))
    expect(lines[0]![0]).toMatch(/^导出人：.*sum-mgr/)
    expect(lines[1]).toEqual(['日', '组', '卡号', '客户', '结果', '房源', '争抢裁定', '应退意向金（元）', '退款', '办理时间', '本组叫号', '本组结束', '本组用时（分钟）'])
    expect(lines.slice(2).map((l) => l.slice(2, 9))).toEqual([
      ['1', '汇总客', '已选房', '2号楼-101', '卡号在先', '', ''],
      ['2', '汇总客', '已选房', '2号楼-102', '', '', ''],
      ['3', '汇总客', '缺席', '', '', '20000.03', '已退'],
      ['4', '汇总客', '已选房', '2号楼-103', '在先者放弃', '', ''],
      ['5', '汇总客', '放弃', '', '', '20000.05', '待退'],
      ['6', '汇总客', '缺席', '', '', '20000.06', '待退'],
    ])
    // each group's call, end and minutes used (as the printed 汇总 has them), on its cards' lines: 5, 4 and 1 minutes
    const g1 = ['2026-10-10 09:00', '2026-10-10 09:05', '5']
    const g2 = ['2026-10-10 09:05', '2026-10-10 09:09', '4']
    const g3 = ['2026-10-10 09:09', '2026-10-10 09:10', '1']
    expect(lines.slice(2).map((l) => l.slice(10, 13))).toEqual([g1, g1, g2, g2, g3, g3])
    for (const c of [desk, door]) expect(await c.try('export.start', { grid: 'subscription', query: { eventId } })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
    expect(await manager.try('export.start', { grid: 'subscription', query: { eventId: 999_999 } })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } })
  })

  it("prints a pick's 认购书 with the money adding up, and marks a villa for the 别墅预定协议; a card without a pick is NOT_FOUND", async () => {
    const a = await agent.call('subscription.agreement', { eventId, cardNo: 1 })
    expect(a).toMatchObject({ eventName: '汇总开盘', projectName: '汇总苑', cardNo: 1, receiptNo: 'HZ1', buyer: '汇总客', unitLabel: '2号楼-101', area: 12_000, listPrice: 300_000_000, deposit: 2_000_001, villa: false })
    expect(a.dealPrice).toBe(a.listPrice - a.memberDiscount)
    expect(a.due).toBe(a.dealPrice - a.deposit)
    expect(await manager.call('subscription.agreement', { eventId, cardNo: 2 })).toMatchObject({ unitLabel: '2号楼-102', layout: '独栋别墅', villa: true })
    expect(await agent.try('subscription.agreement', { eventId, cardNo: 3 })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND', field: 'cardNo', reason: 'no_pick' } })
    // the desk agent made the pick: they print its 认购书 for the buyer in front of them (#21 review item 7)
    expect(await desk.call('subscription.agreement', { eventId, cardNo: 1 })).toEqual(a)
    // an agent who neither made the pick nor works the holder gets no buyer or price; the door has no access at all
    expect(await other.try('subscription.agreement', { eventId, cardNo: 1 })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
    expect(await manager.call('system.ping', {})).toBeTruthy()
    expect(await door.try('subscription.agreement', { eventId, cardNo: 1 })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
  })

  it('counts as sold only the picks whose 认购 still stands: a unit released later is not sold', async () => {
    const before = await manager.call('subscription.summary', { eventId })
    expect(before.total).toMatchObject({ picked: 3, unitsSold: 3, released: 0 })
    expect((await door.call('subscription.lobby', { eventId })).picked.sort((a, b) => a - b)).toEqual([units[0]!, units[1]!, units[2]!])
    // card 4's unit is cancelled after the day (退房: asked by the manager, approved by the admin)
    const cancel = await manager.call('changes.request', { kind: 'cancel', unitId: units[2]! })
    await admin.call('changes.decide', { id: cancel.id, approve: true })
    const after = await manager.call('subscription.summary', { eventId })
    expect(after.total).toMatchObject({ picked: 3, unitsSold: 2, released: 1 })
    expect(after.days[0]!.figures).toEqual(after.total)
    // the lobby display's 已售 drops it too
    expect((await door.call('subscription.lobby', { eventId })).picked.sort((a, b) => a - b)).toEqual([units[0]!, units[1]!])
  })

  it('is for the manager only; an unknown event is NOT_FOUND and the host still answers', async () => {
    for (const c of [desk, door, agent]) expect(await c.try('subscription.summary', { eventId })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
    expect(await manager.try('subscription.summary', { eventId: 999_999 })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND', field: 'eventId' } })
    expect(await manager.call('subscription.summary', { eventId })).toMatchObject({ eventId })
  })
})
