/**
 * The reports of issue #19 through the API on the clients benchmark's book (100,000 clients and a
 * million follow-ups, cached by clients.bench.ts; KEYUAN_BENCH_CLIENTS=n for a smaller one), a year
 * long, each against its own statements run as raw SQL on the same database in the same run:
 * `npm run bench -- reports`. The ratio is the API's overhead and shaping over the bare SQL; the
 * target is the issue's 200 ms per report.
 *
 * The cached folder is copied first (signing in writes sessions and audit rows; only the clients
 * benchmark writes the cache). Printed, never asserted. KEYUAN_BENCH_QUICK=1: fewer rounds.
 */
import fs from 'node:fs'
import os from 'node:os'
import { Kysely, SqliteDialect } from 'kysely'
import type { InputOf, MethodName } from '@shared/contract'
import type { Viewer } from '@shared/domain/client-access'
import { ManualClock } from '../../electron/host/clock'
import type { SqliteHandle } from '../../electron/host/db/open'
import type { DB } from '../../electron/host/db/schema'
import { conversionReport, districtsReport, responseTimesReport } from '../../electron/host/domains/reports/branch-reports.service'
import { kpiCountsByOwner } from '../../electron/host/domains/reports/kpi.repository'
import { followUpsReport, funnelReport, kpiReport, lostReasonsReport, poolReport, slaReport } from '../../electron/host/domains/reports/reports.service'
import { startHost } from '../../electron/host/host'
import { ADMIN_PASSWORD, copyOfClientsData, NOW, STAFF_PASSWORD, staffUsers } from './clients.bench'
import { fmtRatio, fmtStats, printTable, summarize, timeCalls, verdict, type Benchmark, type SummaryRow } from './lib/stats'

const YEAR = { from: new Date(NOW.getTime() - 365 * 86_400_000).toISOString(), to: NOW.toISOString() }
const ROUNDS = process.env.KEYUAN_BENCH_QUICK === '1' ? 5 : 20
const TARGET_MS = 200
/** The target speaks of the full book only: a smaller one (KEYUAN_BENCH_CLIENTS) prints no verdict. */
const FULL_BOOK = (process.env.KEYUAN_BENCH_CLIENTS ?? '') === '' || Number(process.env.KEYUAN_BENCH_CLIENTS) >= 100_000

/**
 * One report: its API call as a manager or an agent (the KPIs are the one report an agent may
 * call, for their own figures; the rest are the branch's, for managers), and the same report computed by its service
 * function on a Kysely that records each statement; those statements (bound to the year) are then
 * timed as raw SQL on the same database: the baseline is exactly what the API runs, not a copy.
 */
interface ReportCase {
  method: MethodName
  as: 'manager' | 'agent'
  input: InputOf<MethodName>
  service: (db: Kysely<DB>, viewer: Viewer) => Promise<unknown>
}

const P = { from: YEAR.from, to: YEAR.to }
/** Twelve months back from NOW: the KPI dashboard's trend. */
const MONTHS = Array.from({ length: 12 }, (_, i) => ({
  from: new Date(NOW.getTime() - (12 - i) * 30 * 86_400_000).toISOString(),
  to: new Date(NOW.getTime() - (11 - i) * 30 * 86_400_000).toISOString(),
}))
const CASES: ReportCase[] = [
  { method: 'reports.districts', as: 'manager', input: P, service: (db, v) => districtsReport(db, v, P) },
  { method: 'reports.funnel', as: 'manager', input: P, service: (db, v) => funnelReport(db, v, P) },
  { method: 'reports.followUpsVsDeals', as: 'manager', input: P, service: (db, v) => followUpsReport(db, v, P) },
  { method: 'reports.pool', as: 'manager', input: P, service: (db, v) => poolReport(db, v, P) },
  { method: 'reports.lostReasons', as: 'manager', input: P, service: (db, v) => lostReasonsReport(db, v, P) },
  { method: 'reports.kpis', as: 'manager', input: P, service: (db, v) => kpiReport(db, v, P) },
  { method: 'reports.kpis', as: 'agent', input: P, service: (db, v) => kpiReport(db, v, P) },
  {
    method: 'reports.kpiTrend',
    as: 'manager',
    input: { periods: MONTHS, subject: { kind: 'branch' } },
    service: async (db) => {
      for (const m of MONTHS) await kpiCountsByOwner(db, m)
    },
  },
  { method: 'reports.responseTimes', as: 'manager', input: P, service: (db, v) => responseTimesReport(db, v, P) },
  { method: 'reports.conversion', as: 'manager', input: P, service: (db) => conversionReport(db, P) },
  { method: 'reports.sla', as: 'manager', input: P, service: (db, v) => slaReport(db, v, P, NOW) },
]

/**
 * The filtered shapes (统计对象, 来源渠道): the same reports for one agent, for their team and for one
 * channel, as a manager asks for them (built once the agent's id and team are known).
 */
function filteredCases(agent: Viewer): ReportCase[] {
  const one = { ...P, subject: { kind: 'agent' as const, staffId: agent.staffId } }
  const team = { ...P, subject: agent.team === null ? { kind: 'branch' as const } : { kind: 'team' as const, team: agent.team } }
  const phone = { ...P, channel: 'phone' as const }
  return [
    { method: 'reports.districts', as: 'manager', input: one, service: (db, v) => districtsReport(db, v, one) },
    { method: 'reports.districts', as: 'manager', input: phone, service: (db, v) => districtsReport(db, v, phone) },
    { method: 'reports.funnel', as: 'manager', input: team, service: (db, v) => funnelReport(db, v, team) },
    { method: 'reports.funnel', as: 'manager', input: phone, service: (db, v) => funnelReport(db, v, phone) },
    { method: 'reports.lostReasons', as: 'manager', input: one, service: (db, v) => lostReasonsReport(db, v, one) },
    { method: 'reports.pool', as: 'manager', input: team, service: (db, v) => poolReport(db, v, team) },
  ]
}

/** The statements a report's service function makes, prepared on the raw connection with their parameters. */
async function statementsOf(sqlite: SqliteHandle, c: ReportCase, viewer: Viewer) {
  const captured: Array<{ sql: string; parameters: readonly unknown[] }> = []
  const logged = new Kysely<DB>({ dialect: new SqliteDialect({ database: sqlite }), log: (e) => void (e.level === 'query' && captured.push(e.query)) })
  await c.service(logged, viewer)
  return captured.map((q) => ({ statement: sqlite.prepare(q.sql), parameters: q.parameters as unknown[] }))
}

export const reportsBench: Benchmark = {
  name: 'reports',
  description: 'reports and KPIs of a year through the API (客户地图, funnel, follow-ups vs deals, pool, lost reasons, KPIs and their trend, response times, conversion, SLA; the filtered shapes by agent, team and channel) vs their own statements as raw SQL, on the clients benchmark book',
  async run(): Promise<SummaryRow[]> {
    const copy = await copyOfClientsData('reports')
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
      const { agents, manager: boss } = staffUsers()
      const manager = host.client()
      await manager.call('auth.login', { username: boss.username, password: STAFF_PASSWORD })
      const agent = host.client()
      await agent.call('auth.login', { username: agents[0]!.username, password: STAFF_PASSWORD })
      const db = host.database.sqlite
      const viewerOf = (username: string): Viewer => {
        const row = db.prepare(`SELECT id, role, team FROM staff WHERE username = ?`).get(username) as { id: number; role: Viewer['role']; team: string | null }
        return { staffId: row.id, role: row.role, team: row.team }
      }
      const viewers = { manager: viewerOf(boss.username), agent: viewerOf(agents[0]!.username) }
      const out: SummaryRow[] = []
      const table: string[][] = []
      for (const c of [...CASES, ...filteredCases(viewers.agent)]) {
        const statements = await statementsOf(db, c, viewers[c.as])
        const caller = c.as === 'manager' ? manager : agent
        const raw = summarize(await timeCalls(async () => statements.map((s) => s.statement.all(...s.parameters)), ROUNDS, 2))
        const api = summarize(await timeCalls(() => caller.call(c.method, c.input as never), ROUNDS, 2))
        const met = FULL_BOOK ? api.p50 < TARGET_MS : null
        const filter = Object.keys(c.input as object).filter((k) => k !== 'from' && k !== 'to')
        const name = `${c.method} (${c.as}${filter.length > 0 ? `, by ${filter.join('+')}` : ''})`
        table.push([name, String(statements.length), fmtStats(api), fmtStats(raw), fmtRatio(api.p50 / raw.p50), met === null ? '-' : verdict(met)])
        out.push({ bench: 'reports', measure: `${name}, a year`, value: fmtStats(api), baseline: `raw SQL ${fmtStats(raw)}`, ratio: fmtRatio(api.p50 / raw.p50), target: `< ${TARGET_MS} ms`, met })
      }
      console.log(`load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')} after the reports`)
      printTable(['report (as)', 'statements', 'API (p50 / p95 / mean)', 'raw SQL', 'ratio', `< ${TARGET_MS} ms`], table)
      return out
    } finally {
      await host.close()
      fs.rmSync(copy, { recursive: true, force: true })
    }
  },
}
