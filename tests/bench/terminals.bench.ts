/**
 * N WebSocket terminals against a host *process* on the 100,000-client book, each sending 5
 * requests a second on a fixed schedule (open loop: a slow answer does not slow the sender), a
 * realistic mix of search, client page, today list, board read and follow-up writes, for a
 * bounded time; meanwhile the scheduler's steady pass and a departure run, and a probe times a
 * trivial call (system.ping) while each runs. Prints p50/p95/p99, errors, the host process's CPU
 * (its event loop and its other threads) and the machine's load: `npm run bench -- terminals`.
 * Each phase runs over plain WebSocket and over TLS (the host's `--tls`, WSS trusting the branch
 * CA, as a paired terminal does), one host process each, and the TLS / plain ratios are printed.
 * Near the end of each phase the manager changes the board twenty times while the load goes on,
 * and each terminal times the `board.changed` it hears from the moment the change was sent
 * (fan-out, issue #17).
 *
 * Knobs (environment):
 *   KEYUAN_BENCH_SECONDS     seconds of load per terminal count (default 60), measured after
 *   KEYUAN_BENCH_WARMUP_SECONDS  seconds of the same load unmeasured (default 15)
 *   KEYUAN_BENCH_TERMINALS   terminal counts, comma-separated, one phase each (default 30)
 *   KEYUAN_BENCH_JOBS=0      no scheduler pass or departure during the load
 *   KEYUAN_BENCH_TRANSPORTS  `plain,tls` (default), or one of them
 *   KEYUAN_BENCH_CLIENTS_DIR where the generated book is cached (see clients.bench.ts)
 *   KEYUAN_BENCH_HOST_NODE_ARGS node options for the host process, space-separated
 *                            (e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof` to profile it)
 *
 * To measure another version of the host (before and after a change), run this file from that
 * checkout: the data is generated, brought up to date and served by the same version.
 *
 * The cached data of clients.bench.ts is copied into a temporary folder (the load writes), brought
 * up to date by one catch-up pass of the rules (the first start's long pass is another measure),
 * and given a project of 200 units for the board.
 *
 * Both transports are treated alike: the database file is read once before the first host starts
 * (the copy's pages in the OS cache for both), and each host, before its load, finishes the rules
 * pass it starts with and then answers each kind of the mix alone, one call at a time
 * (KEYUAN_BENCH_PER_KIND calls each, default 100): the host's CPU per call of each kind, and the
 * same warm-up for each phase. Each phase has its own departure (the two agents with the most
 * clients leave, one per phase). The output says which transport ran first.
 *
 *   KEYUAN_BENCH_PER_KIND    calls of each kind, one at a time, before each phase (0: none)
 *   KEYUAN_BENCH_SAMPLES_FILE  writes every answer's kind, time and latency, the jobs and the
 *                            bench's own event-loop delay to this JSON file (one entry per phase)
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { monitorEventLoopDelay, performance } from 'node:perf_hooks'
import { unitSheetBase64 } from '../helpers/unit-sheet'
import { WebSocket } from 'ws'
import { startHost } from '../../electron/host/host'
import { TLS_DIR, TLS_FILES } from '../../electron/host/tls/branch-tls'
import { REPO_ROOT, spawnHost, type HostProcess } from '../helpers/host-process'
import { statFields } from '../helpers/proc-stat'
import { ensureClientsData, STAFF_PASSWORD, staffUsers } from './clients.bench'
import { fmtMs, fmtRatio, percentile, printTable, verdict, type Benchmark, type SummaryRow } from './lib/stats'

const SECONDS = Number(process.env.KEYUAN_BENCH_SECONDS ?? 60)
const TERMINAL_COUNTS = (process.env.KEYUAN_BENCH_TERMINALS ?? '30').split(',').map((n) => Number(n.trim()))
const WITH_JOBS = process.env.KEYUAN_BENCH_JOBS !== '0'
type Wire = 'plain' | 'tls'
const WIRES = (process.env.KEYUAN_BENCH_TRANSPORTS ?? 'plain,tls').split(',').map((w) => w.trim()) as Wire[]
/** Board changes timed per phase, and the gap between them (the load goes on meanwhile). */
const FAN_OUT_CHANGES = 20
const FAN_OUT_GAP_MS = 150
const TARGET_FAN_OUT_P99_MS = 100
/** Seconds of the same load before each phase is measured. */
const WARMUP_SECONDS = Number(process.env.KEYUAN_BENCH_WARMUP_SECONDS ?? 15)
const RATE_PER_TERMINAL = 5
/** The probe's interval while a long job runs. */
const PROBE_EVERY_MS = 20
const TARGET_P99_MS = 50
/** The host allows 64 connections per address: terminals connect from several loopback addresses. */
const TERMINALS_PER_ADDRESS = 40
/** Agents a terminal signs in as: all but the two who depart, one in each phase (their sessions end). */
const TERMINAL_AGENTS = 18
/** Calls of each kind, one at a time, before each phase's load (its CPU per call; the same warm-up for each host). */
const PER_KIND = Number(process.env.KEYUAN_BENCH_PER_KIND ?? 100)
const SAMPLES_FILE = process.env.KEYUAN_BENCH_SAMPLES_FILE

type Kind = 'search' | 'client' | 'today' | 'board' | 'follow-up'
/** The mix, in shares of 100: what a branch's screens ask most. */
const MIX: ReadonlyArray<[Kind, number]> = [
  ['search', 35],
  ['client', 25],
  ['today', 15],
  ['board', 15],
  ['follow-up', 10],
]

interface Answer {
  ok: boolean
  code: string | null
  ms: number
  value?: unknown
}

/** One WebSocket with calls matched to answers by id. */
class Terminal {
  private nextId = 1
  private readonly waiting = new Map<number, { sentAt: number; resolve(a: Answer): void }>()
  token: string | undefined
  /** performance.now() of each `board.changed` heard */
  readonly boardChanges: number[] = []

  private constructor(private readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const frame = JSON.parse(String(data)) as { type: string; name?: string; id?: number; ok?: boolean; value?: unknown; error?: { code: string } }
      if (frame.type === 'event' && frame.name === 'board.changed') this.boardChanges.push(performance.now())
      if (frame.type !== 'result' || frame.id === undefined) return
      const w = this.waiting.get(frame.id)
      if (!w) return
      this.waiting.delete(frame.id)
      w.resolve({ ok: frame.ok === true, code: frame.ok ? null : (frame.error?.code ?? '?'), ms: performance.now() - w.sentAt, value: frame.value })
    })
    ws.on('close', () => {
      for (const w of this.waiting.values()) w.resolve({ ok: false, code: 'SOCKET_CLOSED', ms: performance.now() - w.sentAt })
      this.waiting.clear()
    })
  }

  /** `ca`: the branch CA to trust over WSS (a TLS host), as a paired terminal trusts its pinned one. */
  static async open(url: string, localAddress: string, ca?: string): Promise<Terminal> {
    const ws = new WebSocket(url, { localAddress, ...(ca ? { ca } : {}) })
    await new Promise((resolve, reject) => {
      ws.once('open', resolve)
      ws.once('error', reject)
    })
    ws.on('error', () => {})
    return new Terminal(ws)
  }

  call(method: string, input: unknown): Promise<Answer> {
    const id = this.nextId++
    return new Promise((resolve) => {
      this.waiting.set(id, { sentAt: performance.now(), resolve })
      this.ws.send(JSON.stringify({ id, method, input, token: this.token }))
    })
  }

  /** Signs in and keeps the token; returns the answer's value. */
  async signIn(username: string): Promise<void> {
    const id = this.nextId++
    const value = await new Promise<{ token: string }>((resolve, reject) => {
      const onMessage = (data: unknown) => {
        const frame = JSON.parse(String(data)) as { type: string; id?: number; ok?: boolean; value?: { token: string }; error?: unknown }
        if (frame.id !== id) return
        this.ws.off('message', onMessage)
        if (frame.ok && frame.value) resolve(frame.value)
        else reject(new Error(`sign-in of ${username} failed: ${JSON.stringify(frame.error)}`))
      }
      this.ws.on('message', onMessage)
      this.ws.send(JSON.stringify({ id, method: 'auth.login', input: { username, password: STAFF_PASSWORD } }))
    })
    this.token = value.token
  }

  close(): void {
    this.ws.close()
  }
}

/** What the terminals ask about: each agent's own clients, and the board's project. */
interface World {
  projectId: number
  agents: Array<{ username: string; clients: Array<{ id: number; name: string; code: string; phoneTail: string | null }> }>
  /** one agent leaving in each phase, the most loaded first */
  departing: Array<{ id: number; username: string; clients: number }>
  heirs: number[]
}

/** Copies the cached book, runs the catch-up pass, adds a project of 200 units, and reads what the terminals will ask for. */
async function prepareData(): Promise<{ dir: string; world: World }> {
  const { dir: cached } = await ensureClientsData()
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keyuan-bench-terminals-'))
  for (const f of ['keyuan.db', 'keyuan.key']) fs.copyFileSync(path.join(cached, f), path.join(dir, f))
  const t0 = performance.now()
  const host = await startHost({ dataDir: dir, noServer: true, schedulerIntervalMs: 0, env: {} })
  try {
    // the host's clock is the real one: the pass catches up from the data's "now" to today, once, here
    await host.scheduler.runOnce()
    console.log(`catch-up pass on the copy: ${fmtMs(performance.now() - t0)} (start included)`)
    const { agents, manager } = staffUsers()
    const mgr = host.client()
    await mgr.call('auth.login', { username: manager.username, password: STAFF_PASSWORD })
    const projectId = (await mgr.call('projects.create', { name: '压测楼盘', district: '浦东' })).id
    const rows = Array.from({ length: 20 }, (_, f) => f + 1).flatMap((floor) =>
      Array.from({ length: 10 }, (_, k) => k + 1).map((n) => ({ building: `${(n % 2) + 1}号楼`, floor, number: `${floor}${String(n).padStart(2, '0')}`, layout: '3室2厅', area: 98.5, orientation: '南北', listPrice: 5_000_000 + floor * 10_000 })),
    )
    await mgr.call('units.import', { projectId, fileBase64: await unitSheetBase64(rows) })
    const sqlite = host.database.sqlite
    const idOf = sqlite.prepare('SELECT id FROM staff WHERE username = ?').pluck()
    const own = sqlite.prepare(
      `SELECT id, name, code, primary_phone AS phone FROM clients WHERE owner_id = ? AND merged_into IS NULL ORDER BY id LIMIT 300`,
    )
    // the two agents with the most clients depart, one in each phase; the terminals are signed in as the others
    const owned = sqlite.prepare('SELECT count(*) FROM clients WHERE owner_id = ?').pluck()
    const byLoad = [...agents].sort((a, b) => (owned.get(idOf.get(b.username)) as number) - (owned.get(idOf.get(a.username)) as number))
    const leavers = byLoad.slice(0, 2)
    const stayers = agents.filter((a) => !leavers.includes(a))
    const world: World = {
      projectId,
      agents: stayers.slice(0, TERMINAL_AGENTS).map((a) => ({
        username: a.username,
        clients: (own.all(idOf.get(a.username)) as Array<{ id: number; name: string; code: string; phone: string | null }>).map((c) => ({
          id: c.id,
          name: c.name,
          code: c.code,
          phoneTail: c.phone ? c.phone.replace(/\D/g, '').slice(-4) : null,
        })),
      })),
      departing: leavers.map((leaver) => {
        const id = idOf.get(leaver.username) as number
        return { id, username: leaver.username, clients: owned.get(id) as number }
      }),
      heirs: stayers.slice(0, 4).map((a) => idOf.get(a.username) as number),
    }
    return { dir, world }
  } finally {
    await host.close()
  }
}

/** Starts `node --import tsx electron/host/index.ts` on the data folder (with `--tls` over TLS), waits for its URL; `stop` ends it with SIGTERM. */
async function startHostProcess(dir: string, wire: Wire): Promise<HostProcess & { ca: string | undefined; stop(): Promise<void> }> {
  const nodeArgs = (process.env.KEYUAN_BENCH_HOST_NODE_ARGS ?? '').split(' ').filter((a) => a !== '')
  const host = await spawnHost({
    command: [process.execPath, ...nodeArgs, '--import', 'tsx', path.join(REPO_ROOT, 'electron/host/index.ts'), ...(wire === 'tls' ? ['--tls'] : [])],
    dataDir: dir,
    startTimeoutMs: 120_000,
  })
  return {
    ...host,
    ca: wire === 'tls' ? fs.readFileSync(path.join(dir, TLS_DIR, TLS_FILES.caCert), 'utf8') : undefined,
    stop: async () => {
      host.child.kill('SIGTERM')
      await host.exited
    },
  }
}

/** CPU ms of one /proc stat line: utime and stime are fields 14 and 15, 12 and 13 after the name. */
function ticksMs(stat: string): number {
  const fields = statFields(stat)
  return (Number(fields[11]) + Number(fields[12])) * 10
}

/** CPU ms of a process so far: all its threads, its main thread (the event loop) alone, and each thread by name. */
function cpuOf(pid: number): { total: number; main: number; threads: Map<string, number> } {
  const threads = new Map<string, number>()
  for (const tid of fs.readdirSync(`/proc/${pid}/task`)) {
    try {
      const name = tid === String(pid) ? 'main' : fs.readFileSync(`/proc/${pid}/task/${tid}/comm`, 'utf8').trim()
      threads.set(`${name} ${tid}`, ticksMs(fs.readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8')))
    } catch {
      // the thread ended between the listing and the read
    }
  }
  return { total: ticksMs(fs.readFileSync(`/proc/${pid}/stat`, 'utf8')), main: ticksMs(fs.readFileSync(`/proc/${pid}/task/${pid}/stat`, 'utf8')), threads }
}

interface Sample {
  kind: Kind
  at: number
  answer: Answer
}

interface Job {
  name: string
  start: number
  end: number
  answer: Answer
}

interface PhaseResult {
  wire: Wire
  terminals: number
  /** ms from each board change sent to each terminal hearing it */
  fanOut: number[]
  /** terminals that did not hear a change */
  fanOutMissed: number
  samples: Sample[]
  jobs: Job[]
  probes: Array<{ at: number; answer: Answer; during: string }>
  seconds: number
  cpu: { total: number; main: number }
  /** CPU ms of each thread of the host over the phase, most first. */
  threads: Array<[string, number]>
  quietCpu: { total: number; main: number; requests: number; seconds: number }
  load: [string, string]
  /** how long the rules pass the host started with still ran before the phase */
  settledMs: number
  perKind: PerKind[]
  /** the bench process itself over the measured load: its share of a core and its event loop's delay (ms) */
  bench: { cpuShare: number; delayP50: number; delayP99: number; delayMax: number }
}

/** One kind of the mix alone, one call at a time: the host's CPU per call (all threads; the event loop alone) and the p50. */
interface PerKind {
  kind: Kind
  n: number
  p50: number
  cpu: number
  main: number
}

function pick<T>(xs: readonly T[]): T {
  return xs[Math.floor(Math.random() * xs.length)]!
}

function pickKind(): Kind {
  let r = Math.random() * 100
  for (const [k, share] of MIX) if ((r -= share) < 0) return k
  return 'search'
}

/** One request of the mix for an agent's terminal. */
function request(kind: Kind, world: World, agent: World['agents'][number], n: number): [string, unknown] {
  const c = pick(agent.clients)
  switch (kind) {
    case 'search': {
      const how = Math.random()
      // a name's first two characters, a code, or the last digits of an own client's phone
      const q = how < 0.5 ? c.name.slice(0, 2) : how < 0.75 || !c.phoneTail ? c.code : c.phoneTail
      return ['clients.search', { q, limit: 20 }]
    }
    case 'client':
      return ['clients.get', { id: c.id }]
    case 'today':
      return ['tasks.today', {}]
    case 'board':
      return ['board.get', { projectId: world.projectId }]
    case 'follow-up':
      return ['followups.create', { clientId: c.id, channel: 'phone', content: `压测回访 ${n}` }]
  }
}

/** Waits for the rules pass the host is running (the one it starts with), or runs one: nothing left over from the start in what follows. */
async function settle(boss: Terminal): Promise<number> {
  const t0 = performance.now()
  const answer = await boss.call('scheduler.run', {})
  const jobId = (answer.value as { jobId?: unknown } | undefined)?.jobId
  if (!answer.ok || typeof jobId !== 'number') throw new Error(`scheduler.run failed: ${answer.code}`)
  for (;;) {
    const state = await boss.call('jobs.get', { id: jobId })
    if (!state.ok || (state.value as { status?: string } | undefined)?.status !== 'running') break
    await new Promise((r) => setTimeout(r, 100))
  }
  return performance.now() - t0
}

/**
 * Each kind of the mix alone, PER_KIND calls one at a time, from each terminal in turn (a session
 * calling back to back would pass its rate limit): the host's CPU per call (all its threads, and
 * the event loop alone) and the answer's p50. The same for each host before its load, so it also
 * warms each one alike (statements prepared, pages read).
 */
async function perKindCost(list: ReadonlyArray<{ t: Terminal; agent: World['agents'][number] }>, world: World, pid: number): Promise<PerKind[]> {
  const out: PerKind[] = []
  for (const [kind] of MIX) {
    const ms: number[] = []
    const c0 = cpuOf(pid)
    for (let i = 0; i < PER_KIND; i++) {
      const { t, agent } = list[i % list.length]!
      const [method, input] = request(kind, world, agent, i)
      const a = await t.call(method, input)
      if (!a.ok) throw new Error(`${method} failed: ${a.code}`)
      ms.push(a.ms)
    }
    const c1 = cpuOf(pid)
    out.push({ kind, n: PER_KIND, p50: pct(ms, 50), cpu: (c1.total - c0.total) / PER_KIND, main: (c1.main - c0.main) / PER_KIND })
  }
  return out
}

/** One phase: `terminals` terminals for SECONDS, the jobs in the middle when WITH_JOBS. */
async function phase(url: string, ca: string | undefined, pid: number, world: World, terminals: number, departed: { next: number }): Promise<PhaseResult> {
  const wsUrl = `${url.replace(/^http/, 'ws')}/ws`
  const wire: Wire = ca ? 'tls' : 'plain'
  const list: Array<{ t: Terminal; agent: World['agents'][number] }> = []
  for (let i = 0; i < terminals; i++) {
    const agent = world.agents[i % world.agents.length]!
    const t = await Terminal.open(wsUrl, `127.0.0.${2 + Math.floor(i / TERMINALS_PER_ADDRESS)}`, ca)
    await t.signIn(agent.username)
    list.push({ t, agent })
  }
  const { manager } = staffUsers()
  const boss = await Terminal.open(wsUrl, '127.0.1.1', ca)
  await boss.signIn(manager.username)
  const probe = await Terminal.open(wsUrl, '127.0.1.2', ca)
  await probe.signIn(manager.username)
  const settled = await settle(boss)
  const perKind = PER_KIND > 0 ? await perKindCost(list, world, pid) : []
  const samples: Sample[] = []
  const jobs: Job[] = []
  const probes: PhaseResult['probes'] = []
  const inFlight: Array<Promise<unknown>> = []
  const durationMs = SECONDS * 1000
  // the same load, unmeasured, first: a host that has run a while has its statements prepared and its page caches filled
  let t0 = performance.now() + WARMUP_SECONDS * 1000
  let n = 0
  // each terminal on its own fixed 200 ms beat, started at a random offset
  const timers = list.map(({ t, agent }) => {
    const beat = () => {
      const kind = pickKind()
      const [method, input] = request(kind, world, agent, n++)
      const at = performance.now() - t0
      inFlight.push(t.call(method, input).then((answer) => at >= 0 && samples.push({ kind, at, answer })))
    }
    const offset = Math.random() * (1000 / RATE_PER_TERMINAL)
    let interval: NodeJS.Timeout | undefined
    const first = setTimeout(() => {
      beat()
      interval = setInterval(beat, 1000 / RATE_PER_TERMINAL)
    }, offset)
    return () => {
      clearTimeout(first)
      clearInterval(interval)
    }
  })
  await new Promise((r) => setTimeout(r, WARMUP_SECONDS * 1000))
  t0 = performance.now()
  const load0 = os.loadavg()[0]!.toFixed(2)
  const cpu0 = cpuOf(pid)
  // the terminals run on the same cores as the host: their own CPU, and how late their event loop ran (it adds to every latency measured)
  const benchCpu0 = process.cpuUsage()
  const benchDelay = monitorEventLoopDelay({ resolution: 10 })
  benchDelay.enable()
  let quietCpu: PhaseResult['quietCpu'] | null = null
  const quietTimer = setTimeout(() => {
    const c = cpuOf(pid)
    quietCpu = { total: c.total - cpu0.total, main: c.main - cpu0.main, requests: samples.length, seconds: (performance.now() - t0) / 1000 }
  }, durationMs * 0.25)

  /** Runs a long job while the probe pings every PROBE_EVERY_MS. */
  const job = async (name: string, method: string, input: unknown) => {
    let running = true
    const start = performance.now() - t0
    const pinging = (async () => {
      while (running) {
        const at = performance.now() - t0
        inFlight.push(probe.call('system.ping', {}).then((answer) => probes.push({ at, answer, during: name })))
        await new Promise((r) => setTimeout(r, PROBE_EVERY_MS))
      }
    })()
    let answer = await boss.call(method, input)
    // the call queues the work as a job (a departure of more than a few hundred clients, every pass):
    // the job is what runs long, so the probe keeps pinging until the job has finished
    const jobId = (answer.value as { jobId?: unknown } | undefined)?.jobId
    if (answer.ok && typeof jobId === 'number') {
      for (;;) {
        const state = await boss.call('jobs.get', { id: jobId })
        const status = (state.value as { status?: string } | undefined)?.status
        if (!state.ok || status !== 'running') {
          answer = { ...answer, ok: state.ok && status === 'done', code: state.ok ? (status === 'done' ? null : `JOB_${String(status)}`) : state.code }
          break
        }
        await new Promise((r) => setTimeout(r, 100))
      }
    }
    running = false
    await pinging
    jobs.push({ name, start, end: performance.now() - t0, answer })
  }
  const jobsDone = (async () => {
    if (!WITH_JOBS) return
    const at = async (share: number) => {
      const wait = t0 + durationMs * share - performance.now()
      if (wait > 0) await new Promise((r) => setTimeout(r, wait))
    }
    await at(0.3)
    await job('scheduler pass', 'scheduler.run', {})
    await at(0.5)
    const leaver = world.departing[departed.next++]
    if (leaver) await job(`departure (${leaver.clients.toLocaleString('en')} clients)`, 'staff.depart', { id: leaver.id, toStaffIds: world.heirs })
    await at(0.75)
    await job('scheduler pass', 'scheduler.run', {})
  })()

  await new Promise((r) => setTimeout(r, durationMs))
  await jobsDone
  benchDelay.disable()
  const benchCpu = process.cpuUsage(benchCpu0)
  const bench = {
    cpuShare: (benchCpu.user + benchCpu.system) / 1000 / (performance.now() - t0),
    delayP50: benchDelay.percentile(50) / 1e6,
    delayP99: benchDelay.percentile(99) / 1e6,
    delayMax: benchDelay.max / 1e6,
  }
  const { fanOut, missed } = await timeFanOut(boss, list.map((l) => l.t))
  for (const stop of timers) stop()
  clearTimeout(quietTimer)
  const seconds = (performance.now() - t0) / 1000
  const cpu1 = cpuOf(pid)
  await Promise.all(inFlight)
  for (const { t } of list) t.close()
  boss.close()
  probe.close()
  return {
    wire,
    terminals,
    fanOut,
    fanOutMissed: missed,
    samples,
    jobs,
    probes,
    seconds,
    cpu: { total: cpu1.total - cpu0.total, main: cpu1.main - cpu0.main },
    threads: [...cpu1.threads].map(([name, ms]) => [name, ms - (cpu0.threads.get(name) ?? 0)] as [string, number]).filter(([, ms]) => ms > 0).sort((a, b) => b[1] - a[1]),
    quietCpu: quietCpu ?? { total: 0, main: 0, requests: 0, seconds: 0 },
    load: [load0, os.loadavg()[0]!.toFixed(2)],
    settledMs: settled,
    perKind,
    bench,
  }
}

/**
 * The manager changes the board (its colours: every open board reloads) FAN_OUT_CHANGES times,
 * FAN_OUT_GAP_MS apart, while the load goes on; each terminal's first `board.changed` after a
 * change is timed from the moment the change was sent (its write and commit included).
 */
async function timeFanOut(boss: Terminal, terminals: readonly Terminal[]): Promise<{ fanOut: number[]; missed: number }> {
  const fanOut: number[] = []
  let missed = 0
  for (let i = 0; i < FAN_OUT_CHANGES; i++) {
    const heardBefore = terminals.map((t) => t.boardChanges.length)
    const sentAt = performance.now()
    const answer = await boss.call('board.setPalette', { palette: null })
    if (!answer.ok) throw new Error(`board.setPalette failed: ${answer.code}`)
    // every terminal has heard it, or a second has passed
    const until = performance.now() + 1000
    while (terminals.some((t, k) => t.boardChanges.length === heardBefore[k]) && performance.now() < until) await new Promise((r) => setTimeout(r, 2))
    for (const [k, t] of terminals.entries()) {
      const at = t.boardChanges[heardBefore[k]!]
      if (at === undefined) missed++
      else fanOut.push(at - sentAt)
    }
    await new Promise((r) => setTimeout(r, FAN_OUT_GAP_MS))
  }
  return { fanOut, missed }
}

function pct(ms: readonly number[], p: number): number {
  return percentile([...ms].sort((a, b) => a - b), p)
}

function report(r: PhaseResult): SummaryRow[] {
  const answered = r.samples.map((s) => s.answer)
  const errors = new Map<string, number>()
  for (const a of answered) if (!a.ok) errors.set(a.code ?? '?', (errors.get(a.code ?? '?') ?? 0) + 1)
  const inJob = (at: number) => r.jobs.some((j) => at >= j.start && at <= j.end)
  const ms = (xs: readonly Sample[]) => xs.map((s) => s.answer.ms)
  const row = (label: string, xs: readonly number[]) => [label, String(xs.length), fmtMs(pct(xs, 50)), fmtMs(pct(xs, 95)), fmtMs(pct(xs, 99)), fmtMs(xs.reduce((a, b) => Math.max(a, b), 0))]
  if (r.perKind.length > 0) {
    console.log(`\n${r.wire}: each kind alone, one call at a time (after the host's first rules pass, ${fmtMs(r.settledMs)} left of it): the host's CPU per call\n`)
    printTable(
      ['kind', 'calls', 'p50', 'host CPU / call', 'event loop / call'],
      r.perKind.map((k) => [k.kind, String(k.n), fmtMs(k.p50), fmtMs(k.cpu), fmtMs(k.main)]),
    )
  }
  console.log(`\n${r.terminals} terminals x ${RATE_PER_TERMINAL}/s over ${r.wire === 'tls' ? 'TLS (WSS)' : 'plain WebSocket'} for ${r.seconds.toFixed(0)} s:\n`)
  printTable(
    ['requests', 'n', 'p50', 'p95', 'p99', 'max'],
    [
      row('all', ms(r.samples)),
      ...MIX.map(([k]) => row(`  ${k}`, ms(r.samples.filter((s) => s.kind === k)))),
      row('outside the jobs', ms(r.samples.filter((s) => !inJob(s.at)))),
      row('while a job runs', ms(r.samples.filter((s) => inJob(s.at)))),
      row(`board change heard (${FAN_OUT_CHANGES} x ${r.terminals})`, r.fanOut),
    ],
  )
  if (r.fanOutMissed > 0) console.log(`board changes not heard within 1 s: ${r.fanOutMissed}`)
  console.log(`\nerrors: ${errors.size === 0 ? 'none' : [...errors].map(([c, k]) => `${c} x${k}`).join(', ')}`)
  if (r.jobs.length > 0) {
    console.log('')
    printTable(
      ['long job', 'took', 'answer', 'pings', 'ping p50', 'ping p99', 'ping max'],
      r.jobs.map((j) => {
        const pings = r.probes.filter((p) => p.at >= j.start && p.at <= j.end).map((p) => p.answer.ms)
        return [j.name, fmtMs(j.end - j.start), j.answer.ok ? 'ok' : (j.answer.code ?? '?'), String(pings.length), fmtMs(pct(pings, 50)), fmtMs(pct(pings, 99)), fmtMs(pings.reduce((a, b) => Math.max(a, b), 0))]
      }),
    )
  }
  const cores = r.cpu.total / 1000 / r.seconds
  const q = r.quietCpu
  const perRequest = q.requests > 0 ? q.total / q.requests : Number.NaN
  const perRequestMain = q.requests > 0 ? q.main / q.requests : Number.NaN
  console.log(
    `\nhost CPU: ${(cores * 100).toFixed(0)}% of a core over the phase (event loop ${((r.cpu.main / 1000 / r.seconds) * 100).toFixed(0)}%);` +
      ` before the jobs ${fmtMs(perRequest)} per request (event loop ${fmtMs(perRequestMain)}).` +
      ` Machine: ${os.cpus().length} cpus, load ${r.load[0]} -> ${r.load[1]}`,
  )
  console.log(`host threads' CPU over the phase: ${r.threads.map(([name, t]) => `${name} ${fmtMs(t)}`).join(', ')}`)
  console.log(
    `the bench's own process (the terminals, on the same cores): ${(r.bench.cpuShare * 100).toFixed(0)}% of a core; its event loop late by p50 ${fmtMs(r.bench.delayP50)}, p99 ${fmtMs(r.bench.delayP99)}, max ${fmtMs(r.bench.delayMax)} (in every latency above)`,
  )
  const all = ms(r.samples)
  const p99 = pct(all, 99)
  const pings = r.probes.map((p) => p.answer.ms)
  const fanP99 = pct(r.fanOut, 99)
  const rows: SummaryRow[] = [
    {
      bench: 'terminals',
      measure: `${r.terminals} terminals (${r.wire}) p50 / p95 / p99`,
      value: `${fmtMs(pct(all, 50))} / ${fmtMs(pct(all, 95))} / ${fmtMs(p99)}`,
      baseline: '',
      ratio: '',
      target: `p99 < ${TARGET_P99_MS} ms, 0 errors`,
      met: p99 < TARGET_P99_MS && errors.size === 0,
    },
    { bench: 'terminals', measure: `${r.terminals} terminals (${r.wire}): host CPU per request`, value: fmtMs(perRequest), baseline: '', ratio: '', target: '', met: null },
    {
      bench: 'terminals',
      measure: `one board change to ${r.terminals} terminals (${r.wire}) p50 / p99`,
      value: `${fmtMs(pct(r.fanOut, 50))} / ${fmtMs(fanP99)}`,
      baseline: '',
      ratio: '',
      target: `p99 < ${TARGET_FAN_OUT_P99_MS} ms, every terminal`,
      met: fanP99 < TARGET_FAN_OUT_P99_MS && r.fanOutMissed === 0,
    },
  ]
  if (pings.length > 0) {
    const p = pct(pings, 99)
    rows.push({
      bench: 'terminals',
      measure: `${r.terminals} terminals (${r.wire}): system.ping p99 during the jobs`,
      value: fmtMs(p),
      baseline: fmtMs(pct(ms(r.samples.filter((s) => !inJob(s.at))), 99)),
      ratio: fmtRatio(p / pct(ms(r.samples.filter((s) => !inJob(s.at))), 99)),
      target: `< ${TARGET_P99_MS} ms`,
      met: p < TARGET_P99_MS,
    })
  }
  console.log(`target p99 < ${TARGET_P99_MS} ms with 0 errors: ${verdict(rows[0]!.met === true)}`)
  return rows
}

/** TLS over plain for the same terminal count: the load outside the jobs, CPU per request before them, and the fan-out. */
function tlsRatios(plain: PhaseResult, tls: PhaseResult): SummaryRow[] {
  const outside = (r: PhaseResult) => r.samples.filter((s) => !r.jobs.some((j) => s.at >= j.start && s.at <= j.end)).map((s) => s.answer.ms)
  // the whole phase, jobs included (both transports run the same passes): the quarter before the jobs may answer nothing on a loaded machine
  const cpu = (r: PhaseResult) => (r.samples.length > 0 ? r.cpu.total / r.samples.length : Number.NaN)
  const row = (measure: string, a: number, b: number): SummaryRow => ({
    bench: 'terminals',
    measure: `${plain.terminals} terminals, TLS / plain: ${measure}`,
    value: fmtMs(b),
    baseline: fmtMs(a),
    ratio: fmtRatio(b / a),
    target: '',
    met: null,
  })
  const rows = [
    row('p50 outside the jobs', pct(outside(plain), 50), pct(outside(tls), 50)),
    row('p99 outside the jobs', pct(outside(plain), 99), pct(outside(tls), 99)),
    row('host CPU per request (whole phase)', cpu(plain), cpu(tls)),
    row('board change p99', pct(plain.fanOut, 99), pct(tls.fanOut, 99)),
  ]
  console.log(`\nTLS / plain at ${plain.terminals} terminals: ${rows.map((r) => `${r.measure.split(': ')[1]} ${r.ratio}`).join(', ')}`)
  return rows
}

/** Reads a file through, so its pages sit in the OS cache. */
function readWhole(file: string): void {
  const fd = fs.openSync(file, 'r')
  try {
    const buf = Buffer.alloc(1 << 20)
    while (fs.readSync(fd, buf, 0, buf.length, null) > 0);
  } finally {
    fs.closeSync(fd)
  }
}

async function run(): Promise<SummaryRow[]> {
  const { dir, world } = await prepareData()
  const rows: SummaryRow[] = []
  const departed = { next: 0 }
  // the copy's pages in the OS cache before the first host: the first transport does not pay for reading the file cold
  readWhole(path.join(dir, 'keyuan.db'))
  console.log(`transports in this order: ${WIRES.join(', then ')} (KEYUAN_BENCH_TRANSPORTS sets it)`)
  const results = new Map<string, PhaseResult>()
  try {
    for (const wire of WIRES) {
      // one host process per transport, on the same data folder, one after the other
      const host = await startHostProcess(dir, wire)
      try {
        console.log(`host process ${host.child.pid} at ${host.url} (${wire}); ${SECONDS} s per phase; jobs ${WITH_JOBS ? 'on' : 'off'}`)
        for (const terminals of TERMINAL_COUNTS) {
          const r = await phase(host.url, host.ca, host.child.pid!, world, terminals, departed)
          results.set(`${wire} ${terminals}`, r)
          rows.push(...report(r))
        }
      } finally {
        await host.stop()
      }
    }
    if (SAMPLES_FILE) {
      const dump = [...results.values()].map((r) => ({
        wire: r.wire,
        terminals: r.terminals,
        jobs: r.jobs.map((j) => ({ name: j.name, start: j.start, end: j.end })),
        bench: r.bench,
        samples: r.samples.map((s) => [s.kind, Math.round(s.at), Math.round(s.answer.ms * 10) / 10, s.answer.ok ? 1 : 0]),
      }))
      fs.writeFileSync(SAMPLES_FILE, JSON.stringify(dump))
      console.log(`samples written to ${SAMPLES_FILE}`)
    }
    for (const terminals of TERMINAL_COUNTS) {
      const plain = results.get(`plain ${terminals}`)
      const tls = results.get(`tls ${terminals}`)
      if (plain && tls) rows.push(...tlsRatios(plain, tls))
    }
    return rows
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
}

export const terminalsBench: Benchmark = {
  name: 'terminals',
  description: 'WebSocket terminals x 5 req/s of a realistic mix against a host process on 100,000 clients, with the scheduler and a departure running, over plain WS and TLS; board change fan-out',
  run,
}
