import crypto from 'node:crypto'
import fs from 'node:fs'
import type { IncomingMessage } from 'node:http'
import https from 'node:https'
import WebSocket from 'ws'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ApiClient } from '@shared/contract/client'
import { ManualClock } from '../../electron/host/clock'
import { startHost, type Host } from '../../electron/host/host'
import { DEVICE_REVOKED_CLOSE } from '../../electron/host/pairing/lan-pairing'
import { pairWithHost, PairingError, type PairedHost } from '../../electron/host/pairing/pair-client'
import { LOCK_MS, MAX_WRONG_TRIES } from '../../electron/host/pairing/pairing-window'
import { PinnedCertificateError } from '../../electron/host/pairing/pin-check'
import { deviceCookie, explainConnectionError, pinnedAgent, pinnedTlsOptions } from '../../electron/host/pairing/pinned-tls'
import { lanHostOptions } from '../helpers/lan-host'
import { ADMIN_PASSWORD, tempDir } from '../helpers/temp-host'

// Terminals are played from 127.0.0.1 with the loopback exemption off (pairLoopback), over real
// TLS sockets: the same gate a PC on the office network meets. The admin works in-process.
const dirs: string[] = []
const hosts: Host[] = []

async function lanHost(clock = new ManualClock(new Date())): Promise<Host> {
  const dataDir = tempDir('keyuan-pair-')
  dirs.push(dataDir)
  const host = await startHost(lanHostOptions(dataDir, { clock, pairLoopback: true }))
  hosts.push(host)
  return host
}

afterAll(async () => {
  for (const h of hosts.splice(0)) await h.close()
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true })
})

async function adminOf(host: Host): Promise<ApiClient> {
  const admin = host.client()
  await admin.call('auth.login', { username: 'admin', password: ADMIN_PASSWORD })
  return admin
}

interface Answer {
  status: number
  body: unknown
  headers: IncomingMessage['headers']
}

/** POST over TLS, as a terminal: pinned to `pin` when given (else trusting the host's CA), with its device cookie when given. */
function post(host: Host, path: string, body: string, opts: { paired?: PairedHost; agent?: https.Agent; type?: string; token?: string; cookie?: string } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const tlsOptions = opts.paired ? pinnedTlsOptions(opts.paired) : { ca: host.tls!.caPem }
    const req = https.request(
      `${host.url}${path}`,
      {
        method: 'POST',
        ...(opts.agent ? { agent: opts.agent } : { agent: false, ...tlsOptions }),
        headers: {
          'content-type': opts.type ?? 'application/json',
          ...(opts.paired ? deviceCookie(opts.paired.token) : {}),
          ...(opts.cookie ? { cookie: opts.cookie } : {}),
          ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}),
        },
      },
      (res) => {
        let text = ''
        res.on('data', (c: Buffer) => (text += c.toString()))
        res.on('end', () => {
          let parsed: unknown = text
          try {
            parsed = JSON.parse(text)
          } catch {
            // an HTML page (the browser's form)
          }
          resolve({ status: res.statusCode ?? 0, body: parsed, headers: res.headers })
        })
      },
    )
    req.on('error', reject)
    req.end(body)
  })
}

const call = (host: Host, method: string, input: unknown, opts: Parameters<typeof post>[3] = {}) => post(host, `/api/${method}`, JSON.stringify(input), opts)

/** A WebSocket as a paired terminal opens it; resolves once open, or with the refusal's status. */
function openSocket(host: Host, paired: PairedHost | null): Promise<WebSocket | { refused: number }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${host.url!.replace(/^https/, 'wss')}/ws`, {
      ...(paired ? pinnedTlsOptions(paired) : { ca: host.tls!.caPem }),
      headers: paired ? deviceCookie(paired.token) : {},
    })
    ws.once('open', () => resolve(ws))
    ws.once('unexpected-response', (_req, res) => resolve({ refused: res.statusCode ?? 0 }))
    ws.once('error', reject)
  })
}

/** One call over an open socket. */
function wsCall(ws: WebSocket, id: number, method: string, input: unknown, token?: string): Promise<{ ok: boolean; value?: unknown; error?: { code: string } }> {
  return new Promise((resolve) => {
    const onMessage = (data: WebSocket.RawData) => {
      const frame = JSON.parse(String(data)) as { type: string; id: number; ok: boolean }
      if (frame.type === 'result' && frame.id === id) {
        ws.off('message', onMessage)
        resolve(frame)
      }
    }
    ws.on('message', onMessage)
    ws.send(JSON.stringify({ id, method, input, token }))
  })
}

async function pair(host: Host, admin: ApiClient, name: string): Promise<PairedHost> {
  const { code } = await admin.call('devices.openPairing', {})
  return pairWithHost({ address: host.url!, code: code!, name })
}

async function pairingRefusal(p: Promise<unknown>): Promise<{ code: string; reason?: string; params?: Record<string, unknown> }> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  )
  expect(err).toBeInstanceOf(PairingError)
  return (err as PairingError).shape
}

// one host the terminals pair with (its clock moved by hand for the lock), one impostor with another CA
const clock = new ManualClock(new Date())
let host: Host
let admin: ApiClient
let impostor: Host
beforeAll(async () => {
  host = await lanHost(clock)
  admin = await adminOf(host)
  impostor = await lanHost()
}, 60_000)

describe('pairing a terminal', () => {
  it('refuses calls and sockets from an unpaired PC, but serves it the pages it needs to pair', async () => {
    const r = await call(host, 'auth.login', { username: 'admin', password: ADMIN_PASSWORD })
    expect(r.status).toBe(403)
    expect(r.body).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', reason: 'device_not_paired' } })
    expect(await openSocket(host, null)).toEqual({ refused: 403 })
    // a made-up cookie is no better than none
    const fake = await call(host, 'system.ping', {}, { cookie: `keyuan_device=${crypto.randomBytes(32).toString('base64url')}` })
    expect(fake.body).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', reason: 'device_not_paired' } })
    const page = await new Promise<number>((resolve, reject) => {
      https
        .get(`${host.url}/pair`, { ca: host.tls!.caPem, agent: false }, (res) => {
          res.resume()
          resolve(res.statusCode ?? 0)
        })
        .on('error', reject)
    })
    expect(page).toBe(200)
  })

  it('pairs with the code the admin opened: pins the branch CA, and the device then signs in over HTTPS and WSS', async () => {
    const { code } = await admin.call('devices.openPairing', {})
    const paired = await pairWithHost({ address: host.url!, code: code!, name: '前台电脑' })
    const tls = await admin.call('system.tls', {})
    expect(paired.sha256).toBe(tls.fingerprint)
    expect(paired.shortCode).toBe(tls.shortCode)
    expect(new crypto.X509Certificate(paired.caPem).fingerprint256).toBe(host.tls!.fingerprint.sha256)

    const login = await call(host, 'auth.login', { username: 'admin', password: ADMIN_PASSWORD }, { paired })
    expect(login.body).toMatchObject({ ok: true })
    const ws = await openSocket(host, paired)
    expect(ws).toBeInstanceOf(WebSocket)
    const socket = ws as WebSocket
    expect(await wsCall(socket, 1, 'auth.login', { username: 'admin', password: ADMIN_PASSWORD })).toMatchObject({ ok: true })
    socket.close()

    const list = await admin.call('devices.list', {})
    expect(list.lan).toBe(true)
    expect(list.devices[0]).toMatchObject({ id: paired.deviceId, name: '前台电脑', kind: 'terminal', address: '127.0.0.1', revokedAt: null, signedIn: expect.any(String) })
    expect(list.devices[0]!.lastSeenAt).not.toBeNull()
    // one code, one device: it is used up
    expect(list.pairing.code).toBeNull()
    const again = await pairingRefusal(pairWithHost({ address: host.url!, code: code!, name: '另一台' }))
    expect(again).toMatchObject({ code: 'CONFLICT', reason: 'pairing_closed' })
    // the pairing is audited
    const audited = host.database.sqlite.prepare(`SELECT count(*) FROM audit_log WHERE action = 'devices.pair' AND target = ?`).pluck().get(`device:${paired.deviceId}`)
    expect(audited).toBe(1)
  })

  it('pairs a browser by the form: it gets a secure, HTTP-only device cookie that lets its calls in', async () => {
    const { code } = await admin.call('devices.openPairing', {})
    const r = await post(host, '/pair/browser', new URLSearchParams({ name: '经理笔记本', code: code!.toLowerCase().replace('-', ' ') }).toString(), { type: 'application/x-www-form-urlencoded' })
    expect(r.status).toBe(303)
    const cookie = String(r.headers['set-cookie'])
    expect(cookie).toMatch(/^keyuan_device=[A-Za-z0-9_-]{43}; /)
    expect(cookie).toContain('Secure; HttpOnly; SameSite=Strict')
    const token = cookie.slice('keyuan_device='.length, cookie.indexOf(';'))
    const ping = await new Promise<number>((resolve, reject) => {
      const req = https.request(`${host.url}/api/auth.login`, { method: 'POST', ca: host.tls!.caPem, agent: false, headers: { cookie: `keyuan_device=${token}`, 'content-type': 'application/json' } }, (res) => {
        res.resume()
        resolve(res.statusCode ?? 0)
      })
      req.on('error', reject)
      req.end(JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }))
    })
    expect(ping).toBe(200)
  })

  it('refuses a pairing through a machine in the middle: the proof names its CA, not the host\'s, and nothing is pinned', async () => {
    const other = impostor
    const { code } = await admin.call('devices.openPairing', {})
    // a relay that shows another branch's certificate (and CA) and passes pairing on to the real host
    const relay = https.createServer({ key: other.tls!.server.keyPem, cert: other.tls!.server.certPem }, (req, res) => {
      if (req.url === '/tls/keyuan-branch-ca.crt') return void res.end(other.tls!.caPem)
      const chunks: Buffer[] = []
      req.on('data', (c: Buffer) => chunks.push(c))
      req.on('end', () => {
        const out = https.request(`${host.url}${req.url}`, { method: req.method, headers: { 'content-type': 'application/json' }, ca: host.tls!.caPem, agent: false }, (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers)
          answer.pipe(res)
        })
        out.end(Buffer.concat(chunks))
      })
    })
    await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', resolve))
    const port = (relay.address() as { port: number }).port
    const shape = await pairingRefusal(pairWithHost({ address: `https://127.0.0.1:${port}`, code: code!, name: '冒充' }))
    expect(shape).toMatchObject({ code: 'BAD_CREDENTIALS', reason: 'pairing_code_wrong' })
    relay.close()
    expect((await admin.call('devices.list', {})).devices.map((d) => d.name)).not.toContain('冒充')
    await admin.call('devices.closePairing', {})
  })
})

describe('wrong codes', () => {
  it(`allow ${MAX_WRONG_TRIES} tries, then burn the code and lock pairing for a while; a new code from the admin ends the lock`, async () => {
    const { code } = await admin.call('devices.openPairing', {})
    const wrong = code!.startsWith('0') ? `1${code!.slice(1)}` : `0${code!.slice(1)}`
    for (let left = MAX_WRONG_TRIES - 1; left > 0; left--) {
      expect(await pairingRefusal(pairWithHost({ address: host.url!, code: wrong, name: '猜' }))).toMatchObject({ code: 'BAD_CREDENTIALS', reason: 'pairing_code_wrong', params: { attemptsLeft: left } })
    }
    expect(await pairingRefusal(pairWithHost({ address: host.url!, code: wrong, name: '猜' }))).toMatchObject({ code: 'RATE_LIMITED', reason: 'pairing_locked' })
    // locked: even the right code is refused now
    expect(await pairingRefusal(pairWithHost({ address: host.url!, code: code!, name: '猜' }))).toMatchObject({ code: 'RATE_LIMITED', reason: 'pairing_locked' })
    const state = await admin.call('devices.list', {})
    expect(state.pairing).toMatchObject({ code: null, lockedUntil: expect.any(String) })
    // when the lock ends the burnt code stays burnt
    clock.advance(LOCK_MS)
    expect(await pairingRefusal(pairWithHost({ address: host.url!, code: code!, name: '猜' }))).toMatchObject({ code: 'CONFLICT', reason: 'pairing_closed' })
    // a malformed code is refused before it reaches the host, and does not count
    expect(await pairingRefusal(pairWithHost({ address: host.url!, code: 'abc', name: '猜' }))).toMatchObject({ code: 'VALIDATION', reason: 'pairing_code_format' })
    // locked again by a fresh code's wrong tries: the admin opening a new code ends the lock at once
    const second = await admin.call('devices.openPairing', {})
    const wrong2 = second.code!.startsWith('0') ? `1${second.code!.slice(1)}` : `0${second.code!.slice(1)}`
    for (let i = 0; i < MAX_WRONG_TRIES; i++) await pairingRefusal(pairWithHost({ address: host.url!, code: wrong2, name: '猜' }))
    expect((await admin.call('devices.list', {})).pairing.lockedUntil).not.toBeNull()
    // the host still answers, and a new code pairs
    const paired = await pair(host, admin, '前台二号')
    expect((await call(host, 'system.ping', {}, { paired })).status).toBe(401)
    expect((await admin.call('devices.list', {})).devices.map((d) => d.name)).toContain('前台二号')
  })
})

describe('a pinned terminal', () => {
  it('refuses a host with another certificate, with a typed warning (zh + en), and sends it nothing', async () => {
    const paired = await pair(host, admin, '销控大屏')
    const onImpostor: PairedHost = { ...paired, url: impostor.url! }
    const err = await call(impostor, 'auth.login', { username: 'admin', password: ADMIN_PASSWORD }, { paired: onImpostor }).then(
      () => null,
      (e: unknown) => explainConnectionError(e, paired),
    )
    expect(err).toBeInstanceOf(PinnedCertificateError)
    const pinErr = err as PinnedCertificateError
    expect(pinErr.reason).toBe('host_certificate_changed')
    expect(pinErr.zh).toContain('主机证书与配对时不同')
    expect(pinErr.toShape()).toMatchObject({ code: 'FORBIDDEN', reason: 'host_certificate_changed', params: { expected: paired.shortCode } })
    // the WebSocket too
    const wsErr = await openSocket(impostor, onImpostor).then(
      () => null,
      (e: unknown) => explainConnectionError(e, paired),
    )
    expect(wsErr).toBeInstanceOf(PinnedCertificateError)
    // and the impostor's own pairing code cannot make the terminal trust it without a new pairing
    expect((await call(host, 'system.ping', {}, { paired })).status).toBe(401)
  })
})

describe('revoking a device', () => {
  it('closes its sockets at once and refuses its next call; other devices go on', async () => {
    const doomed = await pair(host, admin, '离职电脑')
    const kept = await pair(host, admin, '前台电脑')
    const ws = (await openSocket(host, doomed)) as WebSocket
    const signIn = await wsCall(ws, 1, 'auth.login', { username: 'admin', password: ADMIN_PASSWORD })
    expect(signIn.ok).toBe(true)
    const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)))
    // a keep-alive HTTPS connection of the same device
    const agent = pinnedAgent(doomed)
    expect((await call(host, 'system.ping', {}, { paired: doomed, agent })).status).toBe(401)
    const keptWs = (await openSocket(host, kept)) as WebSocket

    const revoked = await admin.call('devices.revoke', { id: doomed.deviceId })
    expect(revoked.revokedAt).not.toBeNull()
    expect([DEVICE_REVOKED_CLOSE, 1006]).toContain(await closed)
    expect(host.pairing.registry.connectionsOf(doomed.deviceId)).toBe(0)

    const next = await call(host, 'auth.login', { username: 'admin', password: ADMIN_PASSWORD }, { paired: doomed, agent })
    expect(next.status).toBe(403)
    expect(next.body).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', reason: 'device_revoked' } })
    expect(await openSocket(host, doomed)).toEqual({ refused: 403 })
    agent.destroy()

    // the other device's socket stays open and answers
    expect(keptWs.readyState).toBe(WebSocket.OPEN)
    expect(await wsCall(keptWs, 1, 'auth.login', { username: 'admin', password: ADMIN_PASSWORD })).toMatchObject({ ok: true })
    keptWs.close()
    // the revocation is in the database (a restart reads it back), the other device is live
    const list = await admin.call('devices.list', {})
    expect(list.devices.find((d) => d.id === doomed.deviceId)?.revokedAt).not.toBeNull()
    expect(list.devices.find((d) => d.id === kept.deviceId)?.revokedAt).toBeNull()
  })

  it('is the admin\'s alone: an agent can neither list, open a code, nor revoke', async () => {
    const paired = await pair(host, admin, '前台电脑')
    await admin.call('staff.create', { username: 'agent1', name: '经纪人', role: 'agent', password: 'staff-pass-123' })
    const agent = host.client()
    await agent.call('auth.login', { username: 'agent1', password: 'staff-pass-123' })
    for (const r of [await agent.try('devices.list', {}), await agent.try('devices.openPairing', {}), await agent.try('devices.revoke', { id: paired.deviceId })]) {
      expect(r).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
    }
    const list = await admin.call('devices.list', {})
    expect(list.devices.find((d) => d.id === paired.deviceId)?.revokedAt).toBeNull()
    expect(list.pairing.code).toBeNull()
  })
})
