/**
 * Export of the client grid to xlsx: `npm run bench -- export`.
 *
 * - a manager's export of every client (no filter, the grid's default sort), from export.start to
 *   the file fetched over HTTP, on 100,000 clients against 1,000 (the baseline): the ratio says
 *   whether the work is linear (~100x);
 * - the host's peak memory meanwhile (resident set and JS heap, sampled), against its memory just
 *   before: the export streams, so it should not grow with the rows.
 *
 * Printed, never asserted. KEYUAN_BENCH_QUICK=1 (or KEYUAN_BENCH_EXPORT_SIZE=n): the baseline and
 * one small book only.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
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

interface Measured {
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
    await admin.call('staff.create', { username: 'mgr', name: '店长', role: 'manager', password: STAFF_PASSWORD })
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
    return { rows: view.done, ms, bytes, rssBefore, rssPeak, heapBefore, heapPeak }
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
