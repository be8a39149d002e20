import ExcelJS from 'exceljs'
import { afterEach, describe, expect, it } from 'vitest'
import type { ApiClient } from '@shared/contract/client'
import { MAX_CHUNK_BASE64 } from '@shared/contract/imports'
import { ManualClock } from '../../electron/host/clock'
import type { Host } from '../../electron/host/host'
import { adminClient, STAFF_PASSWORD, staffClient } from '../helpers/staff'
import { checkImport } from '../helpers/import-check'
import { startTempHost } from '../helpers/temp-host'

let host: Host & { cleanup(): Promise<void> }
afterEach(() => host.cleanup())

const q = <T = unknown>(sql: string, ...params: unknown[]) => host.database.sqlite.prepare(sql).pluck().get(...params) as T
const CREATED = new Date('2026-11-20T02:00:00Z')
const NOW = new Date('2026-11-25T02:00:00Z')
const PERIOD = { from: '2026-11-01T00:00:00.000Z', to: '2026-12-01T00:00:00.000Z' }

/**
 * A manager; agent 王芳 (wangfang) owning 老客户 (13900000001, followed up by her at creation, 11-20
 * 10:00 Shanghai) and 新客户 (13900000002, never followed up); two clients named 同名. Then five days on.
 */
async function branch() {
  const clock = new ManualClock(CREATED)
  host = await startTempHost({ clock })
  const admin = await adminClient(host)
  await staffClient(host, admin, 'manager', 'mgr')
  await admin.call('staff.create', { username: 'wangfang', name: '王芳', role: 'agent', password: STAFF_PASSWORD })
  const signIn = async (username: string) => {
    const c = host.client()
    await c.call('auth.login', { username, password: STAFF_PASSWORD })
    return c
  }
  let agent = await signIn('wangfang')
  const old = await agent.call('clients.create', { kind: 'person', name: '老客户', phones: [{ number: '13900000001' }], sourceChannel: 'phone' })
  await agent.call('followups.create', { clientId: old.id, channel: 'phone', content: '首次来电' })
  const fresh = await agent.call('clients.create', { kind: 'person', name: '新客户', phones: [{ number: '13900000002' }], sourceChannel: 'phone' })
  for (const n of ['13900000003', '13900000004']) await agent.call('clients.create', { kind: 'person', name: '同名', phones: [{ number: n }], sourceChannel: 'phone' })
  clock.set(NOW)
  // five days on: the sessions of then have lapsed
  agent = await signIn('wangfang')
  const manager = await signIn('mgr')
  return { manager, agent, old, fresh }
}

/** A branch's follow-up sheet: good rows, each kind of bad row, repeats, an Excel serial time. */
async function historySheet(freshCode: string, extraRows = 0): Promise<Buffer> {
  const wb = new ExcelJS.Workbook()
  const ws = wb.addWorksheet('跟进记录')
  ws.addRow(['客户电话', '客户编号', '客户姓名', '跟进时间', '跟进方式', '跟进内容', '跟进人', '下次跟进'])
  ws.addRow([13900000001, '', '', '2026-11-18 10:00', '电话', '问了学区', '王芳', '2026-11-19']) // 2: create (before her own contact)
  ws.addRow(['', freshCode, '', new Date(Date.UTC(2026, 10, 21, 15, 30)), '面谈', '看了样板间', 'wangfang', '周末再约']) // 3: create, a date-time cell
  ws.addRow([13900000009, '', '', '2026-11-18 10:00', '电话', '没这个人', '王芳', '']) // 4: no such client
  ws.addRow(['', '', '同名', '2026-11-18 10:00', '电话', '哪一位', '王芳', '']) // 5: two clients of that name
  ws.addRow([13900000001, '', '', '上周三', '电话', '时间不对', '王芳', '']) // 6: not a date
  ws.addRow([13900000001, '', '', '2026-12-01 10:00', '电话', '还没发生', '王芳', '']) // 7: in the future
  ws.addRow([13900000001, '', '', '2026-11-18 11:00', '电话', '', '王芳', '']) // 8: blank content
  ws.addRow([13900000001, '', '', '2026-11-18 12:00', '电话', '谁打的', '李雷', '']) // 9: unknown colleague
  ws.addRow([13900000001, '', '', '2026-11-18 10:00', '电话', '问了学区', '王芳', '']) // 10: the same as row 2
  ws.addRow([13900000001, '', '', '2026-11-20 10:00', '电话', '首次来电', '王芳', '']) // 11: already recorded in Keyuan
  ws.addRow([13900000001, '', '', 46000.25, '微信', '发了户型图', '王芳', '']) // 12: create, an Excel serial time (2025-12-09 06:00)
  ws.addRow([13900000001, '', '老客户', '2026-11-17 10:00', '飞鸽传书', '写了信', '王芳', '']) // 13: unknown channel
  ws.addRow([13900000002, '', '老客户', '2026-11-17 10:00', '电话', '对不上', '王芳', '']) // 14: phone and name of two clients
  for (let i = 0; i < extraRows; i++) ws.addRow([13900000002, '', '', `2026-11-1${i % 9} ${String(i % 24).padStart(2, '0')}:${String(Math.floor(i / 24) % 60).padStart(2, '0')}`, '电话', `批量${i}`, '王芳', ''])
  return Buffer.from(await wb.xlsx.writeBuffer())
}

async function upload(client: ApiClient, bytes: Buffer, fileName = '跟进记录.xlsx'): Promise<number> {
  const b64 = bytes.toString('base64')
  let importId: number | undefined
  for (let i = 0; i < b64.length; i += MAX_CHUNK_BASE64) {
    const r = await client.call('imports.upload', { ...(importId ? { importId } : { kind: 'followUps' as const }), fileName, chunkBase64: b64.slice(i, i + MAX_CHUNK_BASE64), last: i + MAX_CHUNK_BASE64 >= b64.length })
    importId = r.importId
  }
  return importId!
}

describe('follow-up history import', () => {
  it('dry run: each row created, refused with the field and why, or skipped as a repeat; nothing written', async () => {
    const { manager, old, fresh } = await branch()
    const id = await upload(manager, await historySheet(fresh.code))
    const view = await checkImport(host, manager, id)
    expect([view.kind, view.mappingFrom]).toEqual(['followUps', 'guessed'])
    expect(view.counts).toMatchObject({ rows: 13, create: 3, merge: 0, refuse: 8, skip: 2 })
    const refused = await manager.call('imports.rows', { importId: id, verdict: 'refuse' })
    expect(refused.rows.map((r) => [r.rowNo, r.field, r.reason, r.params])).toEqual([
      [4, 'clientPhone', 'client_not_found', { value: '13900000009' }],
      [5, 'clientName', 'client_ambiguous', { count: 2 }],
      [6, 'followedAt', 'not_a_date', { value: '上周三' }],
      [7, 'followedAt', 'in_future', { value: '2026-12-01 10:00' }],
      [8, 'content', 'blank_content', null],
      [9, 'staff', 'unknown_staff', { value: '李雷' }],
      [13, 'channel', 'unknown_value', { value: '飞鸽传书' }],
      [14, 'clientName', 'client_mismatch', { value: fresh.code }],
    ])
    const skipped = await manager.call('imports.rows', { importId: id, verdict: 'skip' })
    expect(skipped.rows.map((r) => [r.rowNo, r.reason, r.params])).toEqual([
      [10, 'same_as_row', { row: 2 }],
      [11, 'already_recorded', null],
    ])
    const created = await manager.call('imports.rows', { importId: id, verdict: 'create' })
    expect(created.rows.map((r) => [r.rowNo, r.existing?.clientId])).toEqual([
      [2, old.id],
      [3, fresh.id],
      [12, old.id],
    ])
    expect(q('SELECT count(*) FROM follow_ups')).toBe(1)
    // the error workbook names the field and the reason in both languages
    const errors = await manager.call('imports.errors', { importId: id })
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.load(Buffer.from(errors.fileBase64, 'base64') as unknown as ArrayBuffer)
    const sheet = wb.worksheets[0]!
    expect(sheet.rowCount).toBe(9)
    expect(sheet.getRow(2).values).toContain('客户电话: 系统中没有这位客户: 13900000009')
    expect(sheet.getRow(3).values).toContain('client name: several clients of that name: give the phone or number (2)')
  })

  it('imports history without firing anything: last contact only moves forward, KPIs and reports leave it out; a re-import writes nothing twice', async () => {
    const { manager, old, fresh } = await branch()
    const lastBefore = q<string>('SELECT last_follow_up_at FROM clients WHERE id = ?', old.id)
    const tasksBefore = q<number>('SELECT count(*) FROM tasks')
    const noticesBefore = q<number>('SELECT count(*) FROM notifications')
    const kpiBefore = await manager.call('reports.kpis', PERIOD)
    const file = await historySheet(fresh.code)
    const id = await upload(manager, file)
    await checkImport(host, manager, id)
    const { jobId } = await manager.call('imports.start', { importId: id })
    expect(await host.jobs.finished(jobId!)).toMatchObject({ created: 3, skipped: 0, cancelled: 0 })
    expect((await manager.call('imports.get', { importId: id })).status).toBe('done')

    const rows = host.database.sqlite.prepare('SELECT client_id, staff_id, channel, content, created_at, next_action, next_due_at, import_id, import_row FROM follow_ups WHERE import_id IS NOT NULL ORDER BY import_row').all()
    expect(rows).toMatchObject([
      { client_id: old.id, channel: 'phone', content: '问了学区', created_at: '2026-11-18T02:00:00.000Z', next_due_at: '2026-11-18T16:00:00.000Z', import_id: id, import_row: 2 },
      { client_id: fresh.id, channel: 'visit', content: '看了样板间', created_at: '2026-11-21T07:30:00.000Z', next_action: '周末再约', import_row: 3 },
      { client_id: old.id, channel: 'wechat', created_at: '2025-12-08T22:00:00.000Z', import_row: 12 },
    ])
    // older history leaves 老客户's last contact alone; 新客户 had none, and gets the imported one
    expect(q('SELECT last_follow_up_at FROM clients WHERE id = ?', old.id)).toBe(lastBefore)
    expect(q('SELECT last_follow_up_at FROM clients WHERE id = ?', fresh.id)).toBe('2026-11-21T07:30:00.000Z')
    // nothing fired for the past: no task, no notice (下次跟进 is kept as written, not scheduled)
    expect(q('SELECT count(*) FROM tasks')).toBe(tasksBefore)
    expect(q('SELECT count(*) FROM notifications')).toBe(noticesBefore)
    // imported history is told apart in the client's log
    const log = await manager.call('followups.list', { clientId: old.id })
    expect(log.rows.map((r) => [r.content, r.imported])).toContainEqual(['问了学区', true])
    expect(log.rows.map((r) => [r.content, r.imported])).toContainEqual(['首次来电', false])
    // no agent's contact: her follow-up count, and 新客户's response time (no contact logged in Keyuan) stay as they were
    const agentRow = (r: Awaited<ReturnType<typeof manager.call<'reports.followUpsVsDeals'>>>) => r.agents.find((a) => a.name === '王芳')
    expect(agentRow(await manager.call('reports.followUpsVsDeals', PERIOD))?.followUps).toBe(1)
    const kpiAfter = await manager.call('reports.kpis', PERIOD)
    expect(kpiAfter.branch?.responseHours).toEqual(kpiBefore.branch?.responseHours)
    expect(q<number>("SELECT count(*) FROM audit_log WHERE action = 'imports.rows'")).toBeGreaterThan(0)

    // the same sheet again: every row already recorded
    const again = await upload(manager, file)
    const view = await checkImport(host, manager, again)
    expect(view.counts).toMatchObject({ create: 0, refuse: 8, skip: 5 })
    await expect(manager.call('imports.start', { importId: again })).rejects.toMatchObject({ error: { code: 'CONFLICT', reason: 'nothing_to_import' } })
    expect(q('SELECT count(*) FROM follow_ups WHERE import_id IS NOT NULL')).toBe(3)
  })

  it('a cancel mid-way leaves whole rows only; importing the sheet again writes the rest once', async () => {
    const { manager, fresh } = await branch()
    const file = await historySheet(fresh.code, 900)
    const id = await upload(manager, file)
    const view = await checkImport(host, manager, id)
    const toCreate = view.counts!.create
    expect(toCreate).toBe(903)
    const { jobId } = await manager.call('imports.start', { importId: id })
    for (let i = 0; i < 10_000 && q<number>('SELECT done FROM jobs WHERE id = ?', jobId) === 0; i++) await new Promise((r) => setImmediate(r))
    await manager.call('imports.cancel', { importId: id })
    expect(await host.jobs.finished(jobId!)).toMatchObject({ cancelled: 1 })
    const written = q<number>('SELECT count(*) FROM client_import_rows WHERE import_id = ? AND done = 1', id)
    expect(written).toBeGreaterThan(0)
    expect(written).toBeLessThan(toCreate)
    // whole rows: each row marked done has its follow-up, and no follow-up lacks its row
    expect(q('SELECT count(*) FROM follow_ups WHERE import_id = ?', id)).toBe(written)
    expect(q('SELECT count(*) FROM follow_ups f WHERE import_id = ? AND NOT EXISTS (SELECT 1 FROM client_import_rows r WHERE r.import_id = f.import_id AND r.row_no = f.import_row AND r.done = 1)', id)).toBe(0)

    const again = await upload(manager, file)
    expect((await checkImport(host, manager, again)).counts).toMatchObject({ create: toCreate - written })
    const { jobId: second } = await manager.call('imports.start', { importId: again })
    await host.jobs.finished(second!)
    expect(q('SELECT count(*) FROM follow_ups WHERE import_id IS NOT NULL')).toBe(toCreate)
    expect(q('SELECT count(*) FROM (SELECT 1 FROM follow_ups GROUP BY client_id, created_at, content HAVING count(*) > 1)')).toBe(0)
  })

  it('refuses agents and a kind changed mid-upload; a follow-up mapping on a client list is refused by field', async () => {
    const { manager, agent, fresh } = await branch()
    const b64 = (await historySheet(fresh.code)).toString('base64')
    await expect(agent.call('imports.upload', { kind: 'followUps', fileName: 'a.xlsx', chunkBase64: b64.slice(0, 4000), last: false })).rejects.toMatchObject({ error: { code: 'FORBIDDEN' } })
    const first = await manager.call('imports.upload', { kind: 'followUps', fileName: 'a.xlsx', chunkBase64: b64.slice(0, 4000), last: false })
    await expect(agent.call('imports.check', { importId: first.importId })).rejects.toMatchObject({ error: { code: 'FORBIDDEN' } })
    await expect(manager.call('imports.upload', { importId: first.importId, kind: 'clients', fileName: 'a.xlsx', chunkBase64: b64.slice(4000, 8000), last: false })).rejects.toMatchObject({
      error: { code: 'VALIDATION', field: 'kind', reason: 'kind_changed' },
    })
    const clients = (await manager.call('imports.upload', { fileName: 'c.csv', chunkBase64: Buffer.from('姓名,电话,跟进内容\n张三,13912345678,x\n').toString('base64'), last: true })).importId
    await expect(manager.call('imports.check', { importId: clients, mapping: { '0': 'name', '1': 'phone', '2': 'content' } })).rejects.toMatchObject({
      error: { code: 'VALIDATION', field: 'mapping', reason: 'wrong_kind', params: { field: 'content' } },
    })
  })
})
