import ExcelJS from 'exceljs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { InputOf } from '@shared/contract'
import type { ApiClient } from '@shared/contract/client'
import type { ClientRow } from '@shared/contract/clients'
import type { ExportView } from '@shared/contract/export'
import type { Role } from '@shared/domain/roles'
import { ManualClock } from '../../electron/host/clock'
import { generateClients } from '../../electron/host/demo/generate-clients'
import type { Host } from '../../electron/host/host'
import { adminClient, STAFF_PASSWORD, staffClient } from '../helpers/staff'
import { startTempHost } from '../helpers/temp-host'
import { unitSheetBase64 } from '../helpers/unit-sheet'

// Issue #19 item 5: a grid exported to xlsx holds the grid's rows for the same view, filter and
// sort, checked as the grid checks them, watermarked, audited, capped, fetched once over HTTP.
let host: Host & { cleanup(): Promise<void> }
let clock: ManualClock
let admin: ApiClient
const as: Record<'manager' | 'agent' | 'mate' | 'senior' | 'other' | 'desk', { client: ApiClient; id: number; name: string; username: string }> = {} as never
const CLIENTS = 1300

async function person(role: Role, username: string, team: string | null) {
  const { client, staff } = await staffClient(host, admin, role, username, { team, name: `${username}名` })
  return { client, id: staff.id, name: staff.name, username }
}

beforeAll(async () => {
  clock = new ManualClock(new Date('2026-11-25T02:00:00Z'))
  host = await startTempHost({ clock, withServer: true })
  admin = await adminClient(host)
  as.manager = await person('manager', 'exp-mgr', null)
  as.agent = await person('agent', 'exp-agent', '一组')
  as.mate = await person('agent', 'exp-mate', '一组')
  as.senior = await person('senior_agent', 'exp-senior', '一组')
  as.other = await person('agent', 'exp-other', '二组')
  as.desk = await person('front_desk', 'exp-desk', null)
  generateClients(host.database.sqlite, { clients: CLIENTS, ownerIds: [as.agent.id, as.mate.id, as.other.id, as.senior.id], now: clock.now() })
}, 60_000)
afterAll(() => host.cleanup())

/** Every row of the grid for a query, page by page as the grid asks for them. */
async function gridRows(who: ApiClient, query: Omit<InputOf<'clients.list'>, 'offset' | 'limit'>): Promise<ClientRow[]> {
  const rows: ClientRow[] = []
  for (let offset = 0; ; offset += 500) {
    const page = await who.call('clients.list', { ...query, offset, limit: 500 })
    rows.push(...page.rows)
    if (page.rows.length < 500) return rows
  }
}

/** Starts an export and waits for it (a large one runs as a job). */
async function exportOf(who: ApiClient, input: InputOf<'export.start'>): Promise<ExportView> {
  const started = await who.call('export.start', input)
  if (started.status === 'running') await host.jobs.finished(started.id)
  return who.call('export.status', { id: started.id })
}

/** Fetches a download over the host's HTTP. */
function fetchFile(download: string) {
  return fetch(`${host.url}${download}`)
}

async function workbookOf(download: string | null): Promise<ExcelJS.Workbook> {
  expect(download).toMatch(/^\/files\//)
  const res = await fetchFile(download!)
  expect(res.status).toBe(200)
  expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename=/)
  const wb = new ExcelJS.Workbook()
  await wb.xlsx.load(await res.arrayBuffer())
  return wb
}

/** The sheet's lines: the watermark, the headers, then one per row. */
function linesOf(wb: ExcelJS.Workbook): string[][] {
  const lines: string[][] = []
  wb.worksheets[0]!.eachRow({ includeEmpty: false }, (row) => {
    lines.push((row.values as unknown[]).slice(1).map((v) => (v === null || v === undefined ? '' : String(v))))
  })
  return lines
}

const audit = (action: string) =>
  host.database.sqlite.prepare(`SELECT actor_id, target, detail FROM audit_log WHERE action = ? ORDER BY id DESC LIMIT 1`).get(action) as
    | { actor_id: number; target: string; detail: string }
    | undefined

describe('export of the client grid', () => {
  it("holds the grid's rows for the same view, filter and sort, phones masked as the grid masks them, watermarked in the file", async () => {
    const query = { view: 'all' as const, filter: { blacklisted: false }, sort: { field: 'name' as const, dir: 'desc' as const } }
    const grid = await gridRows(as.manager.client, query)
    // over the rows an export writes within its call: this one runs as a job
    expect(grid.length).toBeGreaterThan(1000)
    const done = await exportOf(as.manager.client, { grid: 'clients', query })
    expect(done).toMatchObject({ status: 'done', done: grid.length, total: grid.length })
    const wb = await workbookOf(done.download)
    const lines = linesOf(wb)
    expect(lines[0]![0]).toContain(`导出人：${as.manager.name}（exp-mgr）`)
    expect(lines[1]!.slice(0, 3)).toEqual(['客户编号', '姓名/名称', '电话'])
    const body = lines.slice(2)
    expect(body.map((l) => [l[0], l[1], l[2]])).toEqual(grid.map((r) => [r.code, r.name, r.phone ?? '']))
    // the manager owns none of them: every phone masked, as in the grid
    expect(body.every((l) => l[2] === '' || l[2]!.includes('****'))).toBe(true)
    expect(wb.creator).toBe(`${as.manager.name} (exp-mgr)`)
    expect(wb.title).toBe('客户导出')
    expect(wb.description).toContain('导出人')
    expect(wb.description).toContain('"blacklisted":false')
  })

  it("an agent's export holds their own clients only, in full; a senior's their team's; another agent's clients never", async () => {
    const own = await gridRows(as.agent.client, { view: 'mine' })
    const mine = linesOf(await workbookOf((await exportOf(as.agent.client, { grid: 'clients', query: { view: 'all' } })).download)).slice(2)
    expect(mine.map((l) => l[0]).sort()).toEqual(own.map((r) => r.code).sort())
    // their own clients' phones in full, as the grid shows them to the owner
    expect(mine.every((l) => /^1\d{2} ?\d{4} ?\d{4}$/.test(l[2]!.replace(/\s/g, '')) && !l[2]!.includes('*'))).toBe(true)
    // asking for a colleague's clients by name gives nothing
    const theirs = await exportOf(as.agent.client, { grid: 'clients', query: { filter: { ownerId: [as.other.id] } } })
    expect(theirs.total).toBe(0)
    expect(linesOf(await workbookOf(theirs.download))).toHaveLength(2)
    const pool = await exportOf(as.agent.client, { grid: 'clients', query: { filter: { unowned: true } } })
    expect(pool.total).toBe(0)
    // the senior: their own and the team's (agent, mate), not 二组's
    const team = new Set([as.agent.id, as.mate.id, as.senior.id])
    const all = await gridRows(as.manager.client, {})
    const seniorLines = linesOf(await workbookOf((await exportOf(as.senior.client, { grid: 'clients', query: {} })).download)).slice(2)
    expect(seniorLines.map((l) => l[0]).sort()).toEqual(all.filter((r) => r.owner && team.has(r.owner.id)).map((r) => r.code).sort())
    // the front desk exports nothing
    const desk = await as.desk.client.try('export.start', { grid: 'clients', query: {} })
    expect(desk).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
  })

  it('the cap refuses a larger export, a required reason is asked for, and the audit keeps who, the view, the filter, the reason and the rows', async () => {
    expect(await as.agent.client.try('export.setSettings', { rowCap: 10 })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
    await as.manager.client.call('export.setSettings', { rowCap: 50, requireReason: true })
    expect(await as.agent.client.call('export.getSettings', {})).toEqual({ rowCap: 50, requireReason: true })
    const query = { view: 'all' as const, filter: { region: '浦东' } }
    const over = await as.manager.client.try('export.start', { grid: 'clients', query, reason: '月度盘点' })
    expect(over).toMatchObject({ ok: false, error: { code: 'LIMIT_REACHED', reason: 'export_over_cap', params: { cap: 50 } } })
    const none = await as.manager.client.try('export.start', { grid: 'clients', query: { ...query, filter: { ...query.filter, tier: ['vip'] } } })
    expect(none).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'reason', reason: 'export_reason_required' } })
    const blank = await as.manager.client.try('export.start', { grid: 'clients', query: { filter: { tier: ['vip'] } }, reason: '   ' })
    expect(blank).toMatchObject({ ok: false, error: { field: 'reason' } })
    const vipQuery = { view: 'all' as const, filter: { region: '浦东', tier: ['vip' as const] } }
    const vips = (await gridRows(as.manager.client, vipQuery)).length
    expect(vips).toBeGreaterThan(0)
    expect(vips).toBeLessThanOrEqual(50)
    const ok = await exportOf(as.manager.client, { grid: 'clients', query: vipQuery, reason: '月度盘点' })
    expect(ok).toMatchObject({ status: 'done', total: vips })
    const asked = audit('export.start')!
    expect(asked).toMatchObject({ actor_id: as.manager.id, target: `export:${ok.id}` })
    expect(JSON.parse(asked.detail)).toMatchObject({ grid: 'clients', query: { view: 'all', filter: { region: '浦东', tier: ['vip'] } }, reason: '月度盘点' })
    const done = audit('export.done')!
    expect(done).toMatchObject({ actor_id: as.manager.id, target: `export:${ok.id}` })
    expect(JSON.parse(done.detail)).toMatchObject({ rows: vips, reason: '月度盘点', query: { filter: { tier: ['vip'] } } })
    await as.manager.client.call('export.setSettings', { rowCap: 20_000, requireReason: false })
  })

  it("downloads once, for a few minutes, by its requester's link only; the host answers after every refusal", async () => {
    const first = await exportOf(as.agent.client, { grid: 'clients', query: { filter: { tier: ['vip'] } } })
    // another's export is unknown to them
    expect(await as.mate.client.try('export.status', { id: first.id })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } })
    expect((await fetchFile(first.download!)).status).toBe(200)
    expect((await fetchFile(first.download!)).status).toBe(404)
    expect((await as.agent.client.call('export.status', { id: first.id })).download).toBeNull()
    // a link not fetched in time is gone
    const late = await exportOf(as.agent.client, { grid: 'clients', query: { filter: { tier: ['vip'] } } })
    clock.advance(11 * 60_000)
    as.agent.client = host.client()
    await as.agent.client.call('auth.login', { username: 'exp-agent', password: STAFF_PASSWORD })
    expect((await as.agent.client.call('export.status', { id: late.id })).download).toBeNull()
    expect((await fetchFile(late.download!)).status).toBe(404)
    // made-up tokens, and paths that are not tokens at all
    for (const p of ['/files/' + 'A'.repeat(32), '/files/%2e%2e%2fkeyuan.db', '/files/']) expect((await fetchFile(p)).status).toBe(404)
    expect(await as.agent.client.try('system.ping', {})).toMatchObject({ ok: true })
  })

  it("the pool and the task list export through their grids' own queries: the pool by the manager only, tasks as tasks.list allows", async () => {
    const poolGrid: ClientRow[] = []
    for (let offset = 0; ; offset += 500) {
      const page = await as.manager.client.call('pool.list', { region: '浦东', offset, limit: 500 })
      poolGrid.push(...page.rows)
      if (page.rows.length < 500) break
    }
    expect(poolGrid.length).toBeGreaterThan(0)
    const pool = await exportOf(as.manager.client, { grid: 'pool', query: { region: '浦东' } })
    const poolLines = linesOf(await workbookOf(pool.download))
    expect(poolLines[0]![0]).toContain('导出人')
    expect(poolLines.slice(2).map((l) => [l[0], l[2]])).toEqual(poolGrid.map((r) => [r.code, r.phone ?? '']))
    expect(await as.agent.client.try('export.start', { grid: 'pool', query: {} })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', reason: 'export_own_only' } })
    // a new agent's own open tasks (recording a client sets one: the profile and needs within 24 h)
    const fresh = await person('agent', 'exp-fresh', null)
    await fresh.client.call('clients.create', { kind: 'person', name: '导出任务甲', phones: [{ number: '13900990001' }], sourceChannel: 'phone' })
    const tasks = await fresh.client.call('tasks.list', { status: 'open', limit: 500 })
    expect(tasks.total).toBeGreaterThan(0)
    const taskLines = linesOf(await workbookOf((await exportOf(fresh.client, { grid: 'tasks', query: { status: 'open' } })).download)).slice(2)
    expect(taskLines.map((l) => l[1])).toEqual(tasks.rows.map((t) => t.clientCode ?? ''))
    expect(taskLines.some((l) => l[0] === '建档并确认需求')).toBe(true)
    expect(await fresh.client.try('export.start', { grid: 'tasks', query: { staffId: as.mate.id } })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
  })

  it('the finance list exports through finance.todos for the manager only; the desk and agents are refused', async () => {
    // a refund to-do: a 小订 with its deposit paid, released by the manager
    const projectId = (await as.manager.client.call('projects.create', { name: '导出苑', district: '浦东' })).id
    await as.manager.client.call('units.import', { projectId, fileBase64: await unitSheetBase64([{ building: '1号楼', floor: 3, number: '301', layout: '3室2厅', area: 98.5, orientation: '南北', listPrice: 3_000_000 }]) })
    const unitId = (await as.manager.client.call('board.get', { projectId })).units[0]!.id
    const buyer = (await as.manager.client.call('clients.list', { view: 'all', filter: { ownerId: [as.mate.id] }, limit: 1 })).rows[0]!.id
    await as.mate.client.call('units.reserve', { unitId, clientId: buyer, deposit: 2_000_000, receiptNo: 'R-EXP-1', method: 'cash' })
    await as.manager.client.call('units.release', { unitId, reason: '客户放弃' })
    const todos = await as.manager.client.call('finance.todos', { status: 'open' })
    const lines = linesOf(await workbookOf((await exportOf(as.manager.client, { grid: 'finance', query: { status: 'open' } })).download))
    expect(lines[1]![0]).toBe('类型')
    expect(todos.todos.length).toBeGreaterThan(0)
    expect(lines.slice(2).map((l) => l[1])).toEqual(todos.todos.map((x) => x.unit))
    expect(lines[2]).toEqual(expect.arrayContaining(['退款', '1号楼-301', '20000', '释放房源退还定金：客户放弃']))
    for (const who of [as.agent, as.desk]) expect(await who.client.try('export.start', { grid: 'finance', query: {} })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
  })
})
