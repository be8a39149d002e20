import crypto from 'node:crypto'
import fs from 'node:fs'
import https from 'node:https'
import type { AddressInfo } from 'node:net'
import os from 'node:os'
import path from 'node:path'
import forge from 'node-forge'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startHost, type Host } from '../../electron/host/host'
import type { PairedHost } from '../../electron/host/pairing/pair-client'
import { deviceCookie, pinnedAgent } from '../../electron/host/pairing/pinned-tls'
import { issueBranchCa, makeCertificateRequest } from '../../electron/host/tls/branch-ca'
import { BranchTls, TLS_FILES } from '../../electron/host/tls/branch-tls'
import { ensureStandbyCertificate } from '../../electron/host/standby/standby-certificate'
import { STANDBY_PATHS } from '../../electron/host/standby/standby-protocol'
import { TlsSetupError } from '../../electron/host/tls/tls-error'
import { ADMIN_PASSWORD, tempDir } from '../helpers/temp-host'

// Issue #18 item 9, the terminals' side of a promotion: the host signs a standby's own key (its
// CSR) with the branch CA, for a device the admin made a standby and nobody else, and never for
// the host's own names; the promoted standby then serves that certificate and a client pinning the
// branch CA (as every paired terminal does) accepts it without pairing again. Real TLS throughout.

let host: Host
/** the host's clock runs this far ahead (the health page's warning after 10 minutes without a pull) */
let ahead = 0
let dataDir: string
const dirs: string[] = []

beforeAll(async () => {
  dataDir = tempDir('keyuan-standby-cert-')
  host = await startHost({ dataDir, bind: '127.0.0.1', tls: true, port: 0, rendererDir: dataDir, clock: { now: () => new Date(Date.now() + ahead) }, env: { KEYUAN_ADMIN_PASSWORD: ADMIN_PASSWORD }, schedulerIntervalMs: 0, readers: 1 })
})
afterAll(async () => {
  await host.close()
  for (const d of [dataDir, ...dirs]) fs.rmSync(d, { recursive: true, force: true })
})

function pairedAs(device: { id: number; token: string }): PairedHost {
  const fp = host.tls!.fingerprint
  return { url: host.url!, deviceId: device.id, token: device.token, caPem: host.tls!.caPem, sha256: fp.sha256, shortCode: fp.shortCode, pairedAt: new Date().toISOString() }
}

/** A raw request to the certificate route (pinned to the branch CA). */
function raw(method: string, token: string | null, body: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = https.request(new URL(STANDBY_PATHS.certificate, host.url!), { method, ca: host.tls!.caPem, headers: { ...(token ? deviceCookie(token) : {}), ...headers } }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }))
    })
    req.on('error', reject)
    req.end(body)
  })
}

function get(pathname: string, token: string | null): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = https.get(new URL(pathname, host.url!), { ca: host.tls!.caPem, headers: token ? deviceCookie(token) : {} }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }))
    })
    req.on('error', reject)
  })
}

const errorOf = (body: string) => (JSON.parse(body) as { error: { reason?: string; field?: string } }).error

/** A GET over `agent` to a server on 127.0.0.1 (or `name`), the status or the refusal. */
function reach(agent: https.Agent, port: number, name = '127.0.0.1'): Promise<number | Error> {
  return new Promise((resolve) => {
    const req = https.get({ host: '127.0.0.1', servername: name === '127.0.0.1' ? undefined : name, headers: { host: `${name}:${port}` }, port, path: '/', agent }, (res) => {
      res.resume()
      resolve(res.statusCode ?? 0)
    })
    req.on('error', (err) => resolve(err))
  })
}

describe("the standby's certificate from the branch CA", () => {
  it('is signed only for a paired device the admin made a standby, never for the host’s own names, and only from a CSR its key signed', async () => {
    const admin = host.client()
    await admin.call('auth.login', { username: 'admin', password: ADMIN_PASSWORD })
    const standbyDir = tempDir('keyuan-standby-cert-sb-')
    dirs.push(standbyDir)
    const terminal = await host.pairing.registry.pair('备机', 'terminal', '127.0.0.1')
    const paired = pairedAs(terminal)
    const names = { dns: ['localhost', 'standby-pc.local', os.hostname().toLowerCase()], ips: ['127.0.0.1', '10.9.8.7'] }

    // unpaired: refused; paired but not (yet) a standby: refused, nothing written
    const { csrPem } = makeCertificateRequest('x')
    const body = JSON.stringify({ csr: csrPem, dns: names.dns, ips: names.ips })
    const unpaired = await raw('POST', null, body)
    expect([unpaired.status, errorOf(unpaired.body).reason]).toEqual([403, 'device_not_paired'])
    await expect(ensureStandbyCertificate({ dataDir: standbyDir, paired, names })).rejects.toThrow(/HTTP 403/)
    expect(fs.existsSync(path.join(standbyDir, 'tls'))).toBe(false)

    await admin.call('devices.setStandby', { id: terminal.id, standby: true })
    // the route's own refusals, for the standby device itself
    expect((await raw('GET', terminal.token, '')).status).toBe(405)
    const fromPage = await raw('POST', terminal.token, body, { origin: 'https://evil.example' })
    expect(fromPage.status).toBe(403)
    const garbage = await raw('POST', terminal.token, JSON.stringify({ csr: 'not a csr', dns: [], ips: ['127.0.0.1'] }))
    expect([garbage.status, errorOf(garbage.body).field]).toEqual([400, 'csr'])
    // a CSR for someone else's key (it proves nothing: signed by another key than the one it names)
    const stolen = forge.pki.certificationRequestFromPem(makeCertificateRequest('victim').csrPem)
    const forged = forge.pki.createCertificationRequest()
    forged.publicKey = stolen.publicKey
    forged.setSubject([{ name: 'commonName', value: 'forged' }])
    const { privateKey } = forge.pki.rsa.generateKeyPair({ bits: 1024, e: 0x10001 })
    forged.sign(privateKey, forge.md.sha256.create())
    const badSig = await raw('POST', terminal.token, JSON.stringify({ csr: forge.pki.certificationRequestToPem(forged), dns: [], ips: ['127.0.0.1'] }))
    expect([badSig.status, errorOf(badSig.body).field]).toEqual([400, 'csr'])
    expect(errorOf(badSig.body)).toMatchObject({ message: expect.stringMatching(/not signed by its own key/) })
    const extra = await raw('POST', terminal.token, JSON.stringify({ csr: csrPem, dns: [], ips: [], role: 'ca' }))
    expect(extra.status).toBe(400)

    // the standby's own request: its key stays in its data folder, the host signs for its names less the host's
    const first = await ensureStandbyCertificate({ dataDir: standbyDir, paired, names })
    expect(first.changed).toBe(true)
    const cert = new crypto.X509Certificate(fs.readFileSync(path.join(standbyDir, 'tls', TLS_FILES.serverCert)))
    const alt = cert.subjectAltName ?? ''
    expect(alt).toContain('DNS:standby-pc.local')
    expect(alt).toContain('IP Address:10.9.8.7')
    expect(alt).not.toContain(`DNS:${os.hostname().toLowerCase()},`)
    expect(alt.split(', ')).not.toContain(`DNS:${os.hostname().toLowerCase()}`)
    expect(cert.ca).toBe(false)
    expect(cert.verify(new crypto.X509Certificate(host.tls!.caPem).publicKey)).toBe(true)
    // the CA's key never reaches the standby
    expect(fs.readdirSync(path.join(standbyDir, 'tls')).sort()).toEqual([TLS_FILES.caCert, TLS_FILES.serverCert, TLS_FILES.serverKey].sort())
    expect(fs.readFileSync(path.join(standbyDir, 'tls', TLS_FILES.caCert), 'utf8')).toBe(host.tls!.caPem)
    // a good certificate is kept as it is (the standby checks it every few hours)
    expect((await ensureStandbyCertificate({ dataDir: standbyDir, paired, names: { dns: ['standby-pc.local'], ips: ['10.9.8.7'] } })).changed).toBe(false)
    // and it is audited like the pairing
    const audited = host.database.sqlite.prepare(`SELECT target FROM audit_log WHERE action = 'devices.standbyCertificate'`).pluck().all()
    expect(audited).toEqual([`device:${terminal.id}`])

    // where the standby is: learnt from its pulls, told to every signed-in user and every paired PC, nobody else
    expect((await admin.call('system.standby', {})).addresses).toEqual([])
    expect((await get(`${STANDBY_PATHS.changes}?after=0`, terminal.token)).status).toBe(200)
    expect((await admin.call('system.standby', {})).addresses).toEqual(['127.0.0.1'])
    const plain = await host.pairing.registry.pair('前台电脑', 'terminal', '127.0.0.1')
    const where = await get(STANDBY_PATHS.where, plain.token)
    expect([where.status, JSON.parse(where.body)]).toEqual([200, { addresses: ['127.0.0.1'] }])
    expect((await get(STANDBY_PATHS.where, null)).status).toBe(403)
    // a plain terminal is still no standby: no certificate for it
    expect((await raw('POST', plain.token, body)).status).toBe(403)

    // 系统状态 shows it: where, when it last pulled, how far behind; warned after 10 minutes without a pull
    await admin.call('staff.create', { username: 'sb-late', name: '落后', role: 'agent', password: 'standby-late-pass-5521' })
    const fresh = (await admin.call('health.status', {})).standbys
    expect(fresh).toEqual([expect.objectContaining({ deviceId: terminal.id, name: '备机', address: '127.0.0.1', stale: false })])
    expect(fresh[0]!.lagChanges).toBeGreaterThan(0)
    expect(await host.health.warnIfStandbyStale()).toBe(0)
    ahead = 11 * 60 * 1000
    const late = (await admin.call('health.status', {})).standbys
    // and the admin gets a notice (once: not again within 6 hours)
    expect(await host.health.warnIfStandbyStale()).toBe(1)
    expect(await host.health.warnIfStandbyStale()).toBe(0)
    ahead = 0
    expect(late).toEqual([expect.objectContaining({ deviceId: terminal.id, stale: true })])
    expect(late[0]!.lagSeconds).toBeGreaterThanOrEqual(11 * 60)
    const notice = (await admin.call('notifications.list', {})).rows.find((n) => n.kind === 'standby_stale')
    expect(notice?.body).toMatchObject({ key: 'notice.standbyStaleBody', params: { name: '备机', minutes: 11 } })

    // the admin stops it being a standby: no more certificates
    await admin.call('devices.setStandby', { id: terminal.id, standby: false })
    expect((await raw('POST', terminal.token, body)).status).toBe(403)
  })

  it('is what the promoted standby serves, and a client pinning the branch CA accepts it; a promoted folder without it never becomes a new CA', async () => {
    const admin = host.client()
    await admin.call('auth.login', { username: 'admin', password: ADMIN_PASSWORD })
    const standbyDir = tempDir('keyuan-standby-cert-pro-')
    dirs.push(standbyDir)
    const device = await host.pairing.registry.pair('备机2', 'terminal', '127.0.0.1')
    await admin.call('devices.setStandby', { id: device.id, standby: true })
    const paired = pairedAs(device)
    await ensureStandbyCertificate({ dataDir: standbyDir, paired, names: { dns: ['localhost'], ips: ['127.0.0.1'] } })

    const log: string[] = []
    const open = (caKeyElsewhere: boolean, dir = standbyDir) =>
      BranchTls.open({ dataDir: dir, names: () => ({ dns: ['localhost'], ips: ['127.0.0.1'] }), clock: { now: () => new Date() }, log: (m) => log.push(m), caKeyElsewhere })
    // without the promotion's word the missing CA key is the fault it always was
    expect(() => open(false)).toThrow(TlsSetupError)
    const promoted = open(true)
    expect(promoted.holdsCaKey).toBe(false)
    expect(promoted.fingerprint.sha256).toBe(host.tls!.fingerprint.sha256)
    expect(() => promoted.signStandby(makeCertificateRequest('y').csrPem, { dns: ['x'], ips: [] })).toThrow(TlsSetupError)

    const server = https.createServer({ key: promoted.server.keyPem, cert: promoted.server.certPem }, (_req, res) => res.end('ok'))
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    try {
      const port = (server.address() as AddressInfo).port
      // a terminal's pinned client (the same agent its pairing made) accepts the standby at once
      const pinned = pinnedAgent(paired)
      expect(await reach(pinned, port)).toBe(200)
      expect(await reach(pinned, port, 'localhost')).toBe(200)
      pinned.destroy()
      // a client pinning another branch's CA refuses it: the pin still means this branch
      const other = issueBranchCa('other', new Date())
      const stranger = pinnedAgent({ caPem: other.certPem, sha256: new crypto.X509Certificate(other.certPem).fingerprint256 })
      expect(await reach(stranger, port)).toBeInstanceOf(Error)
      stranger.destroy()
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()))
    }

    // a promoted standby that never got its certificate refuses to start TLS rather than make a new CA
    const empty = tempDir('keyuan-standby-cert-none-')
    dirs.push(empty)
    expect(() => open(true, empty)).toThrow(expect.objectContaining({ fault: 'TLS_STANDBY_NOT_SIGNED' }))
    expect(fs.existsSync(path.join(empty, 'tls', TLS_FILES.caCert))).toBe(false)
  })
})
