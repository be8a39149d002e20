import fs from 'node:fs'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { METHOD_NAMES } from '@shared/contract'
import { fakeRenderer, healthy, spawnHost, type HostProcess } from '../helpers/host-process'
import { rawExchange, wsExchange, wsFrame, wsText } from '../helpers/raw-traffic'
import { Random } from '../../electron/host/demo/random'

// Malformed HTTP and WebSocket traffic at a real host process, bounded in count and time.
// Prints the outcomes; asserts no crash (the process lives and /healthz answers after every
// batch), no 5xx, and no exchange the host left hanging.
const CASES = 3000
const BUDGET_MS = 60_000
const BATCH = 250
const PARALLEL = 8
const SEED = Number(process.env.FUZZ_SEED ?? 1313)

const ADMIN = 'admin-fuzz-pass-5830'
let host: HostProcess
let rendererDir: string
let token = ''
beforeAll(async () => {
  rendererDir = fakeRenderer()
  host = await spawnHost({ adminPassword: ADMIN, rendererDir })
  const r = await fetch(`${host.url}/api/auth.login`, { method: 'POST', body: JSON.stringify({ username: 'admin', password: ADMIN }) })
  token = ((await r.json()) as { value: { token: string } }).value.token
}, 60_000)
afterAll(async () => {
  await host.cleanup()
  fs.rmSync(rendererDir, { recursive: true, force: true })
})

/** A seeded generator (the demo's mulberry32), so a failing run can be repeated with FUZZ_SEED. */
function prng(seed: number) {
  const r = new Random(seed)
  const next = () => r.next()
  const int = (n: number) => Math.floor(next() * n)
  const pick = <T,>(xs: readonly T[]): T => r.pick(xs)
  const bytes = (n: number) => Buffer.from(Array.from({ length: n }, () => int(256)))
  return { next, int, pick, bytes }
}
type Rng = ReturnType<typeof prng>

const HEX = '0123456789abcdefABCDEFgz%'
function percentGarbage(r: Rng): string {
  let s = '/'
  for (let i = r.int(12); i >= 0; i--) {
    const k = r.int(5)
    if (k === 0) s += '%' + Array.from({ length: r.int(3) }, () => r.pick([...HEX])).join('')
    else if (k === 1) s += r.pick(['%E0%A4%A', '%C0%AF', '%2e%2e%2f', '%00', '%FF', '%u1234', '..', '//', '%%', '%2'])
    else if (k === 2) s += r.pick(['assets', 'api', 'ws', 'healthz', 'docs', 'index.html'])
    else s += String.fromCharCode(33 + r.int(94)).replace(/[ #?]/, 'x')
  }
  return s
}

function requestTarget(r: Rng, port: number): string {
  return r.pick([
    () => percentGarbage(r),
    () => r.pick(['http://[', 'http://[::1', 'http://a b/', 'http://%zz/', `http://127.0.0.1:${port}/%E0`, 'https://x:99999/', '*', '//', 'http://@/', 'mailto:x']),
    () => `/api/${r.pick([...METHOD_NAMES, 'nope', '', '..', '%2e'])}`,
    () => `/${r.bytes(1 + r.int(20)).toString('latin1').replace(/[\r\n ]/g, '_')}`,
  ])()
}

function randomJson(r: Rng, depth = 0): unknown {
  const k = r.int(depth > 4 ? 5 : 8)
  if (k === 0) return null
  if (k === 1) return r.int(2) === 0
  if (k === 2) return r.pick([0, -1, 1e308, 2 ** 53 + 1, 0.5, -0])
  if (k === 3) return r.pick(['', 'x'.repeat(r.int(300)), '\u0000\u202e', '１３９１２３４５６７８', '<script>', "'; drop table staff; --"])
  if (k === 4) return r.bytes(r.int(20)).toString('latin1')
  if (k === 5) return Array.from({ length: r.int(5) }, () => randomJson(r, depth + 1))
  const o: Record<string, unknown> = {}
  for (let i = r.int(6); i > 0; i--) o[r.pick(['id', 'limit', 'offset', 'name', 'username', 'password', 'phone', '__proto__', 'constructor', 'input', r.bytes(3).toString('hex')])] = randomJson(r, depth + 1)
  return o
}

function body(r: Rng): string {
  return r.pick([
    () => JSON.stringify(randomJson(r)),
    () => '['.repeat(50 + r.int(5000)) + ']'.repeat(r.int(2) ? 50 : 0),
    () => '{"a":'.repeat(33 + r.int(200)) + '1' + '}'.repeat(233),
    () => r.bytes(r.int(400)).toString('latin1'),
    () => JSON.stringify(randomJson(r)).slice(0, r.int(30)),
  ])()
}

/** A well-formed request with a random body at a real method or path: reaches the router and the dispatcher. */
function plausibleCase(r: Rng, port: number): string {
  const target = r.pick([`/api/${r.pick(METHOD_NAMES)}`, `/api/${r.pick(METHOD_NAMES)}`, '/', '/healthz', '/assets/app.js', '/docs/api', percentGarbage(r)])
  const post = target.startsWith('/api/')
  const payload = post ? body(r) : ''
  const lines = [`Host: ${r.pick([`127.0.0.1:${port}`, `localhost:${port}`])}`, 'Connection: close']
  if (post) lines.push(`Content-Length: ${Buffer.byteLength(payload, 'latin1')}`, 'Content-Type: application/json')
  if (r.int(2) === 0) lines.push(`Authorization: Bearer ${token}`)
  if (r.int(3) === 0) lines.push(`Origin: ${r.pick([`http://127.0.0.1:${port}`, 'http://evil.example'])}`)
  return `${post ? 'POST' : 'GET'} ${target} HTTP/1.1\r\n${lines.join('\r\n')}\r\n\r\n${payload}`
}

function httpCase(r: Rng, port: number): string {
  const method = r.pick(['GET', 'POST', 'HEAD', 'PUT', 'OPTIONS', 'DELETE', 'G\u0000T', 'get', 'CONNECT', 'PRI', 'POST '])
  const target = requestTarget(r, port)
  const version = r.pick(['HTTP/1.1', 'HTTP/1.1', 'HTTP/1.0', 'HTTP/2.0', 'HTTP/1.1 x', 'HTTP/9', ''])
  const lines: string[] = []
  const hostHeader = r.pick([`127.0.0.1:${port}`, `127.0.0.1:${port}`, `localhost:${port}`, 'evil.example', '', `127.0.0.1:${port}, evil.example`, '[::1'])
  if (r.int(10) > 0) lines.push(`Host: ${hostHeader}`)
  if (r.int(4) === 0) lines.push(`Host: ${hostHeader}`)
  if (r.int(3) === 0) lines.push(`Origin: ${r.pick(['http://evil.example', 'null', `http://127.0.0.1:${port}`, 'http://[', ''])}`)
  if (r.int(3) === 0) lines.push(`Authorization: ${r.pick([`Bearer ${token}`, 'Bearer ', 'Basic x', `Bearer ${'a'.repeat(300)}`])}`)
  const payload = method.startsWith('POST') || r.int(5) === 0 ? body(r) : ''
  const framing = r.int(8)
  if (framing === 0) lines.push(`Content-Length: ${r.pick(['-1', 'abc', '99999999999999999999', String(payload.length + 10), '1, 2'])}`)
  else if (framing === 1) lines.push('Transfer-Encoding: chunked', `Content-Length: ${payload.length}`)
  else if (framing === 2) lines.push('Transfer-Encoding: chunked')
  else if (payload) lines.push(`Content-Length: ${Buffer.byteLength(payload, 'latin1')}`)
  for (let i = r.int(4); i > 0; i--) {
    lines.push(r.pick(['X: \u0001', 'Bad Header: x', ': empty', 'X-Long: ' + 'v'.repeat(r.int(20_000)), 'Connection: keep-alive, Upgrade', 'Expect: 100-continue', 'X\tTab: y', 'Cookie: ' + '; a=b'.repeat(r.int(100))]))
  }
  lines.push('Connection: close')
  const chunked = framing === 2 && payload ? `${payload.length.toString(16)}\r\n${payload}\r\n0\r\n\r\n` : payload
  return `${method} ${target} ${version}\r\n${lines.join('\r\n')}\r\n\r\n${chunked}`
}

function wsFrames(r: Rng): Buffer[] {
  const frames: Buffer[] = []
  for (let i = 1 + r.int(4); i > 0; i--) {
    const k = r.int(9)
    if (k === 0) frames.push(wsFrame({ opcode: r.int(16), rsv: r.int(8), masked: r.int(4) > 0, payload: r.bytes(r.int(200)) }))
    else if (k === 1) frames.push(wsFrame({ opcode: r.pick([1, 2]), declaredLength: r.pick([126, 65_535, 2 ** 20 + 1, 2 ** 32, 2 ** 53 - 1]), payload: r.bytes(r.int(50)) }))
    else if (k === 2) frames.push(wsFrame({ opcode: 1, payload: Buffer.concat([Buffer.from('{"id":1,"method":"'), r.bytes(1 + r.int(8))]) }))
    else if (k === 3) frames.push(wsFrame({ opcode: 1, fin: false, payload: r.bytes(r.int(40)) }), wsFrame({ opcode: r.pick([0, 1, 2, 9]), fin: r.int(2) === 0, payload: r.bytes(r.int(40)) }))
    else if (k === 4) frames.push(wsFrame({ opcode: 8, payload: Buffer.concat([Buffer.from([r.int(256), r.int(256)]), r.bytes(r.int(130))]) }))
    else if (k === 5) frames.push(wsText({ id: r.int(1000), method: r.pick([...METHOD_NAMES, 'x']), input: randomJson(r), token: r.pick([token, undefined, 'bad']) }))
    else if (k === 6) frames.push(wsFrame({ opcode: 1, payload: Buffer.from(`{"id":${r.int(9)},"method":"system.ping","input":${'['.repeat(40 + r.int(2000))}${']'.repeat(40 + r.int(2000))}}`) }))
    else if (k === 7) frames.push(r.bytes(1 + r.int(30)))
    else frames.push(wsFrame({ opcode: 9, payload: r.bytes(r.int(126)) }))
  }
  return frames
}

async function runCase(r: Rng, port: number): Promise<string> {
  const kind = r.int(3)
  if (kind === 2) {
    const headers: Record<string, string> = r.int(6) === 0 ? { origin: r.pick(['http://evil.example', 'null']) } : {}
    const out = await wsExchange(port, wsFrames(r), headers)
    if (out.hung) return 'hung'
    if (out.status !== 101) return `ws upgrade ${out.status ?? 'closed'}`
    return `ws close ${out.closeCode ?? 'eof'}`
  }
  // a complete request is answered before the host closes; a broken one may leave the host
  // waiting for more, so our side is half-closed after it (Node then drops the request)
  const plausible = r.int(2) === 0
  const text = plausible ? plausibleCase(r, port) : httpCase(r, port)
  const answer = await rawExchange(port, Buffer.from(text, 'latin1'), { end: !plausible })
  if (answer.hung) return 'hung'
  return `http ${answer.status ?? 'closed'}`
}

it(
  `survives ${CASES} malformed HTTP requests and WebSocket frames`,
  async () => {
    const r = prng(SEED)
    const counts = new Map<string, number>()
    const started = Date.now()
    let done = 0
    while (done < CASES && Date.now() - started < BUDGET_MS) {
      const batchEnd = Math.min(CASES, done + BATCH)
      while (done < batchEnd) {
        const n = Math.min(PARALLEL, batchEnd - done)
        const outcomes = await Promise.all(Array.from({ length: n }, () => runCase(r, host.port)))
        for (const o of outcomes) counts.set(o, (counts.get(o) ?? 0) + 1)
        done += n
      }
      expect(host.child.exitCode, 'the host process exited').toBeNull()
      expect(await healthy(host.url), `/healthz after ${done} cases`).toBe(true)
    }
    const summary = [...counts].sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k}: ${v}`).join(', ')
    console.log(`transport fuzz (seed ${SEED}): ${done} cases in ${((Date.now() - started) / 1000).toFixed(1)} s; ${summary}`)
    expect(done).toBeGreaterThanOrEqual(Math.min(CASES, 500))
    expect([...counts.keys()].filter((k) => /^(http|ws upgrade) 5\d\d$/.test(k) || k === 'hung')).toEqual([])
    expect(host.stderr()).not.toMatch(/internal error|\n\s+at /)
  },
  BUDGET_MS + 60_000,
)
