/**
 * Long jobs on a big book: `npm run bench -- jobs`.
 *
 * - the rules engine's catch-up pass (every client quiet for 45 days: all return to the pool) and
 *   a departure (every client to two colleagues), each on 100,000 clients under one owner against
 *   1,000 under one owner: the ratio says whether the work is linear (~100x) or quadratic (~10,000x);
 * - the latency of a trivial call (system.ping over HTTP keep-alive) while each long job runs: p50,
 *   p99, the longest wait, and how many calls were answered meanwhile; also during the steady pass,
 *   a 3,000-unit import and a 500-unit bulk price approval;
 * - the first start of the 100,000-client book (the built host, spawned): until it first answers
 *   /healthz and auth.login, and until its catch-up pass has finished.
 *
 * Printed, never asserted. The books are generated once and cached under the OS temp folder
 * (TMPDIR moves it); each measurement works on a fresh copy. KEYUAN_BENCH_QUICK=1: the small book only.
 */
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import http from 'node:http'
import os from 'node:os'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import { DAY_MS } from '@shared/domain/rules'
import { ManualClock } from '../../electron/host/clock'
import { DB_FILE_NAME, KEY_FILE_NAME } from '../../electron/host/db/key-file'
import { LATEST_SCHEMA_VERSION } from '../../electron/host/db/migrate'
import { generateClients } from '../../electron/host/demo/generate-clients'
import { startHost, type Host } from '../../electron/host/host'
import { unitSheetBase64, type UnitSheetRow } from '../helpers/unit-sheet'
import { fmtMs, fmtRatio, percentile, printTable, summarize, type Benchmark, type SummaryRow } from './lib/stats'
import { stopWithTest } from '../helpers/host-process'

const ADMIN_PASSWORD = 'bench-admin-pass'
const STAFF_PASSWORD = 'bench-staff-pass'
const QUICK = process.env.KEYUAN_BENCH_QUICK === '1'
const SIZES = QUICK ? [1_000] : [1_000, 100_000]
const SEED = 20261201
/** when the books' history ends; the passes run 45 days later, when every owned client is due back in the pool. */
const DATA_NOW = new Date('2026-10-01T02:00:00Z')
const PASS_AT = new Date(DATA_NOW.getTime() + 45 * DAY_MS)
const DATA_VERSION = 'v1'
const MARKER = 'bench-data.json'
const IMPORT_UNITS = 3_000
/** pings answered one after another with no job running (the latency baseline) */
const IDLE_PINGS = 200
const BULK_UNITS = 500
const MINUTE_MS = 60_000
const ROOT = path.resolve(__dirname, '../..')
const HOST_JS = path.join(ROOT, 'out/main/host.js')

export interface Book {
  dir: string
  size: number
}

const cacheDir = (size: number) => path.join(os.tmpdir(), `keyuan-bench-jobs-${DATA_VERSION}-s${LATEST_SCHEMA_VERSION}-${size}`)

/**
 * The bench's one measuring client asks back to back at times (the idle baseline's pings, the
 * runner's state every 5 ms): the host's call rate per session (20 a second, a defence against a
 * page flooding it: lan/limits.ts) would refuse it RATE_LIMITED, and the rate is not what this
 * bench measures. (The spawned host of the first start keeps the product's limits.)
 */
const MEASURING_CLIENT_LIMITS = { callsPerSecond: 100_000, callBurst: 100_000 }

function start(dataDir: string, clock: ManualClock, withServer: boolean): Promise<Host> {
  return startHost({ dataDir, noServer: !withServer, port: 0, schedulerIntervalMs: 0, clock, env: { KEYUAN_ADMIN_PASSWORD: ADMIN_PASSWORD }, transportLimits: MEASURING_CLIENT_LIMITS })
}

/** A book of `size` clients, every one owned by the agent `solo`; two colleagues and a manager beside. Cached. */
export async function ensureBook(size: number): Promise<Book> {
  const dir = cacheDir(size)
  const key = `${DATA_VERSION}-${LATEST_SCHEMA_VERSION}-${size}-${SEED}`
  try {
    if ((JSON.parse(fs.readFileSync(path.join(dir, MARKER), 'utf8')) as { key?: string }).key === key) return { dir, size }
  } catch {
    // not there yet
  }
  console.log(`generating a book of ${size.toLocaleString('en')} clients under one owner into ${dir} ...`)
  const t0 = performance.now()
  const building = fs.mkdtempSync(`${dir}.building-`)
  try {
    const host = await start(building, new ManualClock(DATA_NOW), false)
    try {
      const admin = host.client()
      await admin.call('auth.login', { username: 'admin', password: ADMIN_PASSWORD })
      const staff = async (username: string, role: 'agent' | 'manager') => (await admin.call('staff.create', { username, name: `${username}名`, role, password: STAFF_PASSWORD })).id
      const solo = await staff('solo', 'agent')
      await staff('heir1', 'agent')
      await staff('heir2', 'agent')
      await staff('mgr', 'manager')
      admin.close()
      generateClients(host.database.sqlite, { clients: size, ownerIds: [solo], now: DATA_NOW, seed: SEED, followUps: size })
      host.database.sqlite.prepare('UPDATE clients SET owner_id = ? WHERE owner_id IS NULL').run(solo)
    } finally {
      await host.close()
    }
    fs.writeFileSync(path.join(building, MARKER), JSON.stringify({ key, size }))
    fs.rmSync(dir, { recursive: true, force: true })
    fs.renameSync(building, dir)
  } finally {
    fs.rmSync(building, { recursive: true, force: true })
  }
  console.log(`  (${fmtMs(performance.now() - t0)})`)
  return { dir, size }
}

/** A fresh copy of a book's data folder (database and key file). */
export function copyOf(book: Book): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keyuan-bench-jobs-run-'))
  for (const f of [DB_FILE_NAME, KEY_FILE_NAME]) fs.copyFileSync(path.join(book.dir, f), path.join(dir, f))
  return dir
}

// ---------------------------------------------------------------------------------------------
// calls over HTTP

const agent = new http.Agent({ keepAlive: true, maxSockets: 4 })

function post(url: string, method: string, body: unknown, token?: string): Promise<{ ok: boolean; value?: unknown; error?: { code: string } }> {
  return new Promise((resolve, reject) => {
    const data = JSON.stringify(body)
    const headers: http.OutgoingHttpHeaders = { 'content-type': 'application/json' }
    if (token) headers.authorization = `Bearer ${token}`
    const req = http.request(`${url}/api/${method}`, { method: 'POST', headers, agent }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')) as { ok: boolean }))
      res.on('error', reject)
    })
    req.on('error', reject)
    req.end(data)
  })
}

async function login(url: string, username: string, password: string): Promise<string> {
  const r = await post(url, 'auth.login', { username, password })
  if (!r.ok) throw new Error(`sign-in of ${username} failed: ${JSON.stringify(r.error)}`)
  return (r.value as { token: string }).token
}

interface During {
  ms: number
  /** latency of each trivial call answered while the job ran */
  pings: number[]
}

/**
 * How often the pinger asks while a job runs: a terminal's pace (back to back, a caller answered in
 * 0.1 ms asked ~950,000 times during a 100 s departure, a load test of its own), within the host's
 * call rate per session (20 a second, lan/limits.ts), which the spawned host of the first start keeps.
 */
const PING_EVERY_MS = 60

/** Runs `job` while one caller after another asks system.ping: the job's time and every ping's latency. */
async function during(url: string, token: string, job: () => Promise<unknown>): Promise<During> {
  let running = true
  const pings: number[] = []
  const pinger = (async () => {
    while (running) {
      const t0 = performance.now()
      const r = await post(url, 'system.ping', {}, token)
      if (!r.ok) throw new Error(`ping failed: ${JSON.stringify(r.error)}`)
      if (running) pings.push(performance.now() - t0)
      if (running) await new Promise((resolve) => setTimeout(resolve, PING_EVERY_MS))
    }
  })()
  // the first ping is on its way before the job starts
  await new Promise((resolve) => setImmediate(resolve))
  const t0 = performance.now()
  try {
    await job()
  } finally {
    running = false
  }
  const ms = performance.now() - t0
  await pinger
  return { ms, pings }
}

/** Polls until `done()` holds (a bench may wait on a condition by looking every few ms). */
async function until(done: () => boolean | Promise<boolean>, everyMs = 5): Promise<void> {
  while (!(await done())) await new Promise((resolve) => setTimeout(resolve, everyMs))
}

// ---------------------------------------------------------------------------------------------
// the measurements on one book

interface BookFigures {
  size: number
  /** pings with no job running: the baseline */
  idle: During
  catchUp: During
  steady: During
  depart: During
  importUnits: During | null
  bulkPrice: During | null
}

async function measureBook(book: Book): Promise<BookFigures> {
  // the catch-up pass, then the steady pass a minute later, on one copy
  let dir = copyOf(book)
  let host = await start(dir, new ManualClock(PASS_AT), true)
  let catchUp: During
  let idle: During
  let steady: During
  try {
    const token = await login(host.url!, 'admin', ADMIN_PASSWORD)
    // the baseline: the same pings with no job running
    idle = await during(host.url!, token, async () => {
      for (let i = 0; i < IDLE_PINGS; i++) await post(host.url!, 'system.ping', {}, token)
    })
    catchUp = await during(host.url!, token, () => host.scheduler.runOnce())
    const pooled = host.database.sqlite.prepare('SELECT count(*) FROM clients WHERE owner_id IS NULL').pluck().get() as number
    console.log(`  ${book.size.toLocaleString('en')} clients: catch-up pass ${fmtMs(catchUp.ms)} (${pooled.toLocaleString('en')} now in the pool)`)
    ;(host.clock as ManualClock).advance(MINUTE_MS)
    steady = await during(host.url!, token, () => host.scheduler.runOnce())
    console.log(`  ${book.size.toLocaleString('en')} clients: steady pass ${fmtMs(steady.ms)}`)
  } finally {
    await host.close()
    fs.rmSync(dir, { recursive: true, force: true })
  }

  // a departure of the one owner, then (on the big book) a unit import and a bulk price approval
  dir = copyOf(book)
  host = await start(dir, new ManualClock(DATA_NOW), true)
  let depart: During
  let importUnits: During | null = null
  let bulkPrice: During | null = null
  try {
    const url = host.url!
    const token = await login(url, 'admin', ADMIN_PASSWORD)
    const mgr = await login(url, 'mgr', STAFF_PASSWORD)
    const id = (name: string) => host.database.sqlite.prepare('SELECT id FROM staff WHERE username = ?').pluck().get(name) as number
    const solo = id('solo')
    const owned = host.database.sqlite.prepare('SELECT count(*) FROM clients WHERE owner_id = ?').pluck()
    depart = await during(url, token, async () => {
      const r = await post(url, 'staff.depart', { id: solo, toStaffIds: [id('heir1'), id('heir2')], reason: '离职' }, mgr)
      if (!r.ok) throw new Error(`staff.depart failed: ${JSON.stringify(r.error)}`)
      // the clients move behind the answer, as a job: done when it has finished (asking the
      // runner, not polling the database from this process, which would be work on the host's own thread)
      await host.jobs.finished((r.value as { jobId: number }).jobId)
    })
    if ((owned.get(solo) as number) !== 0) throw new Error('the departure left clients with the departed agent')
    console.log(`  ${book.size.toLocaleString('en')} clients: departure ${fmtMs(depart.ms)}`)
    if (book.size === SIZES[SIZES.length - 1]) {
      const project = await post(url, 'projects.create', { name: '基准楼盘' }, mgr)
      const projectId = (project.value as { id: number }).id
      const file = await unitSheetBase64(unitRows())
      importUnits = await during(url, token, async () => {
        const r = await post(url, 'units.import', { projectId, fileBase64: file }, mgr)
        if (!r.ok || (r.value as { imported: number }).imported !== IMPORT_UNITS) throw new Error(`units.import failed: ${JSON.stringify(r)}`)
      })
      console.log(`  unit import of ${IMPORT_UNITS.toLocaleString('en')} units ${fmtMs(importUnits.ms)}`)
      const units = host.database.sqlite.prepare('SELECT id, list_price FROM units ORDER BY id LIMIT ?').all(BULK_UNITS) as Array<{ id: number; list_price: number }>
      const heir = await login(url, 'heir1', STAFF_PASSWORD)
      const asked = await post(url, 'changes.request', { kind: 'bulkPrice', payload: { items: units.map((u) => ({ unitId: u.id, listPrice: u.list_price + 10_000 })) } }, heir)
      if (!asked.ok) throw new Error(`changes.request failed: ${JSON.stringify(asked.error)}`)
      bulkPrice = await during(url, token, async () => {
        const r = await post(url, 'changes.decide', { id: (asked.value as { id: number }).id, approve: true }, mgr)
        if (!r.ok) throw new Error(`changes.decide failed: ${JSON.stringify(r.error)}`)
      })
      console.log(`  bulk price approval of ${BULK_UNITS} units ${fmtMs(bulkPrice.ms)}`)
    }
  } finally {
    await host.close()
    fs.rmSync(dir, { recursive: true, force: true })
  }
  return { size: book.size, idle, catchUp, steady, depart, importUnits, bulkPrice }
}

function unitRows(): UnitSheetRow[] {
  const rows: UnitSheetRow[] = []
  for (let b = 1; b <= 5; b++)
    for (let f = 1; f <= 30; f++)
      for (let n = 1; n <= IMPORT_UNITS / 150; n++) rows.push({ building: `${b}号楼`, floor: f, number: `${f}${String(n).padStart(2, '0')}`, layout: '三室两厅', area: 98.5, orientation: '南', listPrice: 3_000_000 + f * 1000, tags: '' })
  return rows
}

// ---------------------------------------------------------------------------------------------
// first start of the big book, spawned

interface FirstStart {
  ready: number
  healthz: number
  login: number
  caughtUp: number
  pingsWhileCatchingUp: number[]
}

async function firstStart(book: Book): Promise<FirstStart | null> {
  if (!fs.existsSync(HOST_JS)) {
    console.log('  (out/main/host.js is missing: `npx electron-vite build` first; first start not measured)')
    return null
  }
  const dir = copyOf(book)
  const env: NodeJS.ProcessEnv = { ...process.env, KEYUAN_ADMIN_PASSWORD: ADMIN_PASSWORD, ...stopWithTest() }
  delete env.KEYUAN_DB_KEY
  const t0 = performance.now()
  const child = spawn(process.execPath, [HOST_JS, '--data', dir, '--port', '0'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] })
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let out = ''
      child.stdout!.on('data', (c: Buffer) => {
        out += c.toString('utf8')
        const m = /ready in \d+ ms: (http:\/\/\S+)/.exec(out)
        if (m) resolve(m[1]!)
      })
      child.on('exit', (code) => reject(new Error(`the host exited (${code}) before it was ready`)))
    })
    const ready = performance.now() - t0
    // the first answers, each asked as soon as the one before came back
    await new Promise<void>((resolve, reject) => http.get(`${url}/healthz`, { agent }, (res) => res.resume().on('end', resolve)).on('error', reject))
    const healthz = performance.now() - t0
    const token = await login(url, 'admin', ADMIN_PASSWORD)
    const signedIn = performance.now() - t0
    // the catch-up pass runs behind; where the host has no job list, it ran before the first answer
    // asked every 200 ms in a session of its own: the spawned host keeps its call rate per session,
    // which the pings use up to 20 a second
    const watcher = await login(url, 'admin', ADMIN_PASSWORD)
    const running = async () => {
      const r = await post(url, 'jobs.list', { status: 'running' }, watcher)
      if (!r.ok) throw new Error(`jobs.list failed: ${JSON.stringify(r.error)}`)
      return (r.value as { rows: unknown[] }).rows.length > 0
    }
    const caught = await during(url, token, () => until(async () => !(await running()), 200))
    return { ready, healthz, login: signedIn, caughtUp: signedIn + caught.ms, pingsWhileCatchingUp: caught.pings }
  } finally {
    const exited = new Promise((resolve) => child.once('exit', resolve))
    child.kill('SIGTERM')
    await exited
    fs.rmSync(dir, { recursive: true, force: true })
  }
}

// ---------------------------------------------------------------------------------------------

const p = (xs: readonly number[], q: number) => percentile([...xs].sort((a, b) => a - b), q)
const pingCells = (d: During) => [String(d.pings.length), fmtMs(p(d.pings, 50)), fmtMs(p(d.pings, 99)), fmtMs(d.pings.reduce((a, b) => Math.max(a, b), 0))]

async function run(): Promise<SummaryRow[]> {
  const startLoad = os.loadavg().map((x) => x.toFixed(2)).join(' ')
  const books: Book[] = []
  for (const size of SIZES) books.push(await ensureBook(size))
  const figures: BookFigures[] = []
  for (const b of books) figures.push(await measureBook(b))
  const big = figures[figures.length - 1]!
  const small = figures[0]!

  console.log(`\nlong jobs with every client under one owner, and system.ping over HTTP keep-alive from one caller while each runs\n`)
  const jobRows: string[][] = []
  for (const f of figures) {
    const jobs: Array<[string, During | null]> = [
      ['(no job: the baseline; two callers)', f.idle],
      ['catch-up pass (all to the pool)', f.catchUp],
      ['steady pass, a minute later', f.steady],
      ['departure to two colleagues', f.depart],
      [`unit import, ${IMPORT_UNITS.toLocaleString('en')} units`, f.importUnits],
      [`bulk price approval, ${BULK_UNITS} units`, f.bulkPrice],
    ]
    for (const [label, d] of jobs) if (d) jobRows.push([f.size.toLocaleString('en'), label, fmtMs(d.ms), ...pingCells(d)])
  }
  printTable(['clients', 'job', 'time', 'pings answered', 'ping p50', 'ping p99', 'longest ping'], jobRows)

  const rows: SummaryRow[] = []
  if (big !== small) {
    const ratio = (a: number, b: number) => fmtRatio(a / b)
    console.log(`\n${big.size.toLocaleString('en')} vs ${small.size.toLocaleString('en')} clients under one owner (linear work: ~${big.size / small.size}x; quadratic: ~${(big.size / small.size) ** 2}x)\n`)
    printTable(
      ['job', `${small.size.toLocaleString('en')}`, `${big.size.toLocaleString('en')}`, 'ratio'],
      [
        ['catch-up pass', fmtMs(small.catchUp.ms), fmtMs(big.catchUp.ms), ratio(big.catchUp.ms, small.catchUp.ms)],
        ['departure', fmtMs(small.depart.ms), fmtMs(big.depart.ms), ratio(big.depart.ms, small.depart.ms)],
      ],
    )
    for (const [label, a, b] of [['catch-up pass', small.catchUp, big.catchUp], ['departure', small.depart, big.depart]] as const) {
      rows.push({ bench: 'jobs', measure: `${label}: 100k vs 1k under one owner`, value: fmtMs(b.ms), baseline: `1k ${fmtMs(a.ms)}`, ratio: ratio(b.ms, a.ms), target: 'linear (~100x)', met: null })
    }
  }
  const idleP99 = p(big.idle.pings, 99)
  rows.push({ bench: 'jobs', measure: `ping, no job running (${big.size.toLocaleString('en')})`, value: `${fmtMs(p(big.idle.pings, 50))} / p99 ${fmtMs(idleP99)}`, baseline: '', ratio: '', target: '', met: null })
  for (const [label, d] of [['catch-up pass', big.catchUp], ['steady pass', big.steady], ['departure', big.depart], ['unit import', big.importUnits], ['bulk price approval', big.bulkPrice]] as const) {
    if (!d) continue
    const s = summarize(d.pings)
    rows.push({ bench: 'jobs', measure: `ping during ${label} (${big.size.toLocaleString('en')})`, value: `${fmtMs(s.p50)} / p99 ${fmtMs(p(d.pings, 99))}`, baseline: `${d.pings.length} answered in ${fmtMs(d.ms)}`, ratio: `p99 ${fmtRatio(p(d.pings, 99) / idleP99)} idle`, target: 'p99 < 50 ms', met: d.pings.length > 0 && p(d.pings, 99) < 50 })
  }

  if (!QUICK) {
    const book = books[books.length - 1]!
    console.log(`\nfirst start of the ${book.size.toLocaleString('en')}-client book (built host, spawned; its clock is the real one, the book's history ended ${DATA_NOW.toISOString().slice(0, 10)})`)
    const fs0 = await firstStart(book)
    if (fs0) {
      printTable(
        ['from spawn until', 'ms'],
        [
          ['ready line printed', fmtMs(fs0.ready)],
          ['GET /healthz answered', fmtMs(fs0.healthz)],
          ['auth.login answered', fmtMs(fs0.login)],
          ['catch-up pass finished', fmtMs(fs0.caughtUp)],
        ],
      )
      const s = fs0.pingsWhileCatchingUp
      console.log(`pings while it caught up: ${s.length} answered, p50 ${fmtMs(p(s, 50))}, p99 ${fmtMs(p(s, 99))}, longest ${fmtMs(s.reduce((a, b) => Math.max(a, b), 0))}`)
      rows.push({ bench: 'jobs', measure: 'first start 100k: first answer (healthz)', value: fmtMs(fs0.healthz), baseline: `caught up at ${fmtMs(fs0.caughtUp)}`, ratio: '', target: '< 2 s', met: fs0.healthz < 2000 })
    }
  }
  console.log(`\nload average at the start ${startLoad}, now ${os.loadavg().map((x) => x.toFixed(2)).join(' ')} on ${os.cpus().length} cpus`)
  agent.destroy()
  return rows
}

/** Long jobs on 100k vs 1k clients under one owner, and a trivial call's latency while each runs. */
export const jobsBench: Benchmark = {
  name: 'jobs',
  description: 'catch-up pass and departure on 100k vs 1k clients under one owner (the ratio), a ping during each long job, first start of a 100k book',
  run,
}
