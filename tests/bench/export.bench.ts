/**
 * Export of the client grid to xlsx: `npm run bench -- export`.
 *
 * - a manager's export of every client (no filter, the grid's default sort), from export.start to
 *   the file fetched over HTTP, on 100,000 clients against 1,000 (the baseline): the ratio says
 *   whether the work is linear (~100x);
 * - the host's peak memory meanwhile (resident set and JS heap, sampled), against its memory just
 *   before: the export streams, so it should not grow with the rows.
 *
 * - on the large book, the grid read whole in export-sized slices of 2,000 rows (the default sort),
 *   the slices seeking by key as exports do (clientsAfter) against OFFSET pages of the grid
 *   (listClients), same run: the first and the deepest full slice and the whole read of each.
 *
 * Printed, never asserted. KEYUAN_BENCH_QUICK=1 (or KEYUAN_BENCH_EXPORT_SIZE=n): the baseline and
 * one small book only.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import { Kysely, SqliteDialect } from 'kysely'
import type { SessionInfo } from '../../electron/host/api/handler'
import type { PageKey } from '../../electron/host/db/keyset'
import type { DB } from '../../electron/host/db/schema'
import { clientsAfter, GridTotals, listClients } from '../../electron/host/domains/clients/client-grid'
import { ManualClock } from '../../electron/host/clock'
import { generateClients } from '../../electron/host/demo/generate-clients'
import { startHost } from '../../electron/host/host'
import { fmtMs, fmtRatio, printTable, verdict, type Benchmark, type SummaryRow } from './lib/stats'

const ADMIN_PASSWORD = 'bench-admin-pass'
const STAFF_PASSWORD = 'bench-staff-pass'
const BASELINE = 1_000
const LARGE = Number(process.env.KEYUAN_BENCH_EXPORT_SIZE ?? (process.env.KEYUAN_BENCH_QUICK === '1' ? 5_000 : 100_000))
const TARGET_MS = 20_000
const MB = 1024 * 1024

/** Rows an export slice reads at most (export-job.ts MAX_SLICE). */
const SLICE = 2_000

/** Reading the whole grid in slices one way: the first and the deepest full slice and the total, in ms. */
interface SliceRead {
  first: number
  last: number
  total: number
  slices: number
}

/**
 * The manager's grid (default sort, no filter) read whole in SLICE-row slices, on the host's own
 * database handle: by key after the last row (as an export) or at an OFFSET (as the grid's pages).
 */
async function readSlices(sqlite: ConstructorParameters<typeof SqliteDialect>[0]['database'], managerId: number, how: 'keyset' | 'offset'): Promise<SliceRead> {
  const db = new Kysely<DB>({ dialect: new SqliteDialect({ database: sqlite }) })
  const viewer: SessionInfo = { tokenHash: '', staffId: managerId, username: 'mgr', name: '店长', role: 'manager', team: null, expiresAt: '' }
  const now = new Date('2026-11-25T02:00:00Z')
  const times: number[] = []
  let last = 0
  let after: PageKey | null = null
  for (let offset = 0; ; offset += SLICE) {
    const t0 = performance.now()
    let read: number
    if (how === 'keyset') {
      const slice = await clientsAfter(db, { view: 'all', filter: {} }, viewer, now, null, after, SLICE)
      after = slice.last
      read = slice.read
    } else {
      read = (await listClients(db, { view: 'all', filter: {}, offset, limit: SLICE, exactTotal: false }, viewer, now, new GridTotals())).rows.length
    }
    const ms = performance.now() - t0
    times.push(ms)
    if (read < SLICE) break
    last = ms
  }
  return { first: times[0]!, last, total: times.reduce((a, b) => a + b, 0), slices: times.length }
}

interface Measured {
  slices?: { keyset: SliceRead; offset: SliceRead }
  rows: number
  ms: number
  bytes: number
  rssBefore: number
  rssPeak: number
  heapBefore: number
  heapPeak: number
}

/** A fresh host with `size` clients, one manager's export of all of them fetched over HTTP. */
async function measure(size: number): Promise<Measured> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'keyuan-bench-export-'))
  const clock = new ManualClock(new Date('2026-11-25T02:00:00Z'))
  const host = await startHost({ dataDir, port: 0, schedulerIntervalMs: 0, clock, env: { KEYUAN_ADMIN_PASSWORD: ADMIN_PASSWORD } })
  try {
    const admin = host.client()
    await admin.call('auth.login', { username: 'admin', password: ADMIN_PASSWORD })
    const agent = await admin.call('staff.create', { username: 'agent', name: '经纪人', role: 'agent', password: STAFF_PASSWORD })
    const mgr = await admin.call('staff.create', { username: 'mgr', name: '店长', role: 'manager', password: STAFF_PASSWORD })
    generateClients(host.database.sqlite, { clients: size, ownerIds: [agent.id], now: clock.now() })
    host.database.sqlite.exec('ANALYZE')
    const manager = host.client()
    await manager.call('auth.login', { username: 'mgr', password: STAFF_PASSWORD })
    await manager.call('export.setSettings', { rowCap: 1_000_000 })
    global.gc?.()
    const rssBefore = process.memoryUsage().rss
    const heapBefore = process.memoryUsage().heapUsed
    let rssPeak = rssBefore
    let heapPeak = heapBefore
    const sampler = setInterval(() => {
      const m = process.memoryUsage()
      rssPeak = Math.max(rssPeak, m.rss)
      heapPeak = Math.max(heapPeak, m.heapUsed)
    }, 20)
    const t0 = performance.now()
    const started = await manager.call('export.start', { grid: 'clients', query: {} })
    if (started.status === 'running') await host.jobs.finished(started.id)
    const view = await manager.call('export.status', { id: started.id })
    const res = await fetch(`${host.url}${view.download}`)
    const bytes = (await res.arrayBuffer()).byteLength
    const ms = performance.now() - t0
    clearInterval(sampler)
    // the reads alone, each way twice (the first of each warms the page cache for the second)
    let slices: Measured['slices']
    if (size === LARGE) {
      await readSlices(host.database.sqlite, mgr.id, 'offset')
      const offset = await readSlices(host.database.sqlite, mgr.id, 'offset')
      await readSlices(host.database.sqlite, mgr.id, 'keyset')
      const keyset = await readSlices(host.database.sqlite, mgr.id, 'keyset')
      slices = { keyset, offset }
    }
    return { rows: view.done, ms, bytes, rssBefore, rssPeak, heapBefore, heapPeak, slices }
  } finally {
    await host.close()
    fs.rmSync(dataDir, { recursive: true, force: true })
  }
}

const mb = (n: number) => `${(n / MB).toFixed(1)} MB`

export const exportBench: Benchmark = {
  name: 'export',
  description: `client grid to xlsx, streamed, fetched over HTTP: ${LARGE.toLocaleString('en')} rows vs ${BASELINE.toLocaleString('en')}, with peak memory`,
  async run(): Promise<SummaryRow[]> {
    const base = await measure(BASELINE)
    const large = await measure(LARGE)
    printTable(
      ['rows', 'time', 'file', 'rss before → peak', 'heap before → peak'],
      [base, large].map((m) => [m.rows.toLocaleString('en'), fmtMs(m.ms), mb(m.bytes), `${mb(m.rssBefore)} → ${mb(m.rssPeak)}`, `${mb(m.heapBefore)} → ${mb(m.heapPeak)}`]),
    )
    const met = large.ms < TARGET_MS
    console.log(`\nexport of ${large.rows.toLocaleString('en')} rows: ${fmtMs(large.ms)} (target < ${fmtMs(TARGET_MS)}: ${verdict(met)})`)
    const { keyset, offset } = large.slices!
    console.log(`\nthe grid read whole in ${keyset.slices} slices of ${SLICE.toLocaleString('en')} (default sort, no filter):`)
    printTable(
      ['slices', 'first slice', 'deepest full slice', 'all slices'],
      [
        ['by key (export)', fmtMs(keyset.first), fmtMs(keyset.last), fmtMs(keyset.total)],
        ['at an OFFSET (grid pages)', fmtMs(offset.first), fmtMs(offset.last), fmtMs(offset.total)],
      ],
    )
    return [
      {
        bench: 'export',
        measure: `export ${large.rows.toLocaleString('en')} clients, end to end`,
        value: fmtMs(large.ms),
        baseline: fmtMs(base.ms),
        ratio: fmtRatio(large.ms / base.ms),
        target: `< ${fmtMs(TARGET_MS)}`,
        met: LARGE >= 100_000 ? met : null,
      },
      {
        bench: 'export',
        measure: `grid read in ${SLICE.toLocaleString('en')}-row slices by key (baseline: by OFFSET)`,
        value: fmtMs(keyset.total),
        baseline: fmtMs(offset.total),
        ratio: fmtRatio(keyset.total / offset.total),
        target: '',
        met: null,
      },
      {
        bench: 'export',
        measure: 'peak heap growth during it',
        value: mb(large.heapPeak - large.heapBefore),
        baseline: mb(base.heapPeak - base.heapBefore),
        ratio: fmtRatio((large.heapPeak - large.heapBefore) / Math.max(1, base.heapPeak - base.heapBefore)),
        target: '',
        met: null,
      },
    ]
  },
}
