/**
 * The sales-control board of a 3,000-unit project with history: `npm run bench -- board`.
 *
 * - payload: `board.get` through the in-process API against the same unit query as raw SQL on the
 *   same connection (the dispatcher, masking, totals and output parse are the difference);
 * - render: the built renderer in Debian Chromium opening the board, against the same 3,000 cells
 *   written as one innerHTML string in the same page (what a browser cannot beat);
 * - push: a reservation through the API until another open board has repainted the cell, against
 *   the bare `board.changed` event reaching a WebSocket client in this process.
 *
 * The host runs in this process on a temp folder with the demo data; the renderer is the built one
 * (out/renderer, built first when stale). KEYUAN_BENCH_QUICK=1 runs short rounds.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { WebSocket } from 'ws'
import { ApiClient } from '@shared/contract/client'
import { wsTransport, type WsTransportOptions } from '@shared/contract/ws-transport'
import { startHost, type Host } from '../../electron/host/host'
import { toUnit } from '../../electron/host/domains/units/unit-shape'
import { unitRecords } from '../../electron/host/domains/units/units.repository'
import { Board } from '@shared/contract/board'
import { launchChromium } from '../e2e/support/chromium'
import { REPO_ROOT } from '../e2e/support/built-host'
import { fmtMs, fmtRatio, fmtStats, printTable, summarize, timeCalls, verdict, type Benchmark, type SummaryRow } from './lib/stats'
import { openBoard } from '../e2e/support/board'
import { unitSheetBase64, type UnitSheetRow } from '../helpers/unit-sheet'

const ADMIN_PASSWORD = 'bench-admin-pass'
const DEMO_PASSWORD = 'keyuan-demo'
const BUILDINGS = 5
const FLOORS = 30
const PER_FLOOR = 20
const UNITS = BUILDINGS * FLOORS * PER_FLOOR
const QUICK = process.env.KEYUAN_BENCH_QUICK === '1'
const PAYLOAD_ROUNDS = QUICK ? 10 : 60
const RENDER_ROUNDS = QUICK ? 2 : 6
const PUSH_ROUNDS = QUICK ? 5 : 25
const TARGET_PAYLOAD_MS = 50
const TARGET_RENDER_MS = 500
const TARGET_PUSH_MS = 100

const NodeWebSocket = WebSocket as unknown as WsTransportOptions['WebSocketImpl']

async function unitWorkbook(): Promise<string> {
  const rows: UnitSheetRow[] = []
  const layouts = ['两室一厅', '三室两厅', '四室两厅', '一室一厅']
  for (let b = 1; b <= BUILDINGS; b++)
    for (let f = 1; f <= FLOORS; f++)
      for (let n = 1; n <= PER_FLOOR; n++) {
        const area = [68.5, 89.2, 118.6, 143.0][n % 4]!
        rows.push({ building: `${b}号楼`, floor: f, number: `${f}${String(n).padStart(2, '0')}`, layout: layouts[n % 4], area, orientation: n % 2 ? '南' : '南北', listPrice: Math.round(area * (26000 + f * 150)), tags: n === 1 ? '边套' : '' })
      }
  return unitSheetBase64(rows)
}

interface Setup {
  host: Host
  manager: ApiClient
  projectId: number
  units: Array<{ id: number; number: string; status: string }>
  clientIds: number[]
}

/** A project of 3,000 units; a fifth of them carry deals at various steps with payments. */
async function setup(dataDir: string): Promise<Setup> {
  const host = await startHost({
    dataDir,
    port: 0,
    demo: true,
    schedulerIntervalMs: 0,
    rendererDir: path.join(REPO_ROOT, 'out/renderer'),
    env: { KEYUAN_ADMIN_PASSWORD: ADMIN_PASSWORD, KEYUAN_SCRYPT_COST: '1024' },
  })
  const manager = host.client()
  await manager.call('auth.login', { username: 'manager', password: DEMO_PASSWORD })
  const projectId = (await manager.call('projects.create', { name: '基准楼盘', district: '滨江' })).id
  const imported = await manager.call('units.import', { projectId, fileBase64: await unitWorkbook() })
  if (imported.imported !== UNITS) throw new Error(`import: ${JSON.stringify(imported.errors.slice(0, 3))}`)
  const clients = (await manager.call('clients.list', { limit: 200 })).rows.filter((c) => !c.blacklisted).map((c) => c.id)
  const board = await manager.call('board.get', { projectId })
  const t0 = performance.now()
  const steps = ['pledge', 'subscribe', 'sign', 'sold'] as const
  let n = 0
  for (const u of board.units) {
    if (u.id % 5 !== 0) continue
    const clientId = clients[n % clients.length]!
    await manager.call('units.reserve', { unitId: u.id, clientId, deposit: 2_000_000, receiptNo: `B-${u.id}`, method: n % 2 ? 'card' : 'cash' })
    for (const to of steps.slice(0, n % 5)) await manager.call('units.advance', { unitId: u.id, to })
    if (n % 5 >= 2) await manager.call('payments.record', { unitId: u.id, receiptNo: `P-${u.id}`, method: 'transfer', amount: 10_000_000 })
    n++
  }
  console.log(`project: ${UNITS} units, ${n} with deals and history (${fmtMs(performance.now() - t0)} to write)`)
  const after = await manager.call('board.get', { projectId })
  return { host, manager, projectId, units: after.units.map((u) => ({ id: u.id, number: u.number, status: u.status })), clientIds: clients }
}

/** The unit query of board.get, written by hand and prepared once: the floor for the payload. */
function rawBoardQuery(host: Host, projectId: number): () => Promise<unknown> {
  const stmt = host.database.sqlite.prepare(`
    SELECT u.id, u.building_id, u.floor, u.number, u.layout, u.area, u.orientation, u.list_price, u.tags, u.version,
      t.id AS tx_id, t.status AS tx_status, t.client_id, t.agent_id, c.name AS client_name, a.name AS agent_name,
      t.price, t.expires_at, t.updated_at, (SELECT sum(p.amount) FROM payments p WHERE p.tx_id = t.id) AS paid
    FROM units u JOIN buildings b ON b.id = u.building_id
    LEFT JOIN unit_transactions t ON t.unit_id = u.id AND t.live = 1
    LEFT JOIN clients c ON c.id = t.client_id LEFT JOIN staff a ON a.id = t.agent_id
    WHERE b.project_id = ? ORDER BY b.id, u.floor DESC, u.number`)
  return async () => stmt.all(projectId)
}

async function signIn(browser: Browser, url: string, username: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1600, height: 900 }, locale: 'zh-CN' })
  // tsx names arrow functions with a __name helper that the page does not have
  await context.addInitScript('window.__name = (f) => f')
  const page = await context.newPage()
  page.setDefaultTimeout(60_000)
  await page.goto(url)
  await page.getByLabel('账号').fill(username)
  await page.getByLabel('密码').fill(DEMO_PASSWORD)
  await page.getByLabel('密码').press('Enter')
  await page.getByTestId('user-menu').waitFor()
  return page
}

/** The same number of cells, with the same text, written as one string: the browser's own floor. */
function rawRender(page: Page): Promise<number> {
  return page.evaluate((cells) => {
    return new Promise<number>((resolve) => {
      const t0 = performance.now()
      let html = ''
      for (let i = 0; i < cells; i++) html += `<div class="bc-cell" style="background:#52c41a;color:#fff"><b>${1000 + (i % 20)}</b>三室两厅\n89.2㎡\n${(250 + (i % 50)).toFixed(1)}万</div>`
      const host = document.createElement('div')
      host.className = 'bc-grid'
      host.innerHTML = `<div class="bc-floors"><div class="bc-floor">${html}</div></div>`
      document.body.appendChild(host)
      requestAnimationFrame(() =>
        requestAnimationFrame(() => {
          const ms = performance.now() - t0
          host.remove()
          resolve(ms)
        }),
      )
    })
  }, UNITS)
}

interface CpuProfile {
  nodes: Array<{ id: number; callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number }; hitCount?: number }>
  samples?: number[]
  timeDeltas?: number[]
}

/** KEYUAN_BENCH_PROFILE=1: the functions that took the most of one board open (self time). */
function printProfile(profile: CpuProfile): void {
  const self = new Map<number, number>()
  profile.samples?.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas?.[i] ?? 0) / 1000))
  const byName = new Map<string, number>()
  for (const n of profile.nodes) {
    const f = n.callFrame
    const key = `${f.functionName || '(anonymous)'} ${f.url.split('/').pop()}:${f.lineNumber + 1}:${f.columnNumber + 1}`
    byName.set(key, (byName.get(key) ?? 0) + (self.get(n.id) ?? 0))
  }
  console.log('  CPU profile of the second open, top self time:')
  for (const [k, ms] of [...byName.entries()].sort((a, b) => b[1] - a[1]).slice(0, 20)) console.log(`    ${fmtMs(ms).padStart(10)}  ${k}`)
}

async function run(): Promise<SummaryRow[]> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'keyuan-bench-board-'))
  const { buildIfStale } = (await import(path.join(REPO_ROOT, 'scripts/build-if-stale.mjs'))) as { buildIfStale(o?: { quiet?: boolean }): boolean }
  buildIfStale()
  const s = await setup(dataDir)
  let browser: Browser | null = null
  const rows: SummaryRow[] = []
  try {
    // 1. payload
    const api = () => s.manager.call('board.get', { projectId: s.projectId })
    const raw = rawBoardQuery(s.host, s.projectId)
    await timeCalls(api, 0, 5)
    await timeCalls(raw, 0, 5)
    const apiMs: number[] = []
    const rawMs: number[] = []
    for (let r = 0; r < PAYLOAD_ROUNDS / 10; r++) {
      apiMs.push(...(await timeCalls(api, 10)))
      rawMs.push(...(await timeCalls(raw, 10)))
    }
    // the legs of board.get: the host's query and mapping, and the contract's output parse
    const sample = await api()
    const legQuery = summarize(await timeCalls(async () => (await unitRecords(s.host.database.db, { projectId: s.projectId })).map((r) => toUnit(r, new Date().toISOString(), null)), 10, 2))
    const legParse = summarize(await timeCalls(async () => Board.parse(sample), 10, 2))
    console.log(`legs of board.get: query + mapping p50 ${fmtMs(legQuery.p50)}, output parse p50 ${fmtMs(legParse.p50)}`)
    const overWs = new ApiClient(wsTransport({ url: `${s.host.url!.replace(/^http/, 'ws')}/ws`, WebSocketImpl: NodeWebSocket }), s.manager.token)
    const legWs = summarize(await timeCalls(() => overWs.call('board.get', { projectId: s.projectId }), 10, 2))
    overWs.close()
    console.log(`board.get over a loopback WebSocket from Node: p50 ${fmtMs(legWs.p50)}, p95 ${fmtMs(legWs.p95)}`)
    const bytes = JSON.stringify(sample).length
    const pa = summarize(apiMs)
    const pr = summarize(rawMs)
    printTable(
      ['board payload (3,000 units)', 'n', 'p50', 'p95', 'mean'],
      [
        ['raw SQL, prepared (baseline)', String(pr.n), fmtMs(pr.p50), fmtMs(pr.p95), fmtMs(pr.mean)],
        [`board.get in-process (${Math.round(bytes / 1024)} KiB JSON)`, String(pa.n), fmtMs(pa.p50), fmtMs(pa.p95), fmtMs(pa.mean)],
      ],
    )
    const metPayload = pa.p95 < TARGET_PAYLOAD_MS
    console.log(`payload p95 ${fmtMs(pa.p95)} (target < ${TARGET_PAYLOAD_MS} ms: ${verdict(metPayload)}), ${fmtRatio(pa.p50 / pr.p50)} the raw query\n`)
    rows.push({ bench: 'board', measure: 'board.get 3,000 units', value: fmtStats(pa), baseline: `raw SQL ${fmtMs(pr.p50)} p50`, ratio: fmtRatio(pa.p50 / pr.p50), target: `p95 < ${TARGET_PAYLOAD_MS} ms`, met: metPayload })

    // 2. render
    browser = await launchChromium()
    const viewer = await signIn(browser, s.host.url!, 'manager')
    const renderMs: number[] = []
    const baseMs: number[] = []
    const cdp = await viewer.context().newCDPSession(viewer)
    await cdp.send('Performance.enable')
    const metrics = async () => Object.fromEntries((await cdp.send('Performance.getMetrics')).metrics.map((m) => [m.name, m.value]))
    for (let r = 0; r < RENDER_ROUNDS; r++) {
      await viewer.evaluate(() => (window.location.hash = '#/'))
      await viewer.locator('.bc-cell').first().waitFor({ state: 'detached' })
      const m0 = await metrics()
      const profiling = process.env.KEYUAN_BENCH_PROFILE === '1' && r === 1
      if (profiling) {
        await cdp.send('Profiler.enable')
        await cdp.send('Profiler.setSamplingInterval', { interval: 200 })
        await cdp.send('Profiler.start')
      }
      renderMs.push(await openBoard(viewer, `#/board/${s.projectId}`, UNITS))
      const m1 = await metrics()
      if (profiling) printProfile((await cdp.send('Profiler.stop')).profile)
      // where the browser spent the time (seconds in the metrics): script, style, layout
      const d = (k: string) => fmtMs(((m1[k] ?? 0) - (m0[k] ?? 0)) * 1000)
      const legs = await viewer.evaluate(() => {
        const last = (n: string) => performance.getEntriesByName(n, 'mark').at(-1)?.startTime ?? NaN
        const at = { get: last('board:get'), loaded: last('board:loaded'), laidOut: last('board:laid-out') }
        performance.clearMarks()
        return { fetch: at.loaded - at.get, build: at.laidOut - at.loaded }
      })
      console.log(`  open ${r + 1}: board.get over WebSocket ${fmtMs(legs.fetch)}, until the grid is written ${fmtMs(legs.build)}`)
      console.log(`  open ${r + 1}: ${fmtMs(renderMs[r]!)} = script ${d('ScriptDuration')}, style ${d('RecalcStyleDuration')}, layout ${d('LayoutDuration')}, tasks ${d('TaskDuration')}`)
      baseMs.push(await rawRender(viewer))
    }
    // the transfer alone, in the idle page: the same call over the app's socket protocol and over HTTP
    const transfer = await viewer.evaluate(async (projectId) => {
      const token = Object.values(sessionStorage).find((v) => /^[A-Za-z0-9_-]{20,}$/.test(v)) ?? ''
      const body = JSON.stringify({ projectId })
      const http: number[] = []
      for (let i = 0; i < 5; i++) {
        const t0 = performance.now()
        const r = await fetch('/api/board.get', { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body })
        await r.json()
        http.push(performance.now() - t0)
      }
      const ws = new window.WebSocket(location.origin.replace(/^http/, 'ws') + '/ws')
      await new Promise((ok) => (ws.onopen = ok))
      const sock: number[] = []
      for (let i = 0; i < 5; i++) {
        const t0 = performance.now()
        await new Promise<void>((ok) => {
          ws.onmessage = (e) => {
            JSON.parse(String(e.data))
            ok()
          }
          ws.send(JSON.stringify({ id: i + 1, method: 'board.get', input: { projectId }, token }))
        })
        sock.push(performance.now() - t0)
      }
      ws.close()
      return { http: http.sort((a, b) => a - b)[2]!, ws: sock.sort((a, b) => a - b)[2]! }
    }, s.projectId)
    console.log(`board.get from the idle page, median of 5: HTTP ${fmtMs(transfer.http)}, WebSocket ${fmtMs(transfer.ws)}`)
    const first = renderMs[0]!
    const rs = summarize(renderMs.slice(1))
    const bs = summarize(baseMs)
    printTable(
      ['board render (3,000 cells, Chromium)', 'n', 'p50', 'p95', 'max'],
      [
        ['one innerHTML string (baseline)', String(bs.n), fmtMs(bs.p50), fmtMs(bs.p95), fmtMs(bs.max)],
        ['first open after sign-in (code load + fetch + render)', '1', fmtMs(first), '', ''],
        ['reopen: the remembered board, refreshed behind', String(rs.n), fmtMs(rs.p50), fmtMs(rs.p95), fmtMs(rs.max)],
      ],
    )
    const metRender = Math.max(first, rs.p95) < TARGET_RENDER_MS
    console.log(`render first ${fmtMs(first)}, reopen p95 ${fmtMs(rs.p95)} (target < ${TARGET_RENDER_MS} ms: ${verdict(metRender)}), ${fmtRatio(rs.p50 / bs.p50)} the bare DOM\n`)
    rows.push({ bench: 'board', measure: 'render 3,000 cells (reopen)', value: fmtStats(rs), baseline: `innerHTML ${fmtMs(bs.p50)} p50`, ratio: fmtRatio(rs.p50 / bs.p50), target: `first ${fmtMs(first)}; < ${TARGET_RENDER_MS} ms`, met: metRender })

    // 3. push: reservation -> another board repainted, against the bare event reaching a WS client
    const listener = new ApiClient(wsTransport({ url: `${s.host.url!.replace(/^http/, 'ws')}/ws`, WebSocketImpl: NodeWebSocket }), s.manager.token)
    await listener.call('system.ping', {})
    let eventAt = 0
    const off = listener.on('board.changed', () => {
      eventAt = performance.now()
    })
    const free = s.units.filter((u) => u.status === 'available')
    const pushMs: number[] = []
    const eventMs: number[] = []
    for (let r = 0; r < PUSH_ROUNDS; r++) {
      const unit = free[r * 7]!
      await viewer.evaluate((id) => {
        const w = window as unknown as { __painted: Promise<number> }
        w.__painted = new Promise((resolve) => {
          const cell = document.querySelector(`.bc-cell[data-unit="${id}"]`)!
          new MutationObserver((_, obs) => {
            if (cell.isConnected ? cell.getAttribute('data-status') === 'small_deposit' : document.querySelector(`.bc-cell[data-unit="${id}"][data-status="small_deposit"]`)) {
              obs.disconnect()
              requestAnimationFrame(() => resolve(Date.now()))
            }
          }).observe(document.querySelector('[data-testid="board-grid"]')!, { subtree: true, attributes: true, childList: true })
        })
      }, unit.id)
      eventAt = 0
      const t0 = performance.now()
      const wall0 = Date.now()
      await s.manager.call('units.reserve', { unitId: unit.id, clientId: s.clientIds[r % s.clientIds.length]!, deposit: 1_000_000, receiptNo: `PUSH-${r}`, method: 'cash' })
      const painted = await viewer.evaluate(() => (window as unknown as { __painted: Promise<number> }).__painted)
      pushMs.push(painted - wall0)
      const legs = await viewer.evaluate(() => {
        const last = (n: string) => performance.getEntriesByName(n, 'mark').at(-1)?.startTime ?? NaN
        const at = { push: last('board:push'), units: last('board:units'), patched: last('board:patched') }
        performance.clearMarks()
        return { fetch: at.units - at.push, render: at.patched - at.units }
      })
      console.log(`  push ${r + 1}: ${painted - wall0} ms; in the page: board.units ${fmtMs(legs.fetch)}, React+patch ${fmtMs(legs.render)}`)
      if (eventAt > 0) eventMs.push(eventAt - t0)
    }
    off()
    listener.close()
    const ps = summarize(pushMs)
    const es = summarize(eventMs)
    printTable(
      ['push (reserve -> other board)', 'n', 'p50', 'p95', 'max'],
      [
        ['board.changed reaches a WS client (baseline)', String(es.n), fmtMs(es.p50), fmtMs(es.p95), fmtMs(es.max)],
        ['cell repainted on the other board', String(ps.n), fmtMs(ps.p50), fmtMs(ps.p95), fmtMs(ps.max)],
      ],
    )
    const metPush = ps.p95 < TARGET_PUSH_MS
    console.log(`push p95 ${fmtMs(ps.p95)} (target < ${TARGET_PUSH_MS} ms: ${verdict(metPush)}), ${fmtRatio(ps.p50 / es.p50)} the bare event`)
    rows.push({ bench: 'board', measure: 'push reserve -> repaint', value: fmtStats(ps), baseline: `event ${fmtMs(es.p50)} p50`, ratio: fmtRatio(ps.p50 / es.p50), target: `p95 < ${TARGET_PUSH_MS} ms`, met: metPush })
    return rows
  } finally {
    await browser?.close()
    s.manager.close()
    await s.host.close()
    fs.rmSync(dataDir, { recursive: true, force: true })
  }
}

export const boardBench: Benchmark = {
  name: 'board',
  description: 'sales-control board of 3,000 units: payload vs raw SQL, Chromium render vs bare DOM, push vs bare event',
  run,
}
