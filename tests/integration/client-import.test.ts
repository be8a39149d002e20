import ExcelJS from 'exceljs'
import { afterEach, describe, expect, it } from 'vitest'
import type { ApiClient } from '@shared/contract/client'
import { ApiCallError } from '@shared/contract/client'
import { MAX_CHUNK_BASE64 } from '@shared/contract/imports'
import { ManualClock } from '../../electron/host/clock'
import type { Host } from '../../electron/host/host'
import { adminClient, STAFF_PASSWORD, staffClient } from '../helpers/staff'
import { checkImport } from '../helpers/import-check'
import { importJob } from '../../electron/host/domains/imports/import-job'
import { IMPORT_PART_ROWS } from '../../electron/host/domains/imports/import-slices'
import { startTempHost } from '../helpers/temp-host'

let host: Host & { cleanup(): Promise<void> }
afterEach(() => host.cleanup())

const q = <T = unknown>(sql: string, ...params: unknown[]) => host.database.sqlite.prepare(sql).pluck().get(...params) as T

/** A manager, an agent 王芳 who owns one client (phone 13900000001), and an agent's client. */
async function branch() {
  host = await startTempHost({ clock: new ManualClock(new Date('2026-11-25T02:00:00Z')) })
  const admin = await adminClient(host)
  const manager = (await staffClient(host, admin, 'manager', 'mgr')).client
  await admin.call('staff.create', { username: 'wangfang', name: '王芳', role: 'agent', password: STAFF_PASSWORD })
  const agent = host.client()
  await agent.call('auth.login', { username: 'wangfang', password: STAFF_PASSWORD })
  const existing = await agent.call('clients.create', { kind: 'person', name: '老客户', phones: [{ number: '13900000001' }], sourceChannel: 'phone' })
  return { admin, manager, agent, existing }
}

/** The branch's sheet: good rows, each kind of bad row, one phone already in the book, a merged 经纪人 column. */
async function branchWorkbook(extraRows = 0): Promise<Buffer> {
  const wb = new ExcelJS.Workbook()
  const ws = wb.addWorksheet('客户')
  ws.addRow(['客户姓名', '手机', '性别', '来源', '意向区域', '预算', '生日', '归属经纪人', '备注'])
  ws.addRow(['张三', 13912345678, '男', '上门', '浦东', '300万', new Date(Date.UTC(1985, 4, 20)), '王芳', '看过两次']) // row 2: create
  ws.addRow([{ formula: '"李"&"四"', result: '李四' }, 13912345679, '女', '抖音', '', '', null, null, '']) // row 3: create (王芳 by merge)
  ws.addRow(['老客户新资料', '139-0000-0001', '女', '电话', '徐汇', '', null, null, '']) // row 4: merge into the book's client
  ws.addRow(['', 13912345670, '', '', '', '', null, '王芳', '']) // row 5: blank name
  ws.addRow(['赵六', '1391234', '', '', '', '', null, '王芳', '']) // row 6: bad phone
  ws.addRow(['钱七', 13912345671, '未知', '', '', '', null, '王芳', '']) // row 7: unknown enum
  ws.addRow(['孙八', 13912345672, '', '', '', '0.1万', null, '王芳', '']) // row 8: out of range
  ws.addRow(['张三丰', 13912345678, '', '', '', '', null, '王芳', '']) // row 9: duplicate of row 2
  ws.addRow(['周九', 13912345673, '', '', '', '', null, '李雷', '']) // row 10: unknown agent
  ws.mergeCells('H2:H4')
  for (let i = 0; i < extraRows; i++) ws.addRow([`批量${i}`, 13800000000 + i, '', '', '', '', null, '王芳', ''])
  return Buffer.from(await wb.xlsx.writeBuffer())
}

/** Uploads a file in chunks as the transport would carry them. */
async function upload(client: ApiClient, bytes: Buffer, fileName = '客户.xlsx', chunk = MAX_CHUNK_BASE64): Promise<number> {
  const b64 = bytes.toString('base64')
  let importId: number | undefined
  for (let i = 0; i < b64.length; i += chunk) {
    const r = await client.call('imports.upload', { ...(importId ? { importId } : {}), fileName, chunkBase64: b64.slice(i, i + chunk), last: i + chunk >= b64.length })
    importId = r.importId
  }
  return importId!
}

describe('client import', () => {
  it('dry run: every row created, merged or refused with the field and why; nothing written', async () => {
    const { manager, existing } = await branch()
    const id = await upload(manager, await branchWorkbook(), '客户.xlsx', 4000)
    const view = await checkImport(host, manager, id)
    expect(view.mappingFrom).toBe('guessed')
    expect(Object.values(view.mapping).sort()).toEqual(['birthDate', 'budget', 'gender', 'name', 'note', 'owner', 'phone', 'region', 'sourceChannel'].sort())
    expect(view.counts).toMatchObject({ rows: 9, create: 2, merge: 1, refuse: 6, skip: 0 })
    const refused = await manager.call('imports.rows', { importId: id, verdict: 'refuse' })
    expect(refused.rows.map((r) => [r.rowNo, r.field, r.reason])).toEqual([
      [5, 'name', 'blank_name'],
      [6, 'phone', 'phone_invalid'],
      [7, 'gender', 'unknown_value'],
      [8, 'budget', 'out_of_range'],
      [9, 'phone', 'duplicate_in_file'],
      [10, 'owner', 'unknown_owner'],
    ])
    expect(refused.rows.find((r) => r.rowNo === 9)?.params).toEqual({ row: 2 })
    const merge = await manager.call('imports.rows', { importId: id, verdict: 'merge' })
    expect(merge.rows[0]).toMatchObject({ rowNo: 4, existing: { clientId: existing.id, name: '老客户', ownerName: '王芳' } })
    const page = await manager.call('imports.rows', { importId: id, verdict: 'refuse', offset: 4, limit: 2 })
    expect([page.total, page.rows.map((r) => r.rowNo)]).toEqual([6, [9, 10]])
    expect(q('SELECT count(*) FROM clients')).toBe(1)
    // the same layout next time: the mapping is remembered
    const again = await checkImport(host, manager, await upload(manager, await branchWorkbook(1)))
    expect(again.mappingFrom).toBe('remembered')
  })

  it('imports as a job: creates and merges whole rows, keeps the original row, audits; a re-import creates nothing twice', async () => {
    const { manager, agent, existing } = await branch()
    const file = await branchWorkbook()
    const id = await upload(manager, file)
    await checkImport(host, manager, id)
    const started = await manager.call('imports.start', { importId: id })
    expect(started.status).toBe('importing')
    expect(await host.jobs.finished(started.jobId!)).toMatchObject({ created: 2, merged: 1, cancelled: 0 })
    const done = await manager.call('imports.get', { importId: id })
    expect(done).toMatchObject({ status: 'done', counts: { created: 2, merged: 1 }, progress: { done: 3, total: 3 } })
    expect(q("SELECT count(*) FROM clients WHERE data_origin = 'external'")).toBe(2)
    // the file itself is dropped once imported; its rows as read stay
    expect(q('SELECT count(*) FROM client_import_chunks WHERE import_id = ?', id)).toBe(0)
    expect(q('SELECT count(*) FROM client_origins')).toBe(3)
    expect(JSON.parse(q<string>("SELECT o.raw FROM client_origins o JOIN clients c ON c.id = o.client_id WHERE c.name = '张三'"))).toEqual(['张三', '13912345678', '男', '上门', '浦东', '300万', '1985-05-20', '王芳', '看过两次'])
    // the merged client keeps its name and owner, and gains what it lacked
    const merged = await agent.call('clients.get', { id: existing.id })
    expect(merged).toMatchObject({ name: '老客户', gender: 'female', region: '徐汇' })
    // 张三 and 李四 (the merged 经纪人 cell) belong to 王芳, found by search
    const mine = await agent.call('clients.search', { q: '李四' })
    expect(mine.hits.map((r) => r.name)).toContain('李四')
    expect(q<number>("SELECT count(*) FROM audit_log WHERE action = 'imports.rows'")).toBeGreaterThan(0)

    const again = await upload(manager, file)
    const view = await checkImport(host, manager, again)
    expect(view.counts).toMatchObject({ skip: 3, create: 0, merge: 0 })
    await expect(manager.call('imports.start', { importId: again })).rejects.toMatchObject({ error: { code: 'CONFLICT', reason: 'nothing_to_import' } })
    expect(q('SELECT count(*) FROM clients')).toBe(3)

    // the error workbook: the refused rows with their cells and a reason column
    const errors = await manager.call('imports.errors', { importId: id })
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.load(Buffer.from(errors.fileBase64, 'base64') as unknown as ArrayBuffer)
    const sheet = wb.worksheets[0]!
    expect(sheet.rowCount).toBe(7)
    expect(sheet.getRow(1).getCell(11).value).toBe('原因')
    expect(sheet.getRow(2).getCell(10).value).toBe(5)
    expect(String(sheet.getRow(2).getCell(11).value)).toContain('姓名')
  })

  it('a cancel mid-way leaves whole rows only; importing the file again writes the rest once', async () => {
    const { manager } = await branch()
    const file = await branchWorkbook(150)
    const id = await upload(manager, file)
    await checkImport(host, manager, id)
    const { jobId } = await manager.call('imports.start', { importId: id })
    // wait for the first slice to commit, then cancel before the last
    for (let i = 0; i < 10_000 && q<number>('SELECT done FROM jobs WHERE id = ?', jobId) === 0; i++) await new Promise((r) => setImmediate(r))
    await manager.call('imports.cancel', { importId: id })
    expect(await host.jobs.finished(jobId!)).toMatchObject({ cancelled: 1 })
    const written = q<number>('SELECT count(*) FROM client_import_rows WHERE import_id = ? AND done = 1', id)
    expect(written).toBeGreaterThan(0)
    expect(written).toBeLessThan(153)
    // whole rows: each written row has its client with its phone, search terms and origin
    expect(q('SELECT count(*) FROM client_origins WHERE import_id = ?', id)).toBe(written)
    expect(q("SELECT count(*) FROM clients c WHERE data_origin = 'external' AND NOT EXISTS (SELECT 1 FROM client_phones p WHERE p.client_id = c.id)")).toBe(0)
    expect(q("SELECT count(*) FROM clients c WHERE data_origin = 'external' AND NOT EXISTS (SELECT 1 FROM search_terms t WHERE t.client_id = c.id)")).toBe(0)
    // and its inner parts (a phone's later digits) in their own table, none among the whole-field terms (migration 045)
    expect(q("SELECT count(*) FROM clients c WHERE data_origin = 'external' AND NOT EXISTS (SELECT 1 FROM search_inner t WHERE t.client_id = c.id)")).toBe(0)
    expect(q('SELECT count(*) FROM search_terms WHERE pos > 0')).toBe(0)

    const again = await upload(manager, file)
    const view = await checkImport(host, manager, again)
    expect(view.counts!.skip).toBe(written)
    const { jobId: second } = await manager.call('imports.start', { importId: again })
    await host.jobs.finished(second!)
    expect(q("SELECT count(*) FROM clients WHERE data_origin = 'external'")).toBe(152)
    expect(q('SELECT count(*) FROM client_phones GROUP BY e164 HAVING count(*) > 1')).toBeUndefined()
    await expect(manager.call('system.ping', {})).resolves.toBeDefined()
  })

  it('a long slice ends after the part during which a person came to wait (whole rows), and the next slice goes on from there', async () => {
    const { manager } = await branch()
    const id = await upload(manager, await branchWorkbook(450))
    const view = await checkImport(host, manager, id)
    const toWrite = view.counts!.create + view.counts!.merge
    expect(toWrite).toBeGreaterThan(2 * IMPORT_PART_ROWS)
    const params = { importId: id, staffId: 1, staffName: 'admin', fileHash: q<string>('SELECT file_hash FROM client_imports WHERE id = ?', id) }
    const slice = (cursor: { lastRow: number; created: number; merged: number; skipped: number }, heldUp: () => boolean) =>
      host.pool.writer.transaction().execute((trx) =>
        importJob.slice(trx, { id: 0, params, cursor, done: 0 }, 5_000, { clock: host.clock, events: host.events, auditLog: host.auditLog, heldUp }),
      )
    // a call comes to wait while the first part is written: the slice ends after it
    let parts = 0
    const first = await slice({ lastRow: 0, created: 0, merged: 0, skipped: 0 }, () => ++parts >= 1)
    expect(first.finished).toBe(false)
    expect(first.done).toBe(IMPORT_PART_ROWS)
    const written = q<number>('SELECT count(*) FROM client_import_rows WHERE import_id = ? AND done = 1', id)
    expect(written).toBe(IMPORT_PART_ROWS)
    expect(q<number>('SELECT max(row_no) FROM client_import_rows WHERE import_id = ? AND done = 1', id)).toBe(first.cursor.lastRow)
    expect(q('SELECT count(*) FROM client_origins WHERE import_id = ?', id)).toBe(written)
    // nobody waits: the rest in one slice, each row once
    const rest = await slice(first.cursor, () => false)
    expect(rest).toMatchObject({ finished: true, result: { created: view.counts!.create, merged: view.counts!.merge, skipped: 0, cancelled: 0 } })
    expect(q<number>('SELECT count(*) FROM client_import_rows WHERE import_id = ? AND done = 1', id)).toBe(toWrite)
    expect(q('SELECT count(*) FROM client_phones GROUP BY e164 HAVING count(*) > 1')).toBeUndefined()
  })

  it('refuses agents, a colleague’s upload, a wrong file and a GBK CSV is read', async () => {
    const { manager, agent, admin } = await branch()
    await expect(agent.call('imports.upload', { fileName: 'a.csv', chunkBase64: Buffer.from('姓名,电话\n').toString('base64'), last: true })).rejects.toMatchObject({ error: { code: 'FORBIDDEN' } })
    const started = await manager.call('imports.upload', { fileName: 'a.csv', chunkBase64: Buffer.from('姓名,').toString('base64'), last: false })
    await expect(admin.call('imports.upload', { importId: started.importId, fileName: 'a.csv', chunkBase64: '', last: true })).rejects.toMatchObject({ error: { code: 'FORBIDDEN' } })
    const xls = await upload(manager, Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 1, 2, 3, 4]), 'old.xls')
    await expect(manager.call('imports.check', { importId: xls })).rejects.toMatchObject({ error: { code: 'VALIDATION', reason: 'xls_not_supported' } })
    const broken = await upload(manager, Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(64, 7)]), 'broken.xlsx')
    await expect(manager.call('imports.check', { importId: broken })).rejects.toMatchObject({ error: { code: 'VALIDATION', reason: 'not_xlsx' } })
    // 姓名,电话 / 张三,13912345678 in GBK
    const gbk = Buffer.from([0xd0, 0xd5, 0xc3, 0xfb, 0x2c, 0xb5, 0xe7, 0xbb, 0xb0, 0x0d, 0x0a, 0xd5, 0xc5, 0xc8, 0xfd, 0x2c, ...Buffer.from('13912345678\r\n')])
    const csv = await upload(manager, gbk, '客户.csv')
    const view = await checkImport(host, manager, csv)
    expect(view.headers).toEqual(['姓名', '电话'])
    expect((await manager.call('imports.rows', { importId: csv, verdict: 'create' })).rows[0]).toMatchObject({ name: '张三', phone: '13912345678' })
    // headers nobody recognises: answered with no mapping; mapped by hand, the rows are read
    const odd = await upload(manager, Buffer.from('列A,列B\n孙九,13912340000\n'), '导出.csv')
    expect((await checkImport(host, manager, odd)).mapping).toEqual({})
    const byHand = await checkImport(host, manager, odd, { '0': 'name', '1': 'phone' })
    expect([byHand.mappingFrom, byHand.counts?.create]).toEqual(['given', 1])
    const err = await manager.call('imports.check', { importId: csv, mapping: { '0': 'name', '1': 'name' } }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(ApiCallError)
    expect((err as ApiCallError).error).toMatchObject({ field: 'mapping', reason: 'mapped_twice' })
    await expect(manager.call('system.ping', {})).resolves.toBeDefined()
  })
})
