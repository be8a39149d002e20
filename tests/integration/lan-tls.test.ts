import { spawn } from 'node:child_process'
import crypto from 'node:crypto'
import fs from 'node:fs'
import http from 'node:http'
import https from 'node:https'
import path from 'node:path'
import tls from 'node:tls'
import WebSocket from 'ws'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ApiClient } from '@shared/contract/client'
import { wsTransport } from '@shared/contract/ws-transport'
import { ManualClock } from '../../electron/host/clock'
import { startHost, type Host } from '../../electron/host/host'
import { startServer } from '../../electron/host/lan/server'
import { RENEW_BEFORE_DAYS, SERVER_VALID_DAYS } from '../../electron/host/tls/branch-ca'
import { TLS_DIR, TLS_FILES } from '../../electron/host/tls/branch-tls'
import { TlsSetupError } from '../../electron/host/tls/tls-error'
import { REPO_ROOT, stopWithTest } from '../helpers/host-process'
import { lanHostOptions } from '../helpers/lan-host'
import { ADMIN_PASSWORD, tempDir } from '../helpers/temp-host'

// The LAN path (TLS) forced on 127.0.0.1: the same code a host bound to 0.0.0.0 runs, without
// opening a port to the office network from a test.
const DAY_MS = 24 * 60 * 60 * 1000
const dirs: string[] = []
const hosts: Host[] = []

async function tlsHost(opts: { dataDir?: string; clock?: ManualClock } = {}): Promise<Host> {
  const dataDir = opts.dataDir ?? tempDir('keyuan-tls-')
  if (!opts.dataDir) dirs.push(dataDir)
  const host = await startHost(lanHostOptions(dataDir, opts.clock ? { clock: opts.clock } : {}))
  hosts.push(host)
  return host
}

async function stop(host: Host): Promise<void> {
  hosts.splice(hosts.indexOf(host), 1)
  await host.close()
}

afterAll(async () => {
  for (const h of hosts.splice(0)) await h.close()
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true })
})

/** A GET over HTTPS that trusts only `ca`; resolves with the status, body and the certificate shown. */
function httpsGet(url: string, ca: string | null): Promise<{ status: number; body: Buffer; peer: crypto.X509Certificate }> {
  return new Promise((resolve, reject) => {
    const req = https.get(url, { ...(ca === null ? { rejectUnauthorized: false } : { ca }), agent: false }, (res) => {
      const chunks: Buffer[] = []
      const peer = new crypto.X509Certificate((res.socket as tls.TLSSocket).getPeerCertificate().raw)
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks), peer }))
    })
    req.on('error', reject)
  })
}

function plainRequest(port: number, opts: http.RequestOptions & { body?: string } = {}): Promise<{ status: number; headers: http.IncomingHttpHeaders }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, agent: false, ...opts }, (res) => {
      res.resume()
      resolve({ status: res.statusCode ?? 0, headers: res.headers })
    })
    req.on('error', reject)
    req.end(opts.body)
  })
}

/** What a TLS client that trusts only `ca` says about the host: 'trusted' or the refusal's code. */
function handshake(port: number, ca: string): Promise<string> {
  return new Promise((resolve) => {
    const socket = tls.connect({ host: '127.0.0.1', port, ca, servername: undefined }, () => {
      socket.end()
      resolve('trusted')
    })
    socket.on('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? err.message))
  })
}

describe('first LAN start', () => {
  let host: Host
  beforeAll(async () => {
    host = await tlsHost()
  }, 60_000)

  it('makes a branch CA and a server certificate in <data>/tls, keys and certificates mode 0600', () => {
    const dir = path.join(host.dataDir, TLS_DIR)
    for (const f of Object.values(TLS_FILES)) expect(fs.statSync(path.join(dir, f)).mode & 0o777).toBe(0o600)
    const ca = new crypto.X509Certificate(fs.readFileSync(path.join(dir, TLS_FILES.caCert)))
    expect(ca.ca).toBe(true)
    const server = new crypto.X509Certificate(fs.readFileSync(path.join(dir, TLS_FILES.serverCert)))
    expect(server.verify(ca.publicKey)).toBe(true)
    expect(server.subjectAltName).toContain('IP Address:127.0.0.1')
    expect(host.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/)
  })

  it('answers HTTPS that verifies against the branch CA, and the API over it', async () => {
    const r = await httpsGet(`${host.url}/healthz`, host.tls!.caPem)
    expect(r.status).toBe(200)
    expect(JSON.parse(r.body.toString())).toMatchObject({ status: 'ok' })
    const login = await fetchJson(host, 'auth.login', { username: 'admin', password: ADMIN_PASSWORD })
    expect(login).toMatchObject({ ok: true })
  })

  it('carries the API over WSS', async () => {
    const ca = host.tls!.caPem
    class PinnedWebSocket extends WebSocket {
      constructor(url: string) {
        super(url, { ca })
      }
    }
    const client = new ApiClient(wsTransport({ url: `${host.url!.replace(/^https/, 'wss')}/ws`, WebSocketImpl: PinnedWebSocket as never }))
    const signIn = await client.try('auth.login', { username: 'admin', password: ADMIN_PASSWORD })
    expect(signIn.ok).toBe(true)
    const status = await client.try('system.tls', {})
    expect(status).toMatchObject({ ok: true, value: { enabled: true, shortCode: host.tls!.fingerprint.shortCode, fingerprint: host.tls!.fingerprint.sha256 } })
  })

  it('only redirects plain HTTP on the same port, and never serves the API in clear', async () => {
    const port = Number(new URL(host.url!).port)
    const page = await plainRequest(port, { path: '/clients?x=1', headers: { host: `127.0.0.1:${port}` } })
    expect(page.status).toBe(308)
    expect(page.headers.location).toBe(`https://127.0.0.1:${port}/clients?x=1`)
    const api = await plainRequest(port, {
      method: 'POST',
      path: '/api/auth.login',
      headers: { host: `127.0.0.1:${port}`, 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }),
    })
    expect(api.status).toBe(308)
    expect(api.headers['set-cookie']).toBeUndefined()
    const upgrade = await plainRequest(port, {
      path: '/ws',
      headers: { host: `127.0.0.1:${port}`, connection: 'Upgrade', upgrade: 'websocket', 'sec-websocket-version': '13', 'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==' },
    }).catch((err: Error) => ({ status: 0, headers: {}, err }))
    expect(upgrade.status).toBe(308)
    // a name that is not ours gets no redirect to it
    expect((await plainRequest(port, { path: '/', headers: { host: 'evil.example' } })).status).toBe(421)
    // and the host still answers over TLS
    expect((await httpsGet(`${host.url}/healthz`, host.tls!.caPem)).status).toBe(200)
  })

  it('offers the CA for download (PEM and DER) with its fingerprint, and the same code through system.tls', async () => {
    const ca = host.tls!.caPem
    const page = await httpsGet(`${host.url}/tls`, ca)
    expect(page.body.toString()).toContain(host.tls!.fingerprint.shortCode)
    expect(host.tls!.fingerprint.shortCode).toMatch(/^([0-9A-F]{4} ){7}[0-9A-F]{4}$/)
    const der = await httpsGet(`${host.url}/tls/keyuan-branch-ca.cer`, ca)
    expect(new crypto.X509Certificate(der.body).fingerprint256).toBe(host.tls!.fingerprint.sha256)
    const pem = await httpsGet(`${host.url}/tls/keyuan-branch-ca.crt`, ca)
    expect(pem.body.toString()).toBe(ca)
    expect(pem.body.toString()).not.toContain('PRIVATE KEY')
  })

  it('a client that pins this CA refuses a host whose certificate another CA signed', async () => {
    const other = await tlsHost()
    const port = Number(new URL(other.url!).port)
    expect(other.tls!.fingerprint.sha256).not.toBe(host.tls!.fingerprint.sha256)
    expect(await handshake(port, host.tls!.caPem)).toMatch(/UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED|UNABLE_TO_GET_ISSUER_CERT/)
    expect(await handshake(port, other.tls!.caPem)).toBe('trusted')
    await expect(httpsGet(`${other.url}/healthz`, host.tls!.caPem)).rejects.toThrow()
    await stop(other)
  })
})

/** POST /api/<method> over HTTPS, trusting only the host's CA. */
function fetchJson(host: Host, method: string, input: unknown): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const body = JSON.stringify(input)
    const req = https.request(
      `${host.url}/api/${method}`,
      { method: 'POST', ca: host.tls!.caPem, agent: false, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
      (res) => {
        let text = ''
        res.on('data', (c: Buffer) => (text += c.toString()))
        res.on('end', () => resolve(JSON.parse(text)))
      },
    )
    req.on('error', reject)
    req.end(body)
  })
}

describe('renewal', () => {
  it('replaces the server certificate before it ends, signed by the same CA, and keeps it across a restart', async () => {
    const clock = new ManualClock(new Date())
    const host = await tlsHost({ clock })
    const dataDir = host.dataDir
    const caBefore = fs.readFileSync(path.join(dataDir, TLS_DIR, TLS_FILES.caCert), 'utf8')
    const first = (await httpsGet(`${host.url}/healthz`, host.tls!.caPem)).peer
    expect(host.tls!.renewIfDue()).toBe(false)
    clock.advance((SERVER_VALID_DAYS - RENEW_BEFORE_DAYS + 1) * DAY_MS)
    expect(host.tls!.renewIfDue()).toBe(true)
    // the running server shows the new certificate to a new connection (its dates are in the test clock's future)
    const second = (await httpsGet(`${host.url}/healthz`, null)).peer
    expect(second.serialNumber).not.toBe(first.serialNumber)
    expect(new Date(second.validTo).getTime()).toBeGreaterThan(new Date(first.validTo).getTime())
    const ca = new crypto.X509Certificate(caBefore)
    expect(second.verify(ca.publicKey)).toBe(true)
    expect(fs.readFileSync(path.join(dataDir, TLS_DIR, TLS_FILES.caCert), 'utf8')).toBe(caBefore)
    const fingerprint = host.tls!.fingerprint.sha256
    await stop(host)
    const again = await tlsHost({ dataDir, clock })
    expect(again.tls!.fingerprint.sha256).toBe(fingerprint)
    expect(again.tls!.renewIfDue()).toBe(false)
    expect((await httpsGet(`${again.url}/healthz`, null)).peer.serialNumber).toBe(second.serialNumber)
    await stop(again)
  }, 60_000)
})

describe('faults in the tls folder: the host says which and serves nothing, then starts once fixed', () => {
  let dataDir: string
  let caPem: string
  beforeAll(async () => {
    const host = await tlsHost()
    dataDir = host.dataDir
    caPem = host.tls!.caPem
    await stop(host)
  }, 60_000)
  const file = (name: string) => path.join(dataDir, TLS_DIR, name)

  async function expectRefused(fault: string, name: string): Promise<void> {
    const err = await tlsHost({ dataDir }).then(
      () => null,
      (e: unknown) => e,
    )
    expect(err).toBeInstanceOf(TlsSetupError)
    expect((err as TlsSetupError).fault).toBe(fault)
    expect((err as TlsSetupError).message).toContain(name)
  }

  /** starts on the repaired folder: the same CA, answering over TLS. */
  async function expectServesAgain(): Promise<void> {
    const host = await tlsHost({ dataDir })
    expect(host.tls!.caPem).toBe(caPem)
    expect((await httpsGet(`${host.url}/healthz`, caPem)).status).toBe(200)
    await stop(host)
  }

  it('a damaged server certificate', async () => {
    const good = fs.readFileSync(file(TLS_FILES.serverCert))
    fs.writeFileSync(file(TLS_FILES.serverCert), good.subarray(0, 200))
    await expectRefused('TLS_FILE_CORRUPT', TLS_FILES.serverCert)
    // the documented repair: delete the server certificate, the CA makes a new one
    fs.rmSync(file(TLS_FILES.serverCert))
    await expectServesAgain()
  }, 60_000)

  it('a damaged CA certificate', async () => {
    const good = fs.readFileSync(file(TLS_FILES.caCert))
    fs.writeFileSync(file(TLS_FILES.caCert), 'not a certificate')
    await expectRefused('TLS_FILE_CORRUPT', TLS_FILES.caCert)
    fs.writeFileSync(file(TLS_FILES.caCert), good, { mode: 0o600 })
    await expectServesAgain()
  }, 60_000)

  it('an unreadable CA key', async () => {
    const good = fs.readFileSync(file(TLS_FILES.caKey))
    // a folder where the key should be: unreadable even for root, who ignores file modes
    fs.rmSync(file(TLS_FILES.caKey))
    fs.mkdirSync(file(TLS_FILES.caKey))
    await expectRefused('TLS_FILE_UNREADABLE', TLS_FILES.caKey)
    fs.rmdirSync(file(TLS_FILES.caKey))
    await expectRefused('TLS_CA_INCOMPLETE', TLS_FILES.caKey)
    fs.writeFileSync(file(TLS_FILES.caKey), good, { mode: 0o600 })
    await expectServesAgain()
  }, 60_000)

  it('a server certificate another CA signed', async () => {
    const stranger = await tlsHost()
    const strangerDir = path.join(stranger.dataDir, TLS_DIR)
    await stop(stranger)
    for (const f of [TLS_FILES.serverCert, TLS_FILES.serverKey]) fs.copyFileSync(path.join(strangerDir, f), file(f))
    await expectRefused('TLS_NOT_SIGNED_BY_CA', TLS_FILES.serverCert)
    fs.rmSync(file(TLS_FILES.serverCert))
    await expectServesAgain()
  }, 60_000)

  it('the host process says so and exits without listening', async () => {
    fs.writeFileSync(file(TLS_FILES.caCert), 'garbage')
    const { KEYUAN_DB_KEY: _ignored, ...env } = process.env
    const child = spawn(process.execPath, ['--import', 'tsx', 'electron/host/index.ts', '--data', dataDir, '--port', '0', '--tls'], {
      cwd: REPO_ROOT,
      env: { ...env, KEYUAN_SCRYPT_COST: '1024', ...stopWithTest() },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let out = ''
    let err = ''
    child.stdout.on('data', (d: Buffer) => (out += d.toString()))
    child.stderr.on('data', (d: Buffer) => (err += d.toString()))
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve))
    expect(code).toBe(1)
    expect(err).toContain('TLS_FILE_CORRUPT')
    expect(err).toContain(TLS_FILES.caCert)
    expect(out).not.toContain('ready')
  }, 60_000)
})

describe('the host process on the LAN path', () => {
  it('prints the https address, the certificate code to compare and where browsers get the CA', async () => {
    const dataDir = tempDir('keyuan-tls-')
    dirs.push(dataDir)
    const { KEYUAN_DB_KEY: _ignored, ...env } = process.env
    const child = spawn(process.execPath, ['--import', 'tsx', 'electron/host/index.ts', '--data', dataDir, '--port', '0', '--tls'], {
      cwd: REPO_ROOT,
      env: { ...env, KEYUAN_SCRYPT_COST: '1024', KEYUAN_ADMIN_PASSWORD: ADMIN_PASSWORD },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve))
    let out = ''
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString()
        if (out.includes('CA for browsers')) resolve()
      })
      void exited.then((code) => reject(new Error(`exited ${code}`)))
    })
    child.kill('SIGTERM')
    expect(await exited).toBe(0)
    const url = /ready in \d+ ms: (https:\/\/\S+)/.exec(out)?.[1]
    expect(url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/)
    const ca = new crypto.X509Certificate(fs.readFileSync(path.join(dataDir, TLS_DIR, TLS_FILES.caCert)))
    const code = ca.fingerprint256.replace(/:/g, '').slice(0, 32).match(/.{4}/g)!.join(' ')
    expect(out).toContain(code)
    expect(out).toContain(`${url}/tls`)
  }, 60_000)
})

describe('no plain HTTP beyond loopback', () => {
  it('the server refuses to bind a LAN address without TLS', async () => {
    const host = await startHost({ dataDir: tempDir('keyuan-tls-'), clock: new ManualClock(new Date()), noServer: true, env: { KEYUAN_ADMIN_PASSWORD: ADMIN_PASSWORD }, schedulerIntervalMs: 0, readers: 1 })
    dirs.push(host.dataDir)
    hosts.push(host)
    await expect(
      startServer({ dispatcher: host.dispatcher, events: host.events, rendererDir: host.dataDir, health: () => ({}), host: '0.0.0.0', port: 0 }),
    ).rejects.toThrow(/without TLS/)
    expect((await host.client().try('system.tls', {})).ok).toBe(false)
    await stop(host)
  }, 60_000)

  it('a loopback host without --tls stays plain and reports TLS off', async () => {
    const dataDir = tempDir('keyuan-tls-')
    dirs.push(dataDir)
    const host = await startHost({ dataDir, clock: new ManualClock(new Date()), port: 0, rendererDir: dataDir, env: { KEYUAN_ADMIN_PASSWORD: ADMIN_PASSWORD }, schedulerIntervalMs: 0, readers: 1 })
    hosts.push(host)
    expect(host.url).toMatch(/^http:\/\/127\.0\.0\.1:/)
    expect(host.tls).toBeNull()
    expect(fs.existsSync(path.join(dataDir, TLS_DIR))).toBe(false)
    const admin = host.client()
    await admin.call('auth.login', { username: 'admin', password: ADMIN_PASSWORD })
    expect(await admin.call('system.tls', {})).toMatchObject({ enabled: false, fingerprint: null })
    await stop(host)
  }, 60_000)
})

