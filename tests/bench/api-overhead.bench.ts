import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { WebSocket, WebSocketServer } from 'ws'
import { ApiClient } from '@shared/contract/client'
import { wsTransport, type WsTransportOptions } from '@shared/contract/ws-transport'
import type { HandlerContext } from '../../electron/host/api/handler'
import { createHandlers } from '../../electron/host/api/handlers'
import { systemClock } from '../../electron/host/clock'
import { SignInGuard } from '../../electron/host/domains/auth/sign-in-guard'
import { startHost } from '../../electron/host/host'
import {
  fmtMs,
  fmtRatio,
  fmtStats,
  printTable,
  summarize,
  timeCalls,
  verdict,
  type Benchmark,
  type Stats,
  type SummaryRow,
} from './lib/stats'

const PASSWORD = 'bench-admin-pass'
const WARMUP = 1000
const ROUNDS = 5
const PER_ROUND = 2000
const TARGET_IN_PROCESS_MS = 0.3
const TARGET_WS_MS = 2

type Ping = () => Promise<unknown>

// `ws` types its events more richly than the browser-shaped surface the transport declares.
const NodeWebSocket = WebSocket as unknown as WsTransportOptions['WebSocketImpl']

/** The ping handler itself, called with a fake context: no session, no parse, no transaction. */
function directPing(): Ping {
  const handler = createHandlers({ guard: new SignInGuard(systemClock) })['system.ping']
  if (typeof handler !== 'function') throw new Error('system.ping is expected to be a one-phase handler')
  const ctx = { clock: systemClock } as unknown as HandlerContext
  return async () => handler({}, ctx)
}

/** A bare `ws` server answering each frame like the host would, minus the dispatcher. */
async function startEchoServer(): Promise<{ url: string; close(): Promise<void> }> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 })
  await new Promise<void>((resolve) => wss.once('listening', () => resolve()))
  wss.on('connection', (ws) => {
    ws.on('message', (data) => {
      const { id } = JSON.parse(data.toString()) as { id: number }
      ws.send(JSON.stringify({ type: 'result', id, ok: true, value: { pong: true, at: new Date().toISOString() } }))
    })
  })
  const { port } = wss.address() as { port: number }
  return {
    url: `ws://127.0.0.1:${port}/ws`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const c of wss.clients) c.terminate()
        wss.close(() => resolve())
      }),
  }
}

function checked(client: ApiClient): Ping {
  return async () => {
    const r = await client.try('system.ping', {})
    if (!r.ok) throw new Error(`system.ping failed: ${r.error.code} ${r.error.message}`)
    return r.value
  }
}

async function run(): Promise<SummaryRow[]> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'keyuan-bench-api-'))
  // ping as fast as it answers: the per-session call rate (a flood guard) is lifted for the measurement
  const host = await startHost({
    dataDir,
    port: 0,
    env: { KEYUAN_ADMIN_PASSWORD: PASSWORD },
    transportLimits: { callsPerSecond: Number.POSITIVE_INFINITY, callBurst: Number.POSITIVE_INFINITY },
  })
  const echo = await startEchoServer()
  const clients: ApiClient[] = []
  try {
    const inProcess = host.client()
    await inProcess.call('auth.login', { username: 'admin', password: PASSWORD })
    const wsUrl = `${host.url!.replace(/^http/, 'ws')}/ws`
    const overWs = new ApiClient(wsTransport({ url: wsUrl, WebSocketImpl: NodeWebSocket }), inProcess.token)
    const overEcho = new ApiClient(wsTransport({ url: echo.url, WebSocketImpl: NodeWebSocket }))
    clients.push(inProcess, overWs, overEcho)

    const subjects: Record<'direct' | 'inProcess' | 'ws' | 'echo', Ping> = {
      direct: directPing(),
      inProcess: checked(inProcess),
      ws: checked(overWs),
      echo: async () => overEcho.try('system.ping', {}),
    }
    const samples: Record<keyof typeof subjects, number[]> = { direct: [], inProcess: [], ws: [], echo: [] }
    for (const fn of Object.values(subjects)) await timeCalls(fn, 0, WARMUP)
    // Rounds interleave the subjects so a noisy neighbour hurts all of them alike.
    for (let r = 0; r < ROUNDS; r++) {
      for (const [name, fn] of Object.entries(subjects) as Array<[keyof typeof subjects, Ping]>) {
        samples[name].push(...(await timeCalls(fn, name === 'direct' ? PER_ROUND * 2 : PER_ROUND)))
      }
    }

    const s = {
      direct: summarize(samples.direct),
      inProcess: summarize(samples.inProcess),
      ws: summarize(samples.ws),
      echo: summarize(samples.echo),
    }
    console.log(`system.ping, ${ROUNDS} interleaved rounds after ${WARMUP} warm-up calls each (times per call)`)
    console.log('WebSocket client and host share this process and its event loop, as the in-process client does\n')
    const row = (label: string, st: Stats) => [label, String(st.n), fmtMs(st.p50), fmtMs(st.p95), fmtMs(st.mean), fmtMs(st.max)]
    printTable(
      ['path', 'n', 'p50', 'p95', 'mean', 'max'],
      [
        row('direct handler call (baseline)', s.direct),
        row('in-process transport', s.inProcess),
        row('loopback WebSocket', s.ws),
        row('bare ws echo, no dispatcher', s.echo),
      ],
    )

    const overheadIn = s.inProcess.p95 - s.direct.p95
    const overheadWs = s.ws.p95 - s.direct.p95
    const metIn = overheadIn < TARGET_IN_PROCESS_MS
    const metWs = overheadWs < TARGET_WS_MS
    console.log(
      `\nin-process overhead p95 ${fmtMs(overheadIn)} (target < ${TARGET_IN_PROCESS_MS} ms: ${verdict(metIn)})` +
        `\nWebSocket overhead p95  ${fmtMs(overheadWs)} (target < ${TARGET_WS_MS} ms: ${verdict(metWs)})` +
        `\ndispatcher share of a WebSocket call (p50): ${fmtMs(s.ws.p50 - s.echo.p50)}`,
    )

    return [
      {
        bench: 'api',
        measure: 'ping in-process, p50/p95/mean',
        value: fmtStats(s.inProcess),
        baseline: `direct ${fmtMs(s.direct.p95)} p95`,
        ratio: fmtRatio(s.inProcess.p95 / s.direct.p95),
        target: `overhead p95 ${fmtMs(overheadIn)} < ${TARGET_IN_PROCESS_MS} ms`,
        met: metIn,
      },
      {
        bench: 'api',
        measure: 'ping WebSocket, p50/p95/mean',
        value: fmtStats(s.ws),
        baseline: `direct ${fmtMs(s.direct.p95)} p95`,
        ratio: fmtRatio(s.ws.p95 / s.direct.p95),
        target: `overhead p95 ${fmtMs(overheadWs)} < ${TARGET_WS_MS} ms`,
        met: metWs,
      },
      {
        bench: 'api',
        measure: 'ping WebSocket vs bare ws echo, p95',
        value: fmtMs(s.ws.p95),
        baseline: `echo ${fmtMs(s.echo.p95)} p95`,
        ratio: fmtRatio(s.ws.p95 / s.echo.p95),
        target: '',
        met: null,
      },
    ]
  } finally {
    for (const c of clients) c.close()
    await echo.close()
    await host.close()
    fs.rmSync(dataDir, { recursive: true, force: true })
  }
}

/** Per-call cost of the API plumbing: dispatcher in-process and over loopback WebSocket. */
export const apiOverhead: Benchmark = {
  name: 'api-overhead',
  description: 'system.ping through the dispatcher in-process and over loopback WebSocket vs a direct handler call',
  run,
}
