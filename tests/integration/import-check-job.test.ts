import fs from 'node:fs'
import path from 'node:path'
import ExcelJS from 'exceljs'
import { afterEach, describe, expect, it } from 'vitest'
import type { ApiClient } from '@shared/contract/client'
import { MAX_CHUNK_BASE64 } from '@shared/contract/imports'
import { ManualClock } from '../../electron/host/clock'
import { checkThreadsStarted } from '../../electron/host/domains/imports/check-thread'
import { startHost, type Host } from '../../electron/host/host'
import { checkImport } from '../helpers/import-check'
import { adminClient, staffClient } from '../helpers/staff'
import { ADMIN_PASSWORD, startTempHost } from '../helpers/temp-host'

let host: Host & { cleanup(): Promise<void> }
afterEach(() => host.cleanup())

const q = <T = unknown>(sql: string, ...params: unknown[]) => host.database.sqlite.prepare(sql).pluck().get(...params) as T
const verdictRows = (importId: number) => q<number>('SELECT count(*) FROM client_import_rows WHERE import_id = ?', importId)

async function branch(): Promise<{ manager: ApiClient; admin: ApiClient }> {
  host = await startTempHost()
  const admin = await adminClient(host)
  const manager = (await staffClient(host, admin, 'manager', 'mgr')).client
  return { manager, admin }
}

/** Row i of the list (file row i + 2): 客户i with phone 150 0000 0000 + i. */
const phoneOf = (i: number) => String(15000000000 + i)

/**
 * A client list of `rows` rows as CSV: every 100th row (i % 100 = 50) has no name; row i = `dupAt`
 * repeats the phone of row 10 (file row 12).
 */
function clientList(rows: number, dupAt = -1): Buffer {
  const lines = ['姓名,电话']
  for (let i = 0; i < rows; i++) lines.push(`${i % 100 === 50 ? '' : `客户${i}`},${i === dupAt ? phoneOf(10) : phoneOf(i)}`)
  return Buffer.from(lines.join('\n'))
}

async function upload(client: ApiClient, bytes: Buffer, fileName = '客户.csv'): Promise<number> {
  const b64 = bytes.toString('base64')
  let importId: number | undefined
  for (let i = 0; i < b64.length; i += MAX_CHUNK_BASE64) {
    importId = (await client.call('imports.upload', { ...(importId ? { importId } : {}), fileName, chunkBase64: b64.slice(i, i + MAX_CHUNK_BASE64), last: i + MAX_CHUNK_BASE64 >= b64.length })).importId
  }
  return importId!
}

/** A client list of `rows` rows as xlsx, its compressed sheet overwritten past its first rows: the header reads, later rows do not. */
async function brokenWorkbook(rows: number): Promise<Buffer> {
  const wb = new ExcelJS.Workbook()
  const ws = wb.addWorksheet('客户')
  ws.addRow(['客户姓名', '手机'])
  for (let i = 0; i < rows; i++) ws.addRow([`客户${i}`, Number(phoneOf(i))])
  const file = Buffer.from(await wb.xlsx.writeBuffer())
  file.fill(0xff, Math.floor(file.length * 0.6), Math.floor(file.length * 0.6) + 40)
  return file
}

/** Lets the host work until the check has judged and stored some rows (its progress), while it still runs. */
async function untilJudging(client: ApiClient, importId: number): Promise<void> {
  for (;;) {
    const view = await client.call('imports.get', { importId })
    if (view.status !== 'checking' || (view.progress?.done ?? 0) > 0) break
    await new Promise((resolve) => setImmediate(resolve))
  }
  const view = await client.call('imports.get', { importId })
  expect([view.status, (view.progress?.done ?? 0) > 0, view.counts]).toEqual(['checking', true, null])
}

describe('the dry run as a job', () => {
  it('judges each row of a long file once, across the thread’s batches and the slices: the counts and verdicts as the rules say', async () => {
    const { manager } = await branch()
    // a client already holding the phone of row 1500: that row merges
    await manager.call('clients.create', { kind: 'person', name: '老客户', phones: [{ number: phoneOf(1500) }], sourceChannel: 'phone' })
    const id = await upload(manager, clientList(2600, 2500))
    const started = await manager.call('imports.check', { importId: id })
    expect([started.status, started.counts]).toEqual(['checking', null])
    await expect(manager.call('imports.rows', { importId: id, verdict: 'create' })).rejects.toMatchObject({ error: { code: 'CONFLICT', reason: 'import_not_checked' } })
    await expect(manager.call('imports.start', { importId: id })).rejects.toMatchObject({ error: { code: 'CONFLICT' } })
    await expect(manager.call('imports.check', { importId: id })).rejects.toMatchObject({ error: { code: 'CONFLICT', reason: 'import_checking' } })
    await host.jobs.finished(started.jobId!)
    const view = await manager.call('imports.get', { importId: id })
    expect(view.status).toBe('checked')
    expect(view.counts).toMatchObject({ rows: 2600, create: 2600 - 26 - 1 - 1, merge: 1, refuse: 27, skip: 0 })
    expect(view.progress?.done).toBe(2600)
    expect(verdictRows(id)).toBe(2600)
    const refused = await manager.call('imports.rows', { importId: id, verdict: 'refuse', limit: 200 })
    const blank = Array.from({ length: 26 }, (_, k) => [k * 100 + 52, 'name', 'blank_name', null])
    const expected = [...blank, [2502, 'phone', 'duplicate_in_file', { row: 12 }]].sort((a, b) => Number(a[0]) - Number(b[0]))
    expect(refused.rows.map((r) => [r.rowNo, r.field, r.reason, r.params])).toEqual(expected)
    const merged = await manager.call('imports.rows', { importId: id, verdict: 'merge' })
    expect(merged.rows.map((r) => [r.rowNo, r.existing?.name])).toEqual([[1502, '老客户']])
    // the rows as read are kept for each verdict
    expect(q('SELECT raw FROM client_import_rows WHERE import_id = ? AND row_no = 2601', id)).toBe(JSON.stringify(['客户2599', phoneOf(2599)]))
    expect(q("SELECT count(*) FROM audit_log WHERE action = 'imports.checked' AND target = ?", `import:${id}`)).toBe(1)
  })

  it('a re-check replaces the verdicts of the last one: none is kept twice, none is stale', async () => {
    const { manager } = await branch()
    const id = await upload(manager, clientList(1500))
    expect((await checkImport(host, manager, id)).counts).toMatchObject({ rows: 1500, create: 1485, merge: 0 })
    await manager.call('clients.create', { kind: 'person', name: '老客户', phones: [{ number: phoneOf(1200) }], sourceChannel: 'phone' })
    const again = await checkImport(host, manager, id)
    expect(again.counts).toMatchObject({ rows: 1500, create: 1484, merge: 1, refuse: 15 })
    expect(verdictRows(id)).toBe(1500)
    expect(q("SELECT verdict FROM client_import_rows WHERE import_id = ? AND row_no = 1202", id)).toBe('merge')
    // a mapping that cannot import (no name column) is refused at once: the verdicts stay as they were
    await expect(manager.call('imports.check', { importId: id, mapping: { '1': 'phone' } })).rejects.toMatchObject({ error: { code: 'VALIDATION', field: 'mapping' } })
    expect((await manager.call('imports.get', { importId: id })).counts).toMatchObject({ merge: 1 })
  })

  it('a cancel mid-check leaves the import with no verdicts and no counts, never part of them', async () => {
    const { manager } = await branch()
    const id = await upload(manager, clientList(12_000))
    expect((await checkImport(host, manager, id)).counts).toMatchObject({ rows: 12_000 })
    const started = await manager.call('imports.check', { importId: id })
    await untilJudging(manager, id)
    const cancelled = await manager.call('imports.cancel', { importId: id })
    expect([cancelled.status, cancelled.counts]).toEqual(['cancelled', null])
    expect(await host.jobs.finished(started.jobId!)).toMatchObject({ stopped: 1 })
    expect(verdictRows(id)).toBe(0)
    await expect(manager.call('imports.rows', { importId: id, verdict: 'create' })).rejects.toMatchObject({ error: { code: 'CONFLICT', reason: 'import_not_checked' } })
    await expect(manager.call('imports.errors', { importId: id })).rejects.toMatchObject({ error: { code: 'CONFLICT', reason: 'import_not_checked' } })
  })

  it('a workbook broken past its first rows: the check stops with the reason on the import, and none of its verdicts', async () => {
    const { manager } = await branch()
    const id = await upload(manager, await brokenWorkbook(3000), '客户.xlsx')
    const started = await manager.call('imports.check', { importId: id })
    expect(started.status).toBe('checking')
    await host.jobs.finished(started.jobId!)
    const view = await manager.call('imports.get', { importId: id })
    expect([view.status, view.counts, view.checkError]).toMatchObject(['uploaded', null, { code: 'VALIDATION', reason: 'not_xlsx', field: 'fileBase64' }])
    expect(verdictRows(id)).toBe(0)
  })

  it('a thread that read its file to the end takes the next check; one cancelled or stopped by a broken file is not kept', async () => {
    const { manager } = await branch()
    expect((await checkImport(host, manager, await upload(manager, clientList(1500)))).counts).toMatchObject({ rows: 1500, create: 1485, refuse: 15 })
    const kept = checkThreadsStarted()
    // the next file, read by the same thread: its own rows only, none of the last file's
    expect((await checkImport(host, manager, await upload(manager, clientList(700, 600)))).counts).toMatchObject({ rows: 700, create: 700 - 7 - 1, refuse: 8 })
    expect(checkThreadsStarted()).toBe(kept)
    // a broken workbook stops its thread: the next check (and the spare its upload starts) has a new one
    const broken = await upload(manager, await brokenWorkbook(3000), '客户.xlsx')
    expect((await checkImport(host, manager, broken)).checkError).toMatchObject({ reason: 'not_xlsx' })
    expect(checkThreadsStarted()).toBe(kept)
    const long = await upload(manager, clientList(12_000))
    expect(checkThreadsStarted()).toBe(kept + 1)
    // a cancelled check stops its thread too
    const started = await manager.call('imports.check', { importId: long })
    await untilJudging(manager, long)
    await manager.call('imports.cancel', { importId: long })
    await host.jobs.finished(started.jobId!)
    expect((await checkImport(host, manager, await upload(manager, clientList(300)))).counts).toMatchObject({ rows: 300, create: 297, refuse: 3 })
    expect(checkThreadsStarted()).toBe(kept + 2)
  })

  it('a host stopped mid-check starts the check over at its next start: each row judged once, the counts whole', async () => {
    const { manager } = await branch()
    const id = await upload(manager, clientList(12_000, 9_000))
    const started = await manager.call('imports.check', { importId: id })
    await untilJudging(manager, id)
    const dataDir = host.dataDir
    await host.close()
    const again = await startHost({ dataDir, clock: new ManualClock(new Date('2026-11-25T02:00:00Z')), noServer: true, schedulerIntervalMs: 0, env: { KEYUAN_ADMIN_PASSWORD: ADMIN_PASSWORD } })
    host = Object.assign(again, { cleanup: async () => (await again.close(), fs.rmSync(path.resolve(dataDir), { recursive: true, force: true })) })
    const admin = host.client()
    await admin.call('auth.login', { username: 'admin', password: ADMIN_PASSWORD })
    await host.jobs.finished(started.jobId!)
    const view = await admin.call('imports.get', { importId: id })
    expect([view.status, view.counts]).toMatchObject(['checked', { rows: 12_000, create: 12_000 - 120 - 1, refuse: 121 }])
    expect(verdictRows(id)).toBe(12_000)
    expect(q('SELECT params FROM client_import_rows WHERE import_id = ? AND row_no = 9002', id)).toBe(JSON.stringify({ row: 12 }))
  })

  it('other callers are answered while a dry run works: a ping comes back while its rows are being judged', async () => {
    const { manager, admin } = await branch()
    const id = await upload(manager, clientList(12_000))
    const started = await manager.call('imports.check', { importId: id })
    await untilJudging(manager, id)
    await admin.call('system.ping', {})
    // answered before the dry run finished
    expect((await manager.call('imports.get', { importId: id })).status).toBe('checking')
    await host.jobs.finished(started.jobId!)
    expect((await manager.call('imports.get', { importId: id })).counts).toMatchObject({ rows: 12_000 })
  })
})
