import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { InputOf } from '@shared/contract'
import type { ApiClient } from '@shared/contract/client'
import type { Role } from '@shared/domain/roles'
import { ManualClock } from '../../electron/host/clock'
import type { Host } from '../../electron/host/host'
import { exportedRows } from '../helpers/export-rows'
import { adminClient, staffClient } from '../helpers/staff'
import { startTempHost } from '../helpers/temp-host'
import { unitSheetBase64 } from '../helpers/unit-sheet'

// Issue #19 item 5: the sales board and the approvals list export through their own grids' rules:
// a deal's buyer and money only for whoever sees the deal on the board, a request only for whoever
// sees it in the approvals list.
let host: Host & { cleanup(): Promise<void> }
const clock = new ManualClock(new Date('2026-11-25T02:00:00Z'))
let admin: ApiClient
let manager: ApiClient
let mate: ApiClient
let other: ApiClient
let desk: ApiClient
let projectId: number
let unitId: number
let requestId: number

/** A client signed in as a new staff member named `<username>名` (the sheets show that name). */
const person = async (role: Role, username: string, team: string | null) => (await staffClient(host, admin, role, username, { team, name: `${username}名` })).client

/** The rows of an export's sheet: the watermark, the headers, the rows. */
const lines = (who: ApiClient, input: InputOf<'export.start'>) => exportedRows(host, who, input)

beforeAll(async () => {
  host = await startTempHost({ clock, withServer: true })
  admin = await adminClient(host)
  manager = await person('manager', 'bx-mgr', null)
  mate = await person('agent', 'bx-mate', '一组')
  other = await person('agent', 'bx-other', '二组')
  desk = await person('front_desk', 'bx-desk', null)
  projectId = (await manager.call('projects.create', { name: '导出花园', district: '浦东' })).id
  await manager.call('units.import', {
    projectId,
    fileBase64: await unitSheetBase64([
      { building: '1号楼', floor: 3, number: '301', layout: '3室2厅', area: 98.5, orientation: '南北', listPrice: 3_000_000 },
      { building: '1号楼', floor: 3, number: '302', layout: '2室2厅', area: 80, orientation: '南', listPrice: 2_400_000 },
    ]),
  })
  unitId = (await manager.call('board.get', { projectId })).units.find((u) => u.number === '301')!.id
  const buyer = await mate.call('clients.create', { kind: 'person', name: '导出买家', phones: [{ number: '13770009001' }], sourceChannel: 'phone', tier: 'normal' })
  await mate.call('units.reserve', { unitId, clientId: buyer.id, deposit: 2_000_000, receiptNo: 'R-BX-1', method: 'cash' })
  requestId = (await mate.call('changes.request', { kind: 'price', unitId, payload: { listPrice: 290_000_000 }, comment: '客户议价' })).id
}, 60_000)
afterAll(() => host.cleanup())

describe('board export', () => {
  it("holds the board's units, the buyer and money only for whoever sees the deal; watermarked", async () => {
    const mine = await lines(mate, { grid: 'board', query: { projectId } })
    expect(mine[0]![0]).toContain('bx-mate')
    expect(mine[1]!.slice(0, 3)).toEqual(['楼栋', '楼层', '房号'])
    expect(mine.slice(2).map((l) => l[2])).toEqual(['301', '302'])
    const row301 = mine.find((l) => l[2] === '301')!
    expect(row301).toEqual(expect.arrayContaining(['1号楼', '98.5', '小订', '导出买家', 'bx-mate名', '20000']))
    const theirs = await lines(other, { grid: 'board', query: { projectId } })
    const seen = theirs.find((l) => l[2] === '301')!
    expect(seen).toEqual(expect.arrayContaining(['小订', 'bx-mate名']))
    expect(seen.join('|')).not.toContain('导出买家')
    expect(seen[11]).toBe('')
    expect(seen[12]).toBe('')
    expect(row301[11]).not.toBe('')
    expect(await manager.try('export.start', { grid: 'board', query: { projectId: 99_999 } })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } })
    expect(await desk.try('export.start', { grid: 'board', query: { projectId } })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
  })
})

describe('approvals export', () => {
  it('holds the requests the approvals list shows the exporter: all for the manager, none of a colleague’s for another agent', async () => {
    const all = await lines(manager, { grid: 'approvals', query: {} })
    expect(all[1]).toEqual(['编号', '类型', '房源', '状态', '轮次', '申请人', '申请时间', '审批人', '审批时间'])
    expect(all.slice(2).map((l) => l.slice(0, 6))).toEqual([[String(requestId), '调价', '1号楼-301', '待审批', '1', 'bx-mate名']])
    expect((await lines(mate, { grid: 'approvals', query: { status: 'pending' } })).slice(2)).toHaveLength(1)
    expect(await other.call('changes.list', {})).toEqual({ requests: [] })
    expect(await lines(other, { grid: 'approvals', query: {} })).toHaveLength(2)
    const english = await lines(manager, { grid: 'approvals', query: {}, lang: 'en' })
    expect(english[2]!.slice(1, 4)).toEqual(['Price', '1号楼-301', 'Pending'])
    expect(await manager.try('system.ping', {})).toMatchObject({ ok: true })
  })

  it('follows the list it sits on: 待审批 exports the pending requests only, 审批历史 the decided ones', async () => {
    const unit302 = (await manager.call('board.get', { projectId })).units.find((u) => u.number === '302')!.id
    const second = (await mate.call('changes.request', { kind: 'price', unitId: unit302, payload: { listPrice: 230_000_000 }, comment: '试探价格' })).id
    await manager.call('changes.decide', { id: second, approve: false, comment: '价格太低' })
    const pending = await lines(manager, { grid: 'approvals', query: { status: 'pending' } })
    expect(pending.slice(2).map((l) => [l[0], l[3]])).toEqual([[String(requestId), '待审批']])
    const decided = await lines(manager, { grid: 'approvals', query: { status: 'decided' } })
    expect(decided.slice(2).map((l) => [l[0], l[2], l[3], l[7]])).toEqual([[String(second), '1号楼-302', '已驳回', 'bx-mgr名']])
    // the history an agent sees is the decided part of their own list
    expect((await lines(mate, { grid: 'approvals', query: { status: 'decided' } })).slice(2).map((l) => l[0])).toEqual([String(second)])
    expect((await lines(other, { grid: 'approvals', query: { status: 'decided' } })).slice(2)).toEqual([])
    expect(await manager.try('export.start', { grid: 'approvals', query: { status: 'done' as never } })).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'query.status' } })
    expect(await manager.try('system.ping', {})).toMatchObject({ ok: true })
  })
})

describe('report export', () => {
  const NOVEMBER = { from: '2026-10-31T16:00:00.000Z', to: '2026-11-30T16:00:00.000Z' }

  it("holds a branch report's table as its tab computes it, for the management only", async () => {
    const report = await manager.call('reports.responseTimes', NOVEMBER)
    const sheet = await lines(manager, { grid: 'report', query: { report: 'responseTimes', ...NOVEMBER } })
    expect(sheet[0]![0]).toContain('bx-mgr')
    expect(sheet[1]!.slice(0, 4)).toEqual(['经纪人', '小组', '待响应次数', '已联系'])
    expect(sheet.slice(2).map((l) => [l[0], l[2]])).toEqual(report.agents.map((a) => [a.name, String(a.starts)]))
    expect(sheet.find((l) => l[0] === 'bx-mate名')?.[2]).toBe('1')
    const conversion = await lines(manager, { grid: 'report', query: { report: 'conversion', ...NOVEMBER }, lang: 'en' })
    expect(conversion[2]!.slice(0, 3)).toEqual(['Phone enquiry', '', '1'])
    expect(await mate.try('export.start', { grid: 'report', query: { report: 'responseTimes', ...NOVEMBER } })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
    expect(await manager.try('export.start', { grid: 'report', query: { report: 'traffic', from: NOVEMBER.to, to: NOVEMBER.from } })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', reason: 'period_order' },
    })
    expect(await manager.try('system.ping', {})).toMatchObject({ ok: true })
  })
})
