/**
 * The reports of issue #19 through the API on the clients benchmark's book (100,000 clients and a
 * million follow-ups, cached by clients.bench.ts; KEYUAN_BENCH_CLIENTS=n for a smaller one), a year
 * long, each against its own statements run as raw SQL on the same database in the same run:
 * `npm run bench -- reports`. The ratio is the API's overhead and shaping over the bare SQL; the
 * target is the 200 ms per report.
 *
 * The cached folder is copied first (signing in writes sessions and audit rows; only the clients
 * benchmark writes the cache). Printed, never asserted. KEYUAN_BENCH_QUICK=1: fewer rounds.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { InputOf, MethodName } from '@shared/contract'
import { ManualClock } from '../../electron/host/clock'
import { startHost } from '../../electron/host/host'
import { ensureClientsData, STAFF_PASSWORD, staffUsers } from './clients.bench'
import { fmtRatio, fmtStats, printTable, summarize, timeCalls, verdict, type Benchmark, type SummaryRow } from './lib/stats'

const ADMIN_PASSWORD = 'bench-admin-pass'
/** The clients benchmark's "now": its data is a year back from it. */
const NOW = new Date('2026-11-25T02:00:00Z')
const YEAR = { from: new Date(NOW.getTime() - 365 * 86_400_000).toISOString(), to: NOW.toISOString() }
const ROUNDS = process.env.KEYUAN_BENCH_QUICK === '1' ? 5 : 20
const TARGET_MS = 200
/** The target speaks of the full book only: a smaller one (KEYUAN_BENCH_CLIENTS) prints no verdict. */
const FULL_BOOK = (process.env.KEYUAN_BENCH_CLIENTS ?? '') === '' || Number(process.env.KEYUAN_BENCH_CLIENTS) >= 100_000

/** One report: its API call and the same statements as raw SQL (bound to the year). */
interface ReportCase {
  method: MethodName
  input: InputOf<MethodName>
  sql: string[]
}

const P = { from: YEAR.from, to: YEAR.to }
const CASES: ReportCase[] = [
  {
    method: 'reports.districts',
    input: P,
    sql: [
      `SELECT region, count(*), sum(created_at >= @from), sum(wealth_tier = 'high') FROM clients WHERE merged_into IS NULL AND created_at < @to GROUP BY region`,
      `SELECT c.region, count(DISTINCT s.client_id) FROM client_stage_spells s JOIN clients c ON c.id = s.client_id AND c.merged_into IS NULL
         WHERE s.stage IN ('closed', 'repeat') AND s.started_at >= @from AND s.started_at < @to GROUP BY c.region`,
    ],
  },
  {
    method: 'reports.funnel',
    input: P,
    sql: [
      `SELECT s.stage, count(DISTINCT s.client_id) FROM client_stage_spells s JOIN clients c ON c.id = s.client_id AND c.merged_into IS NULL
         WHERE s.stage IN ('potential', 'intent', 'negotiating', 'closed', 'repeat') AND s.started_at < @to AND (s.ended_at IS NULL OR s.ended_at >= @from) GROUP BY s.stage`,
    ],
  },
  {
    method: 'reports.followUpsVsDeals',
    input: P,
    sql: [
      `SELECT staff_id, count(*) FROM follow_ups WHERE created_at >= @from AND created_at < @to AND channel != 'note' AND import_id IS NULL GROUP BY staff_id`,
      `SELECT s.owner_id, count(DISTINCT s.client_id) FROM client_stage_spells s JOIN clients c ON c.id = s.client_id AND c.merged_into IS NULL
         WHERE s.stage IN ('closed', 'repeat') AND s.started_at >= @from AND s.started_at < @to GROUP BY s.owner_id`,
    ],
  },
  {
    method: 'reports.pool',
    input: P,
    sql: [
      `SELECT date(e.at, '+8 hours') AS day, count(*) FROM client_pool_entries e JOIN clients c ON c.id = e.client_id AND c.merged_into IS NULL WHERE e.at >= @from AND e.at < @to GROUP BY day`,
      `SELECT date(claimed_at, '+8 hours') AS day, count(*) FROM pool_claims WHERE claimed_at >= @from AND claimed_at < @to GROUP BY day`,
    ],
  },
  {
    method: 'reports.lostReasons',
    input: P,
    sql: [`SELECT lost_reason, count(*) AS n FROM clients WHERE stage = 'lost' AND lost_at >= @from AND lost_at < @to GROUP BY lost_reason ORDER BY n DESC`],
  },
]

export const reportsBench: Benchmark = {
  name: 'reports',
  description: 'reports of a year through the API (客户地图, funnel, follow-ups vs deals, pool, lost reasons) vs their raw SQL, on the clients benchmark book',
  async run(): Promise<SummaryRow[]> {
    const { dir } = await ensureClientsData()
    const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'keyuan-bench-reports-'))
    fs.cpSync(dir, copy, { recursive: true })
    const host = await startHost({
      dataDir: copy,
      noServer: true,
      port: 0,
      schedulerIntervalMs: 0,
      clock: new ManualClock(NOW),
      env: { KEYUAN_ADMIN_PASSWORD: ADMIN_PASSWORD },
      transportLimits: { callsPerSecond: 1_000_000, callBurst: 1_000_000 },
    })
    try {
      const manager = host.client()
      await manager.call('auth.login', { username: staffUsers().manager.username, password: STAFF_PASSWORD })
      const db = host.database.sqlite
      const out: SummaryRow[] = []
      const table: string[][] = []
      for (const c of CASES) {
        const statements = c.sql.map((s) => db.prepare(s))
        const raw = summarize(await timeCalls(async () => statements.map((s) => s.all(YEAR)), ROUNDS, 2))
        const api = summarize(await timeCalls(() => manager.call(c.method, c.input as never), ROUNDS, 2))
        const met = FULL_BOOK ? api.p50 < TARGET_MS : null
        table.push([c.method, fmtStats(api), fmtStats(raw), fmtRatio(api.p50 / raw.p50), met === null ? '-' : verdict(met)])
        out.push({ bench: 'reports', measure: `${c.method}, a year`, value: fmtStats(api), baseline: `raw SQL ${fmtStats(raw)}`, ratio: fmtRatio(api.p50 / raw.p50), target: `< ${TARGET_MS} ms`, met })
      }
      printTable(['report', 'API (p50 / p95 / mean)', 'raw SQL', 'ratio', `< ${TARGET_MS} ms`], table)
      return out
    } finally {
      await host.close()
      fs.rmSync(copy, { recursive: true, force: true })
    }
  },
}
