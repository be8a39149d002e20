import fs from 'node:fs'
import WebSocket from 'ws'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { fakeRenderer, healthy, spawnHost, type HostProcess } from '../helpers/host-process'
import { httpGet, httpRequest, rawExchange, wsExchange, wsFrame, wsText } from '../helpers/raw-traffic'

// Each class of malformed or foreign traffic, sent to a real host process, which must answer
// that one request or socket with a code and go on serving everyone else.
const ADMIN = 'admin-proc-pass-2741'
let host: HostProcess
let rendererDir: string
beforeAll(async () => {
  rendererDir = fakeRenderer()
  host = await spawnHost({ adminPassword: ADMIN, rendererDir })
}, 60_000)
afterAll(async () => {
  await host.cleanup()
  fs.rmSync(rendererDir, { recursive: true, force: true })
})

async function expectAlive() {
  expect(host.child.exitCode).toBeNull()
  expect(await healthy(host.url)).toBe(true)
}

describe('malformed HTTP ends only that request', () => {
  it('a malformed percent escape in the path answers 400', async () => {
    expect((await rawExchange(host.port, httpGet(host.port, '/%E0%A4%A'))).status).toBe(400)
    expect((await rawExchange(host.port, httpGet(host.port, '/assets/%'))).status).toBe(400)
    expect((await rawExchange(host.port, httpGet(host.port, '/%00'))).status).toBe(400)
    await expectAlive()
  })

  it('a malformed absolute URL in the request line answers 400, also on an upgrade', async () => {
    expect((await rawExchange(host.port, httpGet(host.port, 'http://['))).status).toBe(400)
    expect((await rawExchange(host.port, httpRequest('POST', host.port, 'http://[/api/auth.login', {}, '{}'))).status).toBe(400)
    const upgrade = httpGet(host.port, 'http://[', { connection: 'Upgrade', upgrade: 'websocket', 'sec-websocket-version': '13', 'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==' })
    expect((await rawExchange(host.port, upgrade)).status).toBe(400)
    await expectAlive()
  })

  it('a request line or header that does not parse answers 400, oversized headers 431', async () => {
    expect((await rawExchange(host.port, 'GET / HTTP/1.1\r\nHo st: x\r\n\r\n')).status).toBe(400)
    expect((await rawExchange(host.port, 'NOT HTTP AT ALL\r\n\r\n')).status).toBe(400)
    expect((await rawExchange(host.port, `GET / HTTP/1.1\r\nhost: 127.0.0.1:${host.port}\r\nx-big: ${'a'.repeat(20_000)}\r\n\r\n`)).status).toBe(431)
    // a request cut off in its headers
    expect((await rawExchange(host.port, 'GET / HTTP/1.1\r\nhost: 127')).hung).toBe(false)
    await expectAlive()
  })

  it('a body that is not JSON answers 400 VALIDATION', async () => {
    const r = await rawExchange(host.port, httpRequest('POST', host.port, '/api/auth.login', { 'content-type': 'application/json' }, '{"username":'))
    expect(r.status).toBe(400)
    expect(r.bytes.toString()).toContain('"code":"VALIDATION"')
    await expectAlive()
  })
})

describe('WebSocket protocol errors close only that socket, with the code ws chose', () => {
  const cases: Array<[string, Buffer, number]> = [
    ['an oversized frame', wsFrame({ opcode: 1, declaredLength: 2 * 1024 * 1024, payload: Buffer.alloc(16) }), 1009],
    ['invalid UTF-8 in a text frame', wsFrame({ opcode: 1, payload: Buffer.from([0x7b, 0xc3, 0x28, 0x7d]) }), 1007],
    ['an unmasked client frame', wsFrame({ opcode: 1, payload: Buffer.from('{}'), masked: false }), 1002],
    ['a reserved opcode', wsFrame({ opcode: 3, payload: Buffer.from('x') }), 1002],
    ['reserved bits set', wsFrame({ opcode: 1, rsv: 4, payload: Buffer.from('{}') }), 1002],
    ['a control frame over 125 bytes', wsFrame({ opcode: 9, payload: Buffer.alloc(200) }), 1002],
    ['a continuation with nothing to continue', wsFrame({ opcode: 0, payload: Buffer.from('x') }), 1002],
    ['a binary frame', wsFrame({ opcode: 2, payload: Buffer.from([1, 2, 3]) }), 1003],
    ['text that is not JSON', wsFrame({ opcode: 1, payload: Buffer.from('hello') }), 1003],
    ['JSON that is not a call', wsText({ method: 5 }), 1003],
  ]
  for (const [name, frame, code] of cases) {
    it(`${name} -> ${code}`, async () => {
      const out = await wsExchange(host.port, [frame])
      expect(out.status).toBe(101)
      expect(out.closeCode).toBe(code)
      await expectAlive()
    })
  }

  it('logs each event in one line, without a stack', async () => {
    await host.waitForStderr(/websocket error: 127\.0\.0\.1: Invalid WebSocket frame/)
    expect(host.stderr()).not.toMatch(/\n\s+at /)
  })
})

describe('only our pages drive the host', () => {
  it('refuses a WebSocket upgrade from a foreign Origin, and logs it', async () => {
    const ws = new WebSocket(host.url.replace(/^http/, 'ws') + '/ws', { origin: 'http://evil.example' })
    const refused = await new Promise<string>((resolve) => {
      ws.once('unexpected-response', (_req, res) => resolve(String(res.statusCode)))
      ws.once('open', () => resolve('open'))
      ws.once('error', (e) => resolve(e.message))
    })
    expect(refused).toBe('403')
    ws.terminate()
    await host.waitForStderr(/refused origin: "http:\/\/evil\.example" from 127\.0\.0\.1 \(WebSocket\)/)
    await expectAlive()
  })

  it('accepts a WebSocket from our own origin and from a client that sends none', async () => {
    for (const origin of [host.url, `http://localhost:${host.port}`, undefined]) {
      const ws = new WebSocket(host.url.replace(/^http/, 'ws') + '/ws', origin ? { origin } : {})
      await new Promise((resolve, reject) => {
        ws.once('open', resolve)
        ws.once('error', reject)
      })
      ws.close()
    }
  })

  it('refuses a POST /api from a foreign Origin with 403, allows our origin and none', async () => {
    const login = JSON.stringify({ username: 'admin', password: ADMIN })
    const post = (headers: Record<string, string>) =>
      fetch(`${host.url}/api/auth.login`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: login })
    const foreign = await post({ origin: 'http://evil.example' })
    expect(foreign.status).toBe(403)
    expect(await foreign.json()).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
    expect((await post({ origin: 'null' })).status).toBe(403)
    expect((await post({ origin: host.url })).status).toBe(200)
    expect((await post({})).status).toBe(200)
    await expectAlive()
  })

  it('refuses every request under a Host that is not ours (DNS rebinding) with 421, and logs it', async () => {
    const rebound = { host: `attacker.example:${host.port}` }
    expect((await rawExchange(host.port, httpGet(host.port, '/', rebound))).status).toBe(421)
    expect((await rawExchange(host.port, httpGet(host.port, '/healthz', rebound))).status).toBe(421)
    expect((await rawExchange(host.port, httpRequest('POST', host.port, '/api/auth.login', rebound, '{}'))).status).toBe(421)
    expect((await wsExchange(host.port, [], rebound)).status).toBe(421)
    // our own names pass
    expect((await rawExchange(host.port, httpGet(host.port, '/healthz', { host: `localhost:${host.port}` }))).status).toBe(200)
    expect((await rawExchange(host.port, httpGet(host.port, '/healthz', { host: `[::1]:${host.port}` }))).status).toBe(200)
    // the right name on the wrong port is not us either
    expect((await rawExchange(host.port, httpGet(host.port, '/', { host: `127.0.0.1:${host.port + 1}` }))).status).toBe(421)
    await host.waitForStderr(/refused host: Host "attacker\.example:\d+" from 127\.0\.0\.1/)
    await expectAlive()
  })

  it('narrows the CSP connect-src to the host itself', async () => {
    const csp = (await fetch(`${host.url}/`)).headers.get('content-security-policy') ?? ''
    expect(csp).toContain(`connect-src 'self' ws://127.0.0.1:${host.port}`)
    expect(csp).not.toMatch(/ws: |wss:/)
  })
})
