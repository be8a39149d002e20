/**
 * clients.search and clients.list through the API, in-process and over loopback HTTP, on 100,000
 * generated clients (and their follow-ups), each against the best hand-written SQL for the same
 * result, measured in the same run on the same file: `npm run bench -- clients`.
 *
 * The data takes a minute or two to generate and is cached in
 * os.tmpdir()/keyuan-bench-clients-v2-s<schema> (see DATA_VERSION); later runs only open it. The benchmark signs in and reads; it writes only
 * sessions and audit rows. KEYUAN_BENCH_QUICK=1 runs one short round (for checking the benchmark).
 * KEYUAN_BENCH_CLIENTS=20000 makes and measures a smaller book (follow-ups scaled alike, cached
 * apart): where the 100k data of this schema is not cached and generating it would take too long.
 * KEYUAN_BENCH_ONLY=search skips the grid pages.
 */
import { createHash } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import type { Statement } from 'better-sqlite3-multiple-ciphers'
import { Kysely, SqliteDialect, type CompiledQuery } from 'kysely'
import type { InputOf, MethodName, OutputOf } from '@shared/contract'
import type { ApiClient } from '@shared/contract/client'
import { ClientListInput } from '@shared/contract/clients'
import type { SessionInfo } from '../../electron/host/api/handler'
import { ManualClock } from '../../electron/host/clock'
import { LATEST_SCHEMA_VERSION } from '../../electron/host/db/migrate'
import type { DB } from '../../electron/host/db/schema'
import { generateClients } from '../../electron/host/demo/generate-clients'
import { GridTotals, listClients } from '../../electron/host/domains/clients/client-grid'
import { resolveHeadlessKey } from '../../electron/host/db/key-file'
import type { Host } from '../../electron/host/host'
import { BENCH_HOST_CODE, benchStartHost } from './lib/built-host'
import { ownerOf, phoneFor, RawSearch } from './lib/raw-search'
import { RawSearchThread } from './lib/raw-search-thread'
import { RawSearchHttp } from './lib/raw-search-http'
import { fmtMs, fmtRatio, fmtStats, median, printTable, summarize, type Benchmark, type SummaryRow } from './lib/stats'

/** The cached book's admin password (the key file is made with it). */
export const ADMIN_PASSWORD = 'bench-admin-pass'
export const STAFF_PASSWORD = 'bench-staff-pass'
/** The book's size: 100,000 unless KEYUAN_BENCH_CLIENTS says otherwise (see the file's comment). */
const CLIENTS = benchClients(process.env.KEYUAN_BENCH_CLIENTS)
const SEED = 20261125
/** The fixed "now" of the data and of the host clock: views such as vip_stale_7d stay reproducible. */
export const NOW = new Date('2026-11-25T02:00:00Z')
const TEAMS = ['一组', '二组', '三组', '四组'] as const
const AGENTS_PER_TEAM = 5
/** Follow-ups spread over the clients, as the issue asks (the grid and search do not read them): ten a client. */
const FOLLOW_UPS = CLIENTS * 10
/**
 * The generated data folder (database and its key file, keyuan.key) is cached between runs in
 * os.tmpdir()/keyuan-bench-clients-<DATA_VERSION>; bench-data.json in it holds the key the data was
 * made for. The key covers the schema version, the sizes and the generator's sources, so the data
 * is rebuilt when they change; bump DATA_VERSION for anything else. Delete the folder to rebuild.
 */
const DATA_VERSION = 'v2'
const GENERATOR_SOURCES = [
  'electron/host/demo/generate-clients.ts',
  'electron/host/demo/demo-vocabulary.ts',
  'electron/host/demo/random.ts',
  'electron/host/domains/clients/search-terms.ts',
]
// KEYUAN_BENCH_CLIENTS_DIR puts it elsewhere; the schema in the folder name: checkouts at different schema versions on one machine keep their own data
const CACHE_DIR =
  process.env.KEYUAN_BENCH_CLIENTS_DIR ||
  path.join(os.tmpdir(), `keyuan-bench-clients-${DATA_VERSION}-s${LATEST_SCHEMA_VERSION}${CLIENTS === 100_000 ? '' : `-${CLIENTS}c`}`)
const MARKER = 'bench-data.json'

function benchClients(raw: string | undefined): number {
  if (raw === undefined || raw === '') return 100_000
  const n = Number(raw)
  if (!Number.isInteger(n) || n < 1_000 || n > 1_000_000) throw new RangeError(`KEYUAN_BENCH_CLIENTS must be a whole number from 1,000 to 1,000,000, not "${raw}"`)
  return n
}

function dataKey(): string {
  const hash = createHash('sha256')
  for (const f of GENERATOR_SOURCES) hash.update(fs.readFileSync(path.resolve(__dirname, '../..', f)))
  return `${DATA_VERSION}-schema${LATEST_SCHEMA_VERSION}-${CLIENTS}c-${FOLLOW_UPS}f-seed${SEED}-${hash.digest('hex').slice(0, 12)}`
}

interface Prepared {
  host: Host
  manager: ApiClient
  agent: ApiClient
  agentId: number
  /** the manager's calls as a terminal makes them: HTTP POST to /api/<method> on loopback. */
  managerHttp: HttpCaller
  generatedMs: number | null
}

type HttpCaller = <M extends MethodName>(method: M, input: InputOf<M>) => Promise<OutputOf<M>>

/** Calls over loopback HTTP with a session token (keep-alive: Node's fetch reuses the connection). */
function httpCaller(url: string, token: string): HttpCaller {
  return async (method, input) => {
    const res = await fetch(`${url}/api/${method}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify(input),
    })
    const body = (await res.json()) as { ok: true; value: never } | { ok: false; error: { code: string; message: string } }
    if (!body.ok) throw new Error(`${method} over HTTP: ${body.error.code} ${body.error.message}`)
    return body.value
  }
}

export function staffUsers() {
  const agents = TEAMS.flatMap((team, t) =>
    Array.from({ length: AGENTS_PER_TEAM }, (_, i) => ({ username: `agent${t + 1}${i + 1}`, name: `${team}经纪${i + 1}`, role: 'agent' as const, team })),
  )
  return { agents, manager: { username: 'manager', name: '王店长', role: 'manager' as const, team: null } }
}

/**
 * The rules scheduler stays off: its runs would compete with the timings and change the cached
 * data. `serve`: with the HTTP server on a free loopback port (the measuring host). The per-session
 * call rate is lifted: one session calling back to back for the whole run is what the benchmark
 * measures, and the limit (rightly) refuses it.
 */
async function startBenchHost(dataDir: string, serve = false): Promise<Host> {
  const startHost = await benchStartHost()
  return startHost({
    dataDir,
    noServer: !serve,
    port: 0,
    schedulerIntervalMs: 0,
    clock: new ManualClock(NOW),
    env: { KEYUAN_ADMIN_PASSWORD: ADMIN_PASSWORD },
    transportLimits: { callsPerSecond: 1_000_000, callBurst: 1_000_000 },
  })
}

/** Builds the data folder from scratch: staff through the API, clients straight into the database. */
async function generateDataDir(dir: string, key: string): Promise<void> {
  const host = await startBenchHost(dir)
  try {
    const admin = host.client()
    await admin.call('auth.login', { username: 'admin', password: ADMIN_PASSWORD })
    const { agents, manager } = staffUsers()
    const ownerIds: number[] = []
    for (const s of agents) ownerIds.push((await admin.call('staff.create', { ...s, password: STAFF_PASSWORD })).id)
    await admin.call('staff.create', { ...manager, password: STAFF_PASSWORD })
    admin.close()
    let last = performance.now()
    generateClients(host.database.sqlite, {
      clients: CLIENTS,
      ownerIds,
      now: NOW,
      seed: SEED,
      followUps: FOLLOW_UPS,
      onProgress: (done) => {
        if (done % 25_000 === 0) {
          const t = performance.now()
          console.log(`  ${done.toLocaleString('en')} clients (${fmtMs(t - last)})`)
          last = t
        }
      },
    })
  } finally {
    // closing runs PRAGMA optimize (planner statistics) and checkpoints the WAL, as the app does
    await host.close()
  }
  fs.writeFileSync(path.join(dir, MARKER), JSON.stringify({ key, clients: CLIENTS, followUps: FOLLOW_UPS, seed: SEED, now: NOW.toISOString() }))
}

function cachedKey(dir: string): string | null {
  try {
    return (JSON.parse(fs.readFileSync(path.join(dir, MARKER), 'utf8')) as { key?: string }).key ?? null
  } catch {
    return null
  }
}

/**
 * The cached data folder (100,000 clients; staff as staffUsers() says, password STAFF_PASSWORD),
 * generated first when missing or stale; resolves with its path and the ms spent generating it.
 * Other benchmarks read it or copy it; only this one writes it.
 */
export async function ensureClientsData(): Promise<{ dir: string; generatedMs: number | null }> {
  let generatedMs: number | null = null
  const key = dataKey()
  if (cachedKey(CACHE_DIR) !== key) {
    console.log(`generating ${CLIENTS.toLocaleString('en')} clients and ~${FOLLOW_UPS.toLocaleString('en')} follow-ups into ${CACHE_DIR} (key ${key}; kept for later runs) ...`)
    const t0 = performance.now()
    // build beside the cache and rename at the end: an interrupted run leaves no half-built cache
    const building = fs.mkdtempSync(`${CACHE_DIR}.building-`)
    try {
      await generateDataDir(building, key)
      fs.rmSync(CACHE_DIR, { recursive: true, force: true })
      fs.renameSync(building, CACHE_DIR)
    } finally {
      fs.rmSync(building, { recursive: true, force: true })
    }
    generatedMs = performance.now() - t0
    console.log(`generated in ${fmtMs(generatedMs)}\n`)
  } else {
    console.log(`using the cached data in ${CACHE_DIR} (key ${key}; delete the folder to rebuild it)\n`)
  }
  return { dir: CACHE_DIR, generatedMs }
}

/** A scratch copy of the cached data folder (in os.tmpdir(), named after `label`) for a benchmark that writes to it; the caller removes it. */
export async function copyOfClientsData(label: string): Promise<string> {
  const { dir } = await ensureClientsData()
  const copy = fs.mkdtempSync(path.join(os.tmpdir(), `keyuan-bench-${label}-`))
  fs.cpSync(dir, copy, { recursive: true })
  return copy
}

/** The cached data folder, then a host on it and signed-in clients. */
async function prepare(): Promise<Prepared> {
  const { generatedMs } = await ensureClientsData()
  const host = await startBenchHost(CACHE_DIR, true)
  try {
    const { agents, manager: m } = staffUsers()
    const manager = host.client()
    await manager.call('auth.login', { username: m.username, password: STAFF_PASSWORD })
    const agent = host.client()
    const me = await agent.call('auth.login', { username: agents[0]!.username, password: STAFF_PASSWORD })
    const managerHttp = httpCaller(host.url!, manager.token!)
    return { host, manager, agent, agentId: me.staff.id, managerHttp, generatedMs }
  } catch (err) {
    await host.close()
    throw err
  }
}

type Sqlite = Host['database']['sqlite']
type Row = OutputOf<'clients.list'>['rows'][number]
type ListInput = InputOf<'clients.list'>

const SEARCH_LIMIT = 20
/** KEYUAN_BENCH_QUICK=1: one short round, for checking the benchmark itself (figures too rough to quote). */
const QUICK = process.env.KEYUAN_BENCH_QUICK === '1'
const ROUNDS = QUICK ? 1 : 5
/** Rough time per case and round; the iterations follow from the warm-up timings (bounded run time). */
const SEARCH_BUDGET_MS = QUICK ? 20 : 120
const GRID_BUDGET_MS = QUICK ? 40 : 350
const TARGET_SEARCH_P95_MS = 15
const TARGET_GRID_P95_MS = 30
const TARGET_RATIO = 1.5
/** KEYUAN_BENCH_ONLY=search: the search cases alone (no grid pages). */
const SEARCH_ONLY = process.env.KEYUAN_BENCH_ONLY === 'search'

interface SearchClass {
  label: string
  queries: string[]
}

/** Real queries from the generated data, chosen by rule so every run uses the same ones. */
function searchClasses(sqlite: Sqlite): SearchClass[] {
  const names = sqlite
    .prepare(`SELECT name, count(*) AS n FROM clients WHERE kind = 'person' AND length(name) = 2 AND merged_into IS NULL GROUP BY name ORDER BY n DESC, name`)
    .all() as Array<{ name: string; n: number }>
  // the most common, two in between and a unique one: a unique name leaves room for the prefix and substring steps
  const at = (f: number) => names[Math.min(names.length - 1, Math.floor(f * (names.length - 1)))]!.name
  const twoChar = [...new Set([at(0), at(0.25), at(0.5), names.find((x) => x.n === 1)?.name ?? at(1)])]
  const phone = sqlite.prepare('SELECT digits FROM client_phones WHERE client_id = ? AND position = 0').pluck()
  // at 100k the clients 12,345, 50,000, 77,777 and 99,001 (the same places in a smaller book)
  const at100k = (id: number) => Math.max(1, Math.round((id * CLIENTS) / 100_000))
  const fullPhones = [12_345, 50_000, 77_777, 99_001].map((id) => phone.get(at100k(id)) as string | undefined).filter((d): d is string => !!d)
  const code = (id: number) => `KY${String(at100k(id)).padStart(6, '0')}`
  return [
    { label: '2-char name', queries: twoChar },
    { label: 'pinyin initials', queries: ['zw', 'lf', 'wj', 'cxy'] },
    { label: '3 phone digits (start)', queries: ['138', '159', '186', '135'] },
    { label: '4 phone digits', queries: ['5678', '1234', '0000', '8866'] },
    { label: 'number as +86 / 0086', queries: fullPhones.map((d, i) => (i % 2 === 0 ? `+86 ${d.slice(0, 3)} ${d.slice(3, 7)} ${d.slice(7)}` : `0086${d.slice(0, 7)}`)) },
    { label: '客户编号 (full)', queries: [code(12_345), code(99_999), code(1), code(50_000).toLowerCase()] },
    // a code's start: thousands of codes at pos 0 in the term range, no inner part (migration 039's case)
    { label: '客户编号 (start)', queries: ['KY0', 'ky01', code(50_000).slice(0, 5), code(99_999).slice(0, 6).toLowerCase()] },
    { label: '11-digit phone', queries: fullPhones },
  ]
}

// ---------------------------------------------------------------------------------------------
// grid: the best hand-written SQL for the same page and count

const ROW_COLUMNS = `c.id, c.code, c.kind, c.name, c.primary_phone, c.tier, c.stage, c.owner_id, o.name AS owner_name, o.phone AS owner_phone,
  c.region, c.community, c.source_channel, c.demand_type, c.last_follow_up_at, c.protected_until, c.completeness, c.blacklisted,
  c.blacklist_reason, c.created_at`
type GridRow = [number, string, string, string, string | null, string, string, number | null, string | null, string | null,
  string | null, string | null, string, string | null, string | null, string | null, number, number, string | null, string]

/** Sorts and skips on narrow index entries first, then reads only the page's rows (a "deferred join"). */
function deferredPage(inner: string, outerOrder: string): string {
  return `SELECT ${ROW_COLUMNS} FROM (${inner}) p JOIN clients c ON c.id = p.id LEFT JOIN staff o ON o.id = c.owner_id ORDER BY ${outerOrder}`
}

interface GridCase {
  label: string
  as: 'manager' | 'agent'
  input: ListInput
  /**
   * Hand-written statements for the same page (its rows in order): the planner's own choice, the
   * ids sorted first and rows read after (a deferred join), and the page walked in each candidate
   * index's order. The fastest on this file, timed before the run, is the baseline.
   */
  pages: Array<{ name: string; sql: string }>
  /** hand-written counts of the same filter; the fastest is the baseline's total. */
  counts: Array<{ name: string; sql: string }>
  params: unknown[]
}

function gridCases(agentId: number): GridCase[] {
  const live = 'likely(c.merged_into IS NULL)'
  const weekAgo = new Date(NOW.getTime() - 7 * 86_400_000).toISOString()
  /** Every way to hand-write this page and its count, through the given indexes. */
  const candidates = (where: string, order: string, indexes: readonly string[], offset = 0) => {
    const cond = `${live}${where ? ` AND ${where}` : ''}`
    const tail = `ORDER BY ${order} LIMIT 100 OFFSET ${offset}`
    const outer = order.replace(/\bc\.id\b/g, 'p.id').replace(/\bo\.name\b/g, 'p.sort_name')
    const ownerJoin = order.includes('o.name') ? ', o.name AS sort_name' : ''
    const from = (ix?: string) => `clients c${ix ? ` INDEXED BY ${ix}` : ''}${ownerJoin ? ' LEFT JOIN staff o ON o.id = c.owner_id' : ''}`
    return {
      pages: [
        { name: 'planner', sql: `SELECT ${ROW_COLUMNS} FROM clients c LEFT JOIN staff o ON o.id = c.owner_id WHERE ${cond} ${tail}` },
        { name: 'deferred', sql: deferredPage(`SELECT c.id${ownerJoin} FROM ${from()} WHERE ${cond} ${tail}`, outer) },
        ...indexes.map((ix) => ({ name: `${ix} in order`, sql: deferredPage(`SELECT c.id${ownerJoin} FROM ${from(ix)} WHERE ${cond} ${tail}`, outer) })),
      ],
      counts: [
        { name: 'planner', sql: `SELECT count(*) FROM clients c WHERE c.merged_into IS NULL${where ? ` AND ${where}` : ''}` },
        ...indexes.map((ix) => ({ name: ix, sql: `SELECT count(*) FROM clients c INDEXED BY ${ix} WHERE c.merged_into IS NULL${where ? ` AND ${where}` : ''}` })),
      ],
    }
  }
  const created = 'c.created_at DESC, c.id DESC'
  const stale = `c.tier = 'vip' AND (c.last_follow_up_at IS NULL OR c.last_follow_up_at < ?)`
  return [
    { label: 'default (createdAt desc)', as: 'manager', input: { offset: 0, limit: 100 }, params: [], ...candidates('', created, ['clients_created']) },
    { label: 'default, as agent', as: 'agent', input: { offset: 0, limit: 100 }, params: [], ...candidates('', created, ['clients_created']) },
    {
      label: 'sort lastFollowUpAt desc',
      as: 'manager',
      input: { offset: 0, limit: 100, sort: { field: 'lastFollowUpAt', dir: 'desc' } },
      params: [],
      ...candidates('', 'c.last_follow_up_at DESC, c.id DESC', ['clients_last_follow_up']),
    },
    {
      label: 'sort owner asc',
      as: 'manager',
      input: { offset: 0, limit: 100, sort: { field: 'owner', dir: 'asc' } },
      params: [],
      ...candidates('', 'o.name, c.owner_id, c.id', ['clients_owner', 'clients_grid_owner']),
    },
    {
      label: 'sort owner desc, offset 50,000',
      as: 'manager',
      input: { offset: 50_000, limit: 100, sort: { field: 'owner', dir: 'desc' } },
      params: [],
      ...candidates('', 'o.name DESC, c.owner_id DESC, c.id DESC', ['clients_owner', 'clients_grid_owner'], 50_000),
    },
    {
      label: 'region 浦东, sort owner asc',
      as: 'manager',
      input: { offset: 0, limit: 100, filter: { region: '浦东' }, sort: { field: 'owner', dir: 'asc' } },
      params: ['浦东'],
      ...candidates('c.region = ?', 'o.name, c.owner_id, c.id', ['clients_grid_owner', 'clients_region']),
    },
    {
      label: 'tier vip, sort completeness desc',
      as: 'manager',
      input: { offset: 0, limit: 100, filter: { tier: ['vip'] }, sort: { field: 'completeness', dir: 'desc' } },
      params: [],
      ...candidates(`c.tier = 'vip'`, 'c.completeness DESC, c.id DESC', ['clients_completeness', 'clients_grid_tier', 'clients_tier']),
    },
    { label: 'region 浦东', as: 'manager', input: { offset: 0, limit: 100, filter: { region: '浦东' } }, params: ['浦东'], ...candidates('c.region = ?', created, ['clients_created', 'clients_region']) },
    {
      label: 'region + tier, sort name',
      as: 'manager',
      input: { offset: 0, limit: 100, filter: { region: '浦东', tier: ['key'] }, sort: { field: 'name', dir: 'asc' } },
      params: ['浦东'],
      ...candidates(`c.region = ? AND c.tier = 'key'`, 'c.name, c.id', ['clients_name', 'clients_region', 'clients_grid_tier']),
    },
    {
      label: 'stage, sort lastFollowUpAt desc',
      as: 'manager',
      input: { offset: 0, limit: 100, filter: { stage: ['negotiating'] }, sort: { field: 'lastFollowUpAt', dir: 'desc' } },
      params: [],
      ...candidates(`c.stage = 'negotiating'`, 'c.last_follow_up_at DESC, c.id DESC', ['clients_last_follow_up', 'clients_stage']),
    },
    {
      label: 'blacklisted (rare), sort code',
      as: 'manager',
      input: { offset: 0, limit: 100, filter: { blacklisted: true }, sort: { field: 'code', dir: 'asc' } },
      params: [],
      ...candidates('c.blacklisted = 1', 'c.code, c.id', ['clients_grid_code', 'clients_created']),
    },
    { label: 'view mine (agent)', as: 'agent', input: { offset: 0, limit: 100, view: 'mine' }, params: [agentId], ...candidates('c.owner_id = ?', created, ['clients_created', 'clients_owner', 'clients_grid_owner']) },
    { label: 'view vip_stale_7d', as: 'manager', input: { offset: 0, limit: 100, view: 'vip_stale_7d' }, params: [weekAgo], ...candidates(stale, created, ['clients_created', 'clients_tier', 'clients_grid_tier']) },
    { label: 'deep page, offset 50,000', as: 'manager', input: { offset: 50_000, limit: 100 }, params: [], ...candidates('', created, ['clients_created'], 50_000) },
  ]
}

/** The fastest of some statements on this file (median of a few runs each), and its name. */
function fastest(sqlite: Sqlite, statements: ReadonlyArray<{ name: string; sql: string }>, params: unknown[]): { name: string; sql: string; ms: number } {
  let best: { name: string; sql: string; ms: number } | null = null
  for (const st of statements) {
    const prepared = sqlite.prepare(st.sql)
    prepared.all(...params)
    const t: number[] = []
    for (let i = 0; i < 5; i++) {
      const t0 = performance.now()
      prepared.all(...params)
      t.push(performance.now() - t0)
    }
    const ms = median(t)
    if (!best || ms < best.ms) best = { ...st, ms }
  }
  return best!
}

class RawGrid {
  private readonly page: Statement
  private readonly count: Statement

  constructor(
    sqlite: Sqlite,
    private readonly c: GridCase,
    private readonly viewerId: number,
    pageSql: string,
    countSql: string,
  ) {
    this.page = sqlite.prepare(pageSql).raw()
    this.count = sqlite.prepare(countSql).pluck()
  }

  list(): { rows: Row[]; total: number; totalExact: true } {
    const rows = (this.page.all(...this.c.params) as GridRow[]).map(
      (r): Row => ({
        id: r[0],
        code: r[1],
        kind: r[2] as Row['kind'],
        name: r[3],
        phone: phoneFor(r[4], r[7], this.viewerId),
        tier: r[5] as Row['tier'],
        stage: r[6] as Row['stage'],
        owner: ownerOf(r[7], r[8], r[9]),
        region: r[10],
        community: r[11],
        sourceChannel: r[12] as Row['sourceChannel'],
        demandType: r[13] as Row['demandType'],
        lastFollowUpAt: r[14],
        protectedUntil: r[15],
        completeness: r[16],
        blacklisted: r[17] === 1,
        blacklistReason: r[18],
        createdAt: r[19],
      }),
    )
    return { rows, total: this.count.get(...this.c.params) as number, totalExact: true }
  }
}

// ---------------------------------------------------------------------------------------------
// measuring

type Subject = () => unknown
interface Case {
  group: string
  label: string
  subjects: Record<string, Subject>
}

/** Times one call; returns ms. */
async function timeOne(fn: Subject): Promise<number> {
  const t0 = performance.now()
  await fn()
  return performance.now() - t0
}

/** Wall time of each call, and the process CPU time the calls took in all (ms). */
interface Samples {
  wall: number[]
  cpuMs: number
}

function cpuMs(): number {
  const u = process.cpuUsage()
  return (u.user + u.system) / 1000
}

/**
 * Warm-up, then ROUNDS rounds; each round visits every case (order reversed every other round)
 * and alternates its subjects call by call, so a noisy neighbour hurts all of them alike.
 * CPU time is taken around each call too: other tenants inflate it far less than wall time.
 */
async function measure(cases: Case[], budgetMs: number): Promise<Map<Case, Record<string, Samples>>> {
  const iterations = new Map<Case, number>()
  for (const c of cases) {
    let slowest = 0
    for (const fn of Object.values(c.subjects)) {
      for (let i = 0; i < 2; i++) await fn()
      const t = [await timeOne(fn), await timeOne(fn), await timeOne(fn)]
      slowest = Math.max(slowest, median(t))
    }
    const perCall = slowest * Object.keys(c.subjects).length
    iterations.set(c, Math.max(4, Math.min(60, Math.round(budgetMs / Math.max(perCall, 0.01)))))
  }
  const samples = new Map<Case, Record<string, Samples>>(
    cases.map((c) => [c, Object.fromEntries(Object.keys(c.subjects).map((k) => [k, { wall: [], cpuMs: 0 }]))]),
  )
  // each iteration calls the subjects in a new order (the same orders every run): a call's side
  // effects (a digit search's audit row, written after its answer; a thread's hand-over) fall into
  // whichever call comes next, so no subject may always come after the same one
  let seed = 20261207
  const shuffled = <T>(xs: readonly T[]): T[] => {
    const out = [...xs]
    for (let k = out.length - 1; k > 0; k--) {
      seed = (seed * 1103515245 + 12345) % 2 ** 31
      const j = seed % (k + 1)
      ;[out[k], out[j]] = [out[j]!, out[k]!]
    }
    return out
  }
  for (let r = 0; r < ROUNDS; r++) {
    for (const c of r % 2 === 0 ? cases : [...cases].reverse()) {
      const entries = Object.entries(c.subjects)
      const out = samples.get(c)!
      for (let i = 0; i < iterations.get(c)!; i++) {
        for (const [name, fn] of shuffled(entries)) {
          const s = out[name]!
          const c0 = cpuMs()
          s.wall.push(await timeOne(fn))
          s.cpuMs += cpuMs() - c0
        }
      }
    }
    await new Promise((resolve) => setImmediate(resolve))
  }
  return samples
}

/** EXPLAIN QUERY PLAN of every statement `run` makes through a logging Kysely on the same handle. */
async function plansOf(sqlite: Sqlite, run: (db: Kysely<DB>) => Promise<unknown>): Promise<string[]> {
  const captured: CompiledQuery[] = []
  // never destroyed: destroying would close the shared handle
  const db = new Kysely<DB>({ dialect: new SqliteDialect({ database: sqlite }), log: (e) => void (e.level === 'query' && captured.push(e.query)) })
  await run(db)
  return captured.map((q) => explain(sqlite, q.sql, q.parameters as unknown[]))
}

function explain(sqlite: Sqlite, sqlText: string, params: unknown[]): string {
  return (sqlite.prepare(`EXPLAIN QUERY PLAN ${sqlText}`).all(...params) as Array<{ detail: string }>).map((r) => r.detail).join(' | ')
}

function followUpsNote(sqlite: Sqlite): string {
  const exists = sqlite.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'follow_ups'`).get() !== undefined
  if (!exists) return `follow-ups: the issue also asks for ${FOLLOW_UPS.toLocaleString('en')}, but there is no follow_ups table: none generated`
  const n = sqlite.prepare('SELECT count(*) FROM follow_ups').pluck().get() as number
  return `${n.toLocaleString('en')} follow-ups (the issue asks for ${FOLLOW_UPS.toLocaleString('en')}; clients never followed up have none): search and the grid do not read them, they make the file and its page cache busier`
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b)

/** Where two JSON-like values first differ, e.g. `rows[3].owner.name` (key order aside); null when equal. */
function firstDiff(a: unknown, b: unknown, at = ''): string | null {
  if (a === b) return null
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return at || '(value)'
  for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) {
    const d = firstDiff((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], Array.isArray(a) ? `${at}[${k}]` : at ? `${at}.${k}` : k)
    if (d) return d
  }
  return null
}
const ids = (xs: ReadonlyArray<{ id: number }>) => xs.map((x) => x.id)

const loadAverage = () => os.loadavg().map((l) => l.toFixed(2)).join(' ')

async function run(): Promise<SummaryRow[]> {
  const p = await prepare()
  const closeLater: Array<() => Promise<unknown>> = []
  const { host, manager, agent, agentId } = p
  const sqlite = host.database.sqlite
  const db = host.database.db
  try {
    const liveClients = sqlite.prepare('SELECT count(*) FROM clients WHERE merged_into IS NULL').pluck().get() as number
    console.log(`${liveClients.toLocaleString('en')} live clients, ${(sqlite.prepare('SELECT count(*) FROM search_terms').pluck().get() as number).toLocaleString('en')} search terms, ` +
      `${(fs.statSync(path.join(CACHE_DIR, 'keyuan.db')).size / 1024 / 1024).toFixed(0)} MB encrypted database, host clock fixed at ${NOW.toISOString()}; the host's code: ${BENCH_HOST_CODE}`)
    console.log(followUpsNote(sqlite))
    const managerViewer = { staffId: (await manager.call('auth.whoami', {})).id, role: 'manager' as const, team: null }
    const managerSession: SessionInfo = { tokenHash: '', staffId: managerViewer.staffId, username: 'manager', name: '', role: 'manager', team: null, expiresAt: '' }
    const agentSession: SessionInfo = { tokenHash: '', staffId: agentId, username: '', name: '', role: 'agent', team: TEAMS[0], expiresAt: '' }

    // ---- search
    const rawSearch = new RawSearch(sqlite)
    const { keyHex } = resolveHeadlessKey(CACHE_DIR, { KEYUAN_ADMIN_PASSWORD: ADMIN_PASSWORD })
    const rawThread = await RawSearchThread.open(path.join(CACHE_DIR, 'keyuan.db'), keyHex)
    closeLater.push(() => rawThread.close())
    const rawHttp = await RawSearchHttp.start(rawSearch, managerViewer.staffId)
    closeLater.push(() => rawHttp.close())
    const classes = searchClasses(sqlite)
    const searchCases: Case[] = []
    const searchCheck = new Map<string, { idsSame: boolean; rowsSame: boolean; hits: number[]; totals: string[] }>()
    for (const cls of classes) {
      const check = { idsSame: true, rowsSame: true, hits: [] as number[], totals: [] as string[] }
      for (const q of cls.queries) {
        const api = await manager.call('clients.search', { q, limit: SEARCH_LIMIT })
        const raw = rawSearch.search(q, SEARCH_LIMIT, managerViewer.staffId)
        const apiAgent = await agent.call('clients.search', { q, limit: SEARCH_LIMIT })
        const rawAgent = rawSearch.search(q, SEARCH_LIMIT, agentId, true)
        if (!same(await rawThread.search(q, SEARCH_LIMIT, managerViewer.staffId), raw)) console.log(`  ${cls.label} '${q}': the raw search on its thread answers otherwise`)
        if (!same(await rawHttp.search(q, SEARCH_LIMIT), raw)) console.log(`  ${cls.label} '${q}': the raw search over HTTP answers otherwise`)
        check.hits.push(api.hits.length)
        check.totals.push(`${api.total}${api.totalExact ? '' : '+'}`)
        if (!same(ids(api.hits), ids(raw.hits)) || !same(ids(apiAgent.hits), ids(rawAgent.hits))) {
          check.idsSame = false
          console.log(`  MISMATCH ${cls.label} '${q}': API ids ${ids(api.hits).join(',')} vs raw ${ids(raw.hits).join(',')}`)
        }
        const diff = firstDiff(api, raw) ?? firstDiff(apiAgent, rawAgent)
        if (diff) {
          check.rowsSame = false
          console.log(`  ${cls.label} '${q}': API and raw hits differ at ${diff}`)
        }
        searchCases.push({
          group: cls.label,
          label: q,
          subjects: {
            api: () => manager.call('clients.search', { q, limit: SEARCH_LIMIT }),
            http: () => p.managerHttp('clients.search', { q, limit: SEARCH_LIMIT }),
            rawHttp: () => rawHttp.search(q, SEARCH_LIMIT),
            raw: () => rawSearch.search(q, SEARCH_LIMIT, managerViewer.staffId),
            thread: () => rawThread.search(q, SEARCH_LIMIT, managerViewer.staffId),
            agent: () => agent.call('clients.search', { q, limit: SEARCH_LIMIT }),
            rawAgent: () => rawSearch.search(q, SEARCH_LIMIT, agentId, true),
          },
        })
      }
      searchCheck.set(cls.label, check)
    }
    searchCases.push({ group: 'overhead', label: 'system.ping', subjects: { api: () => manager.call('system.ping', {}) } })

    // ---- grid
    const cases = SEARCH_ONLY ? [] : gridCases(agentId)
    const benchTotals = new GridTotals()
    const gridCheck = new Map<GridCase, { idsSame: boolean; rowsSame: boolean; total: number; rows: number; page: string; count: string }>()
    const gridRuns: Case[] = []
    console.log('choosing each grid baseline: the fastest hand-written page and count on this file ...')
    for (const g of cases) {
      const client = g.as === 'agent' ? agent : manager
      const viewerId = g.as === 'agent' ? agentId : managerViewer.staffId
      const session = g.as === 'agent' ? agentSession : managerSession
      // every candidate must give the same page: a faster wrong one is no baseline
      const reference = JSON.stringify(sqlite.prepare(g.pages[0]!.sql).raw().all(...g.params))
      for (const c of g.pages.slice(1)) {
        if (JSON.stringify(sqlite.prepare(c.sql).raw().all(...g.params)) !== reference) console.log(`  ${g.label}: candidate '${c.name}' gives another page (left out)`)
      }
      const pages = g.pages.filter((c) => JSON.stringify(sqlite.prepare(c.sql).raw().all(...g.params)) === reference)
      const page = fastest(sqlite, pages, g.params)
      const count = fastest(sqlite, g.counts, g.params)
      const raw = new RawGrid(sqlite, g, viewerId, page.sql, count.sql)
      // the same work as the baseline: the page and its exact count
      const exact = { ...g.input, exactTotal: true }
      const a = await client.call('clients.list', exact)
      const b = raw.list()
      const idsSame = same(ids(a.rows), ids(b.rows)) && a.total === b.total
      if (!idsSame) console.log(`  MISMATCH ${g.label}: API total ${a.total} ids ${ids(a.rows).slice(0, 5).join(',')}… vs raw total ${b.total} ids ${ids(b.rows).slice(0, 5).join(',')}…`)
      const diff = firstDiff(a, b)
      if (diff) console.log(`  ${g.label}: API and raw pages differ at ${diff}`)
      gridCheck.set(g, { idsSame, rowsSame: diff === null, total: a.total, rows: a.rows.length, page: page.name, count: count.name })
      const parsed = ClientListInput.parse(exact)
      const http = g.as === 'manager' ? p.managerHttp : httpCaller(host.url!, agent.token!)
      const subjects: Record<string, Subject> = {
        api: () => client.call('clients.list', exact),
        http: () => http('clients.list', exact),
        grid: () => client.call('clients.list', g.input),
        raw: () => raw.list(),
        repo: () => listClients(db, parsed, session, NOW, benchTotals),
      }
      gridRuns.push({ group: g.label, label: g.label, subjects })
    }

    console.log(`\nsearching (limit ${SEARCH_LIMIT}) ... (load ${loadAverage()})`)
    const tallyBefore = { ...host.pool.loop.tally }
    const searchSamples = await measure(searchCases, SEARCH_BUDGET_MS)
    const loadAfterSearch = loadAverage()
    const tally = host.pool.loop.tally
    console.log(
      `searches answered on the event loop's read connection: ${tally.onLoop - tallyBefore.onLoop}; sent to a reader: measured slow ${tally.slow - tallyBefore.slow}, ` +
        `the loop's share spent ${tally.share - tallyBefore.share}, past the first page ${tally.tooLarge - tallyBefore.tooLarge}`,
    )
    console.log('grid pages (100 rows) ...')
    const gridSamples = await measure(gridRuns, GRID_BUDGET_MS)

    const pick = (samples: Map<Case, Record<string, Samples>>, group: string, subject: string) =>
      [...samples.entries()].filter(([c]) => c.group === group).flatMap(([, s]) => (s[subject] ? [s[subject]] : []))
    const collect = (samples: Map<Case, Record<string, Samples>>, group: string, subject: string) =>
      summarize(pick(samples, group, subject).flatMap((s) => s.wall))
    /** CPU time per call of the API (all the process's threads) over that of the raw SQL (or `base`). */
    const cpuRatio = (samples: Map<Case, Record<string, Samples>>, group: string, base = 'raw') => {
      const perCall = (subject: string) => {
        const s = pick(samples, group, subject)
        return s.reduce((t, x) => t + x.cpuMs, 0) / Math.max(1, s.reduce((n, x) => n + x.wall.length, 0))
      }
      return perCall('api') / perCall(base)
    }
    const ping = collect(searchSamples, 'overhead', 'api')
    const rows: SummaryRow[] = []

    console.log(`\nclients.search through the in-process API as the manager (sees all) vs the best raw SQL; ${ROUNDS} interleaved rounds, times per call; load after: ${loadAfterSearch}`)
    console.log('raw: the hand-written search on the start-up connection, on the event loop (the baseline of the goal); raw thread: the same on a reader connection in its own thread, one message each way (issue #15 item 1)')
    console.log('HTTP: the same calls as POST /api/clients.search over loopback (keep-alive), the way a browser terminal makes them; raw HTTP: the raw search behind a bare node:http server in this process, called the same way (its baseline)')
    console.log("agent: the same calls as an agent (digits find only the agent's clients, masked phones), against the raw SQL as that agent\n")
    console.log('a digit search as the manager leaves a clients.phoneLookup audit row, written after the answer: its write falls in the later calls\' times and in the CPU ratio\n')
    const searchTable: string[][] = []
    for (const cls of classes) {
      const api = collect(searchSamples, cls.label, 'api')
      const raw = collect(searchSamples, cls.label, 'raw')
      const ag = collect(searchSamples, cls.label, 'agent')
      const rawAg = collect(searchSamples, cls.label, 'rawAgent')
      const thread = collect(searchSamples, cls.label, 'thread')
      const check = searchCheck.get(cls.label)!
      const r50 = api.p50 / raw.p50
      const r95 = api.p95 / raw.p95
      const rCpu = cpuRatio(searchSamples, cls.label)
      const http = collect(searchSamples, cls.label, 'http')
      const rawHttpStats = collect(searchSamples, cls.label, 'rawHttp')
      searchTable.push([
        cls.label,
        cls.queries.join(' '),
        `${check.hits.join('/')} of ${check.totals.join('/')}`,
        fmtStats(api),
        `${fmtMs(http.p50)} / ${fmtMs(http.p95)} (${fmtRatio(http.p50 / rawHttpStats.p50)} / ${fmtRatio(http.p95 / rawHttpStats.p95)})`,
        `${fmtMs(rawHttpStats.p50)} / ${fmtMs(rawHttpStats.p95)}`,
        fmtStats(raw),
        `${fmtRatio(r50)} / ${fmtRatio(r95)}`,
        fmtRatio(rCpu),
        `${fmtMs(thread.p50)} / ${fmtMs(thread.p95)}`,
        `${fmtRatio(api.p50 / thread.p50)} / ${fmtRatio(api.p95 / thread.p95)}`,
        fmtRatio(cpuRatio(searchSamples, cls.label, 'thread')),
        `${fmtMs(ag.p50)} / ${fmtMs(ag.p95)} (${fmtRatio(ag.p50 / rawAg.p50)} / ${fmtRatio(ag.p95 / rawAg.p95)})`,
        check.rowsSame ? 'yes' : check.idsSame ? 'ids only' : 'NO',
      ])
      // the issue's goal: the API's p95 within 1.5x of the raw SQL's p95
      const met = api.p95 < TARGET_SEARCH_P95_MS && r95 <= TARGET_RATIO
      rows.push({
        bench: 'clients',
        measure: `search: ${cls.label}`,
        value: fmtStats(api),
        baseline: `raw ${fmtMs(raw.p50)} / ${fmtMs(raw.p95)}; raw on a thread ${fmtMs(thread.p50)} / ${fmtMs(thread.p95)}`,
        ratio: `${fmtRatio(r50)} / ${fmtRatio(r95)} (cpu ${fmtRatio(rCpu)}; vs thread ${fmtRatio(api.p50 / thread.p50)} / ${fmtRatio(api.p95 / thread.p95)}; HTTP ${fmtMs(http.p50)} / ${fmtMs(http.p95)} vs raw over HTTP ${fmtRatio(http.p50 / rawHttpStats.p50)} / ${fmtRatio(http.p95 / rawHttpStats.p95)})`,
        target: `p95 < ${TARGET_SEARCH_P95_MS} ms, p95 ≤ ${TARGET_RATIO}x`,
        met,
      })
    }
    printTable(['class', 'queries', 'hits of total', 'API p50/p95/mean', 'HTTP p50/p95 (/raw HTTP p50 / p95)', 'raw HTTP p50/p95', 'raw p50/p95/mean', 'API/raw p50 / p95', 'CPU API/raw', 'raw thread p50/p95', 'API/thread p50 / p95', 'CPU API/thread', 'agent p50/p95 (/raw agent)', 'same hits'], searchTable)
    console.log(`\nsystem.ping in-process (the dispatcher's fixed share): ${fmtStats(ping)}`)

    console.log(`\nclients.list pages of 100 rows + exact total (exactTotal: true) through the API, in-process and over loopback HTTP, vs the best raw SQL (page + count); times per call\n`)
    const gridTable: string[][] = []
    for (const g of cases) {
      const api = collect(gridSamples, g.label, 'api')
      const http = collect(gridSamples, g.label, 'http')
      const grid = collect(gridSamples, g.label, 'grid')
      const raw = collect(gridSamples, g.label, 'raw')
      const repo = collect(gridSamples, g.label, 'repo')
      const check = gridCheck.get(g)!
      const r50 = api.p50 / raw.p50
      const r95 = api.p95 / raw.p95
      const rCpu = cpuRatio(gridSamples, g.label)
      gridTable.push([
        g.label,
        g.as,
        `${check.rows}/${check.total.toLocaleString('en')}`,
        fmtStats(api),
        `${fmtMs(http.p50)} / ${fmtMs(http.p95)} (${fmtRatio(http.p95 / raw.p95)})`,
        `${fmtMs(grid.p50)} / ${fmtMs(grid.p95)}`,
        fmtStats(raw),
        `${fmtRatio(r50)} / ${fmtRatio(r95)}`,
        fmtRatio(rCpu),
        fmtMs(repo.p50),
        check.rowsSame ? 'yes' : check.idsSame ? 'ids only' : 'NO',
      ])
      rows.push({
        bench: 'clients',
        measure: `grid: ${g.label}`,
        value: fmtStats(api),
        baseline: `raw ${fmtMs(raw.p50)} / ${fmtMs(raw.p95)}`,
        ratio: `${fmtRatio(r50)} / ${fmtRatio(r95)} (cpu ${fmtRatio(rCpu)})`,
        target: `p95 < ${TARGET_GRID_P95_MS} ms, ≤ ${TARGET_RATIO}x`,
        met: api.p95 < TARGET_GRID_P95_MS && http.p95 < TARGET_GRID_P95_MS && r50 <= TARGET_RATIO,
      })
    }
    printTable(['case', 'as', 'rows/total', 'API p50/p95/mean', 'HTTP p50/p95 (p95/raw)', 'grid as shown p50/p95', 'raw p50/p95/mean', 'API/raw p50 / p95', 'CPU API/raw', 'repo p50', 'same page'], gridTable)
    console.log('grid as shown: the call the grid makes (no exactTotal: a large total is the count of the last minute); repo: listClients() through Kysely, no dispatcher')

    console.log('\nquery plans of the grid pages (API page query; the baseline, fastest of the hand-written candidates):')
    for (const g of cases) {
      const session = g.as === 'agent' ? agentSession : managerSession
      const [page] = await plansOf(sqlite, (d) => listClients(d, ClientListInput.parse(g.input), session, NOW, new GridTotals()))
      const check = gridCheck.get(g)!
      const chosen = g.pages.find((c) => c.name === check.page)!
      console.log(`  ${g.label}\n    API: ${page}\n    raw: ${explain(sqlite, chosen.sql, g.params)}\n         (page: ${check.page}; count: ${check.count})`)
    }
    console.log(
      `\nratios are API/raw of p50 and of p95 (wall time), and of CPU time per call (less sensitive to other tenants);` +
        ` a line meets its target when the API p95 is under the limit and the p50 ratio ≤ ${TARGET_RATIO}x`,
    )
    console.log('the rules scheduler was off (schedulerIntervalMs: 0); the host clock stood at the data\'s "now"')
    if (p.generatedMs !== null) console.log(`(data generation took ${fmtMs(p.generatedMs)}; later runs reuse ${CACHE_DIR})`)
    console.log(`\n${rows.filter((r) => r.met === false).length === 0 ? 'all targets met' : `targets missed: ${rows.filter((r) => r.met === false).map((r) => r.measure).join('; ')}`}`)
    return rows
  } finally {
    for (const close of closeLater) await close()
    manager.close()
    agent.close()
    await host.close()
  }
}

/** Client search and grid pages through the API on 100k clients, against hand-written SQL. */
export const clientsBench: Benchmark = {
  name: 'clients',
  description: 'clients.search and clients.list on 100k clients through the API vs the best raw SQL',
  run,
}
