import ExcelJS from 'exceljs'
import { afterEach, describe, expect, it } from 'vitest'
import { z } from 'zod'
import type { ApiClient } from '@shared/contract/client'
import { buildSearchTerms } from '../../electron/host/domains/clients/search-terms'
import { importJob, type PreparedRows } from '../../electron/host/domains/imports/import-job'
import type { AnyJobKind, JobKind } from '../../electron/host/jobs/job-kind'
import { JobRunner } from '../../electron/host/jobs/job-runner'
import { insertJob } from '../../electron/host/jobs/jobs.repository'
import { adminClient } from '../helpers/staff'
import { startTempHost } from '../helpers/temp-host'

let host: Awaited<ReturnType<typeof startTempHost>>
afterEach(() => host.cleanup())

const Params = z.strictObject({})
const Cursor = z.strictObject({ n: z.number().int() })
type Seen = { slice: number; prepared: unknown }

/**
 * A job of `slices` slices of which each says what it was handed, and whose `prepare` says what it
 * was asked (the cursor it starts from, how many items) and answers with that cursor;
 * `fail(i)`: the prepare for slice i rejects.
 */
function aheadKind(slices: number, seen: Seen[], asked: Array<{ n: number; size: number }>, fail: (n: number) => boolean) {
  const kind: JobKind<z.infer<typeof Params>, z.infer<typeof Cursor>, { madeFor: number }> = {
    kind: 'test.ahead',
    params: Params,
    cursor: Cursor,
    firstSize: 20,
    async prepare(reader, job, size) {
      asked.push({ n: job.cursor.n, size })
      // a read on the reader, as an import's is
      await reader.selectFrom('jobs').select('id').where('id', '=', job.id).execute()
      if (fail(job.cursor.n)) throw new Error('no luck')
      return { madeFor: job.cursor.n }
    },
    async slice(db, job, _size, _env, prepared) {
      seen.push({ slice: job.cursor.n, prepared })
      await db.selectFrom('jobs').select('id').where('id', '=', job.id).execute()
      const n = job.cursor.n + 1
      return { cursor: { n }, done: n, finished: n >= slices }
    },
  }
  return kind
}

describe('a job kind that prepares its next slice ahead', () => {
  it('each slice is handed what was prepared for it after the slice before committed; a prepare that failed hands nothing and the job goes on', async () => {
    host = await startTempHost()
    await host.jobs.stop()
    const seen: Seen[] = []
    const asked: Array<{ n: number; size: number }> = []
    const kind = aheadKind(5, seen, asked, (n) => n === 2)
    const runner = new JobRunner({ db: host.pool.jobWriter, reader: host.pool.jobReader, env: { clock: host.clock, events: host.events, auditLog: host.auditLog }, kinds: [kind as AnyJobKind] })
    const id = await insertJob(host.pool.writer, kind, { total: null, createdBy: null, at: host.clock.now().toISOString(), params: {}, cursor: { n: 0 } })
    runner.start()
    await runner.finished(id)
    await runner.stop()
    expect(seen).toEqual([
      { slice: 0, prepared: undefined },
      { slice: 1, prepared: { madeFor: 1 } },
      { slice: 2, prepared: undefined },
      { slice: 3, prepared: { madeFor: 3 } },
      { slice: 4, prepared: { madeFor: 4 } },
    ])
    // from where each slice ended, as many items as the next was then sized to (none after the last)
    expect(asked.map((a) => a.n)).toEqual([1, 2, 3, 4])
    for (const a of asked) expect(a.size).toBeGreaterThanOrEqual(10)
  })

  it('without a reader the runner prepares nothing: every slice does its own work', async () => {
    host = await startTempHost()
    await host.jobs.stop()
    const seen: Seen[] = []
    const asked: Array<{ n: number; size: number }> = []
    const kind = aheadKind(3, seen, asked, () => false)
    const runner = new JobRunner({ db: host.pool.jobWriter, env: { clock: host.clock, events: host.events, auditLog: host.auditLog }, kinds: [kind as AnyJobKind] })
    const id = await insertJob(host.pool.writer, kind, { total: null, createdBy: null, at: host.clock.now().toISOString(), params: {}, cursor: { n: 0 } })
    runner.start()
    await runner.finished(id)
    await runner.stop()
    expect(asked).toEqual([])
    expect(seen.map((s) => s.prepared)).toEqual([undefined, undefined, undefined])
  })
})

/** Three new clients, rows 2 to 4. */
async function workbook(): Promise<Buffer> {
  const wb = new ExcelJS.Workbook()
  const ws = wb.addWorksheet('客户')
  ws.addRow(['客户姓名', '手机'])
  ws.addRow(['张三', 13912345678])
  ws.addRow(['李四', 13912345679])
  ws.addRow(['王五', 13912345680])
  return Buffer.from(await wb.xlsx.writeBuffer())
}

/** An import checked and started with the host's runner stopped: its job waits for the test to work its slices. */
async function startedImport(admin: ApiClient) {
  const b64 = (await workbook()).toString('base64')
  const { importId } = await admin.call('imports.upload', { fileName: '客户.xlsx', chunkBase64: b64, last: true })
  await admin.call('imports.check', { importId })
  await host.jobs.stop()
  const { jobId } = await admin.call('imports.start', { importId })
  const params = JSON.parse(host.database.sqlite.prepare('SELECT params FROM jobs WHERE id = ?').pluck().get(jobId) as string) as z.infer<typeof importJob.params>
  const job = { id: jobId!, params, cursor: { lastRow: 0, created: 0, merged: 0, skipped: 0 }, done: 0 }
  const env = { clock: host.clock, events: host.events, auditLog: host.auditLog }
  const slice = (prepared?: PreparedRows) => host.pool.jobWriter.transaction().execute((trx) => importJob.slice(trx, job, 100, env, prepared))
  return { importId, job, slice }
}

/** The clients in the book with their search terms, as `term|field|pos` sorted. */
function clientsWithTerms() {
  const clients = host.database.sqlite.prepare('SELECT id, code, name, primary_phone FROM clients ORDER BY id').all() as Array<{ id: number; code: string; name: string; primary_phone: string }>
  return clients.map((c) => ({
    name: c.name,
    terms: (host.database.sqlite.prepare('SELECT term, field, pos FROM search_terms WHERE client_id = ?').all(c.id) as Array<{ term: string; field: number; pos: number }>).map((t) => `${t.term}|${t.field}|${t.pos}`).sort(),
    expected: buildSearchTerms({ name: c.name, code: c.code, phoneDigits: [c.primary_phone.replace(/\D/g, '')] })
      .map((t) => `${t.term}|${t.field}|${t.pos}`)
      .sort(),
  }))
}

describe('the client import prepared ahead', () => {
  it('a row whose stored value changed after it was prepared is written as stored, never as prepared', async () => {
    host = await startTempHost()
    const admin = await adminClient(host)
    const { importId, job, slice } = await startedImport(admin)
    const prepared = await importJob.prepare!(host.pool.reader, job, 100)
    expect([...prepared.rows.keys()]).toEqual([2, 3, 4])
    // the row's value changes between the prepare and the slice (as a check run again would store)
    host.database.sqlite.prepare("UPDATE client_import_rows SET value = replace(value, '张三', '张三丰') WHERE import_id = ? AND row_no = 2").run(importId)
    await slice(prepared)
    const book = clientsWithTerms()
    expect(book.map((c) => c.name)).toEqual(['张三丰', '李四', '王五'])
    for (const c of book) expect(c.terms).toEqual(c.expected)
  })

  it("rows prepared for another import are not this one's: the slice reads its own", async () => {
    host = await startTempHost()
    const admin = await adminClient(host)
    const { importId, job, slice } = await startedImport(admin)
    const made = await importJob.prepare!(host.pool.reader, job, 100)
    // the same row numbers and texts, under another import's id, with other values behind them
    const other: PreparedRows = { importId: importId + 1, rows: new Map([...made.rows].map(([rowNo, r]) => [rowNo, { ...r, v: { ...r.v, name: '别人' }, terms: [] }])) }
    await slice(other)
    const book = clientsWithTerms()
    expect(book.map((c) => c.name)).toEqual(['张三', '李四', '王五'])
    for (const c of book) expect(c.terms).toEqual(c.expected)
  })

  it('an import cancelled after its next slice was prepared writes nothing more', async () => {
    host = await startTempHost()
    const admin = await adminClient(host)
    const { importId, job, slice } = await startedImport(admin)
    const prepared = await importJob.prepare!(host.pool.reader, job, 100)
    await admin.call('imports.cancel', { importId })
    const out = await slice(prepared)
    expect(out.finished).toBe(true)
    expect(out.result).toMatchObject({ created: 0, cancelled: 1 })
    expect(host.database.sqlite.prepare('SELECT count(*) FROM clients').pluck().get()).toBe(0)
    expect(host.database.sqlite.prepare('SELECT count(*) FROM search_terms').pluck().get()).toBe(0)
  })

  it('prepares the rows after the cursor still to write, as many as asked', async () => {
    host = await startTempHost()
    const admin = await adminClient(host)
    const { importId, job } = await startedImport(admin)
    expect([...(await importJob.prepare!(host.pool.reader, job, 2)).rows.keys()]).toEqual([2, 3])
    expect([...(await importJob.prepare!(host.pool.reader, { ...job, cursor: { ...job.cursor, lastRow: 2 } }, 100)).rows.keys()]).toEqual([3, 4])
    host.database.sqlite.prepare('UPDATE client_import_rows SET done = 1 WHERE import_id = ? AND row_no = 3').run(importId)
    expect([...(await importJob.prepare!(host.pool.reader, job, 100)).rows.keys()]).toEqual([2, 4])
  })
})
