import { spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import http from 'node:http'
import os from 'node:os'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import {
  fmtMs,
  fmtRatio,
  fmtStats,
  printTable,
  summarize,
  verdict,
  type Benchmark,
  type SummaryRow,
} from './lib/stats'
import { copyOf, ensureBook } from './jobs.bench'
import { stopWithTest } from '../helpers/host-process'

const ROOT = path.resolve(__dirname, '../..')
const HOST_JS = path.join(ROOT, 'out/main/host.js')
const PASSWORD = 'bench-admin-pass'
const RUNS = 5
const TARGET_MS = 1000
/** the goal for the first start of a 100,000-client book: its first answer */
const BOOK_TARGET_MS = 2000
const BOOK_CLIENTS = 100_000
const READY = /Keyuan host ready in (\d+) ms: (http:\/\/\S+)/

/** Builds the app when out/main/host.js is missing; warns when it is older than the sources. */
async function ensureBuilt(): Promise<void> {
  if (!fs.existsSync(HOST_JS)) {
    console.log('out/main/host.js is missing: running electron-vite build ...')
    const child = spawn('npx', ['electron-vite', 'build'], { cwd: ROOT, stdio: 'inherit' })
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve))
    if (code !== 0 || !fs.existsSync(HOST_JS)) throw new Error(`electron-vite build failed (exit ${code})`)
    return
  }
  const built = fs.statSync(HOST_JS).mtimeMs
  const newest = newestMtime([path.join(ROOT, 'electron/host'), path.join(ROOT, 'shared')])
  if (newest > built) console.log('note: out/main/host.js is older than electron/host or shared; `npm run build` to measure the current code\n')
}

function newestMtime(dirs: string[]): number {
  let newest = 0
  for (const dir of dirs) {
    for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
      if (entry.isFile()) newest = Math.max(newest, fs.statSync(path.join(entry.parentPath, entry.name)).mtimeMs)
    }
  }
  return newest
}

function childEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, KEYUAN_ADMIN_PASSWORD: PASSWORD, ...stopWithTest() }
  delete env.KEYUAN_DB_KEY
  return env
}

/** A JSON request on a fresh connection, as a first client would make it. */
function request(method: 'GET' | 'POST', url: string, body?: unknown, token?: string): Promise<{ status: number; json: unknown }> {
  return new Promise((resolve, reject) => {
    const data = body === undefined ? undefined : JSON.stringify(body)
    const headers: http.OutgoingHttpHeaders = {}
    if (data !== undefined) headers['content-type'] = 'application/json'
    if (token) headers.authorization = `Bearer ${token}`
    const req = http.request(url, { method, headers, agent: false }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(Buffer.concat(chunks).toString('utf8')) }))
      res.on('error', reject)
    })
    req.on('error', reject)
    req.end(data)
  })
}

async function expectOk(label: string, p: Promise<{ status: number; json: unknown }>): Promise<unknown> {
  const r = await p
  if (r.status !== 200) throw new Error(`${label} answered ${r.status}: ${JSON.stringify(r.json)}`)
  return r.json
}

interface RunningHost {
  child: ChildProcess
  url: string
  selfReportedMs: number
}

/** Spawns the built host and resolves once it prints its ready line. */
function spawnHost(dataDir: string): Promise<RunningHost> {
  const child = spawn(process.execPath, [HOST_JS, '--data', dataDir, '--port', '0'], {
    cwd: ROOT,
    env: childEnv(),
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  return new Promise((resolve, reject) => {
    let out = ''
    let err = ''
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`the host did not get ready in 30 s\n${out}${err}`))
    }, 30_000)
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString('utf8')
      const m = READY.exec(out)
      if (m) {
        clearTimeout(timer)
        child.stdout!.removeAllListeners('data')
        child.stdout!.resume()
        resolve({ child, url: m[2]!, selfReportedMs: Number(m[1]) })
      }
    })
    child.stderr!.on('data', (c: Buffer) => (err += c.toString('utf8')))
    child.on('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`the host exited (${code}) before it was ready\n${out}${err}`))
    })
  })
}

async function stopHost(h: RunningHost): Promise<void> {
  if (h.child.exitCode !== null) return
  const exited = new Promise((resolve) => h.child.once('exit', resolve))
  h.child.kill('SIGTERM')
  await exited
}

/** Creates the data folder with the first start, and signs in once for a session token. */
async function prepareDataDir(dataDir: string): Promise<string> {
  const h = await spawnHost(dataDir)
  try {
    const login = (await expectOk(
      'auth.login',
      request('POST', `${h.url}/api/auth.login`, { username: 'admin', password: PASSWORD }),
    )) as { value: { token: string } }
    return login.value.token
  } finally {
    await stopHost(h)
  }
}

interface StartTimes {
  ready: number
  selfReported: number
  healthz: number
  ping: number
  login: number
}

async function coldStartOnce(dataDir: string, token: string): Promise<StartTimes> {
  const t0 = performance.now()
  const h = await spawnHost(dataDir)
  try {
    const ready = performance.now() - t0
    await expectOk('GET /healthz', request('GET', `${h.url}/healthz`))
    const healthz = performance.now() - t0
    await expectOk('system.ping', request('POST', `${h.url}/api/system.ping`, {}, token))
    const ping = performance.now() - t0
    await expectOk('auth.login', request('POST', `${h.url}/api/auth.login`, { username: 'admin', password: PASSWORD }))
    const login = performance.now() - t0
    return { ready, selfReported: h.selfReportedMs, healthz, ping, login }
  } finally {
    await stopHost(h)
  }
}

/**
 * The first start of a big book, on a fresh copy each time (the catch-up pass that start runs
 * changes the book): until the ready line, /healthz, and auth.login (which also gives a session
 * for the ping after it).
 */
async function bookStartOnce(dataDir: string): Promise<StartTimes> {
  const t0 = performance.now()
  const h = await spawnHost(dataDir)
  try {
    const ready = performance.now() - t0
    await expectOk('GET /healthz', request('GET', `${h.url}/healthz`))
    const healthz = performance.now() - t0
    const login = (await expectOk('auth.login', request('POST', `${h.url}/api/auth.login`, { username: 'admin', password: PASSWORD }))) as { value: { token: string } }
    const signedIn = performance.now() - t0
    await expectOk('system.ping', request('POST', `${h.url}/api/system.ping`, {}, login.value.token))
    const ping = performance.now() - t0
    return { ready, selfReported: h.selfReportedMs, healthz, ping, login: signedIn }
  } finally {
    await stopHost(h)
  }
}

async function bareNode(): Promise<number> {
  const t0 = performance.now()
  const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' })
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve))
  if (code !== 0) throw new Error(`node -e "" exited ${code}`)
  return performance.now() - t0
}

async function run(): Promise<SummaryRow[]> {
  await ensureBuilt()
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'keyuan-bench-cold-'))
  try {
    const token = await prepareDataDir(dataDir)
    // One unrecorded start of each warms the OS file cache: we measure process start, not disk.
    await bareNode()
    await coldStartOnce(dataDir, token)
    const node: number[] = []
    const starts: StartTimes[] = []
    for (let i = 0; i < RUNS; i++) {
      node.push(await bareNode())
      starts.push(await coldStartOnce(dataDir, token))
    }

    const s = {
      node: summarize(node),
      ready: summarize(starts.map((x) => x.ready)),
      selfReported: summarize(starts.map((x) => x.selfReported)),
      healthz: summarize(starts.map((x) => x.healthz)),
      ping: summarize(starts.map((x) => x.ping)),
      login: summarize(starts.map((x) => x.login)),
    }
    console.log(`${RUNS} spawns each of \`node out/main/host.js --data <existing> --port 0\` and \`node -e ""\`; ms from spawn\n`)
    printTable(
      ['from spawn until', 'p50', 'p95', 'mean', 'min', 'max', 'ratio to bare node (p50)'],
      (
        [
          ['bare node exited (baseline)', s.node],
          ['host printed ready', s.ready],
          ['  (host\'s own "ready in")', s.selfReported],
          ['GET /healthz answered', s.healthz],
          ['POST system.ping answered', s.ping],
          ['POST auth.login answered', s.login],
        ] as const
      ).map(([label, st]) => [
        label,
        fmtMs(st.p50),
        fmtMs(st.p95),
        fmtMs(st.mean),
        fmtMs(st.min),
        fmtMs(st.max),
        fmtRatio(st.p50 / s.node.p50),
      ]),
    )
    const met = s.ping.p95 < TARGET_MS
    const metLogin = s.login.p95 < TARGET_MS
    console.log(
      `\nfirst API answer (ping) p95 ${fmtMs(s.ping.p95)}: target < ${TARGET_MS} ms ${verdict(met)};` +
        ` first sign-in p95 ${fmtMs(s.login.p95)} (includes one scrypt) ${verdict(metLogin)}`,
    )

    // the same on the 100,000-client book (generated once by the jobs bench, cached), each start on a fresh copy
    const book = await ensureBook(BOOK_CLIENTS)
    const bookStarts: StartTimes[] = []
    const bookNode: number[] = []
    for (let i = 0; i < RUNS; i++) {
      const dir = copyOf(book)
      try {
        bookNode.push(await bareNode())
        bookStarts.push(await bookStartOnce(dir))
      } finally {
        fs.rmSync(dir, { recursive: true, force: true })
      }
    }
    const b = {
      node: summarize(bookNode),
      ready: summarize(bookStarts.map((x) => x.ready)),
      healthz: summarize(bookStarts.map((x) => x.healthz)),
      login: summarize(bookStarts.map((x) => x.login)),
      ping: summarize(bookStarts.map((x) => x.ping)),
    }
    console.log(`\n${RUNS} first starts of the ${BOOK_CLIENTS.toLocaleString('en')}-client book (a fresh copy each; the catch-up pass runs behind), ms from spawn\n`)
    printTable(
      ['from spawn until', 'p50', 'p95', 'mean', 'min', 'max', 'ratio to bare node (p50)', 'ratio to empty database (p50)'],
      (
        [
          ['bare node exited (baseline)', b.node, s.node],
          ['host printed ready', b.ready, s.ready],
          ['GET /healthz answered', b.healthz, s.healthz],
          ['POST auth.login answered', b.login, s.login],
          ['POST system.ping answered (after login)', b.ping, s.ping],
        ] as const
      ).map(([label, st, empty]) => [label, fmtMs(st.p50), fmtMs(st.p95), fmtMs(st.mean), fmtMs(st.min), fmtMs(st.max), fmtRatio(st.p50 / b.node.p50), fmtRatio(st.p50 / empty.p50)]),
    )

    return [
      {
        bench: 'cold-start',
        measure: `first start of a ${BOOK_CLIENTS / 1000}k book -> /healthz`,
        value: fmtStats(b.healthz),
        baseline: `empty database ${fmtMs(s.healthz.p50)} p50`,
        ratio: fmtRatio(b.healthz.p50 / s.healthz.p50),
        target: `p95 < ${BOOK_TARGET_MS} ms`,
        met: b.healthz.p95 < BOOK_TARGET_MS,
      },
      {
        bench: 'cold-start',
        measure: `first start of a ${BOOK_CLIENTS / 1000}k book -> auth.login`,
        value: fmtStats(b.login),
        baseline: `empty database ${fmtMs(s.login.p50)} p50`,
        ratio: fmtRatio(b.login.p50 / s.login.p50),
        target: `p95 < ${BOOK_TARGET_MS} ms`,
        met: b.login.p95 < BOOK_TARGET_MS,
      },
      {
        bench: 'cold-start',
        measure: 'spawn -> first API answer (ping)',
        value: fmtStats(s.ping),
        baseline: `node -e "" ${fmtMs(s.node.p50)} p50`,
        ratio: fmtRatio(s.ping.p50 / s.node.p50),
        target: `p95 < ${TARGET_MS} ms`,
        met,
      },
      {
        bench: 'cold-start',
        measure: 'spawn -> auth.login answered',
        value: fmtStats(s.login),
        baseline: `node -e "" ${fmtMs(s.node.p50)} p50`,
        ratio: fmtRatio(s.login.p50 / s.node.p50),
        target: `p95 < ${TARGET_MS} ms`,
        met: metLogin,
      },
    ]
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true })
  }
}

/** Time from spawning the built host until it answers, against a bare node start. */
export const coldStart: Benchmark = {
  name: 'cold-start',
  description: 'built host started on an existing database until it answers, vs a bare node start; then first starts of a 100k-client book',
  run,
}
