import crypto from 'node:crypto'
import fs from 'node:fs'
import https from 'node:https'
import type { AddressInfo } from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { issueBranchCa, issueServerCert, type KeyAndCert } from '../../electron/host/tls/branch-ca'
import { fingerprintOf } from '../../electron/host/tls/fingerprint'
import type { PairedHost } from '../../electron/host/pairing/pair-client'
import { loadStandbyAddresses, StandbyWatch, standbyUrl } from '../../electron/main/standby-failover'

// A terminal follows a promoted standby (issue #18 item 9), without Electron: real TLS servers on
// two loopback addresses (127.0.0.1 the host, 127.0.0.2 the standby, on the same port as on a LAN),
// the terminal's pin the branch CA.

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keyuan-failover-'))
const servers: https.Server[] = []
afterAll(async () => {
  for (const s of servers) await new Promise<void>((r) => s.close(() => r()))
  fs.rmSync(dir, { recursive: true, force: true })
})

function serve(tls: KeyAndCert, host: string, port: number, where: string[] | null): Promise<https.Server> {
  const server = https.createServer({ key: tls.keyPem, cert: tls.certPem }, (req, res) => {
    const cookie = req.headers.cookie ?? ''
    if (req.url === '/healthz') return void res.end('{"status":"ok"}')
    if (req.url === '/standby/where' && where && cookie.includes('token-')) return void res.end(JSON.stringify({ addresses: where }))
    res.writeHead(404).end()
  })
  servers.push(server)
  return new Promise((resolve) => server.listen(port, host, () => resolve(server)))
}

const close = (s: https.Server) => new Promise<void>((r) => s.close(() => r()))

describe('a terminal following a promoted standby', () => {
  it('keeps its host while it answers, and goes to a standby only once the host is gone a while and the standby shows the branch CA', async () => {
    const now = new Date()
    const ca = issueBranchCa('failover', now)
    const host = await serve(issueServerCert(ca, { dns: ['localhost'], ips: ['127.0.0.1'] }, now), '127.0.0.1', 0, ['127.0.0.2'])
    const port = (host.address() as AddressInfo).port
    const fp = fingerprintOf(Buffer.from(new crypto.X509Certificate(ca.certPem).raw))
    let paired: PairedHost = { url: `https://127.0.0.1:${port}`, deviceId: 3, token: `token-${'x'.repeat(37)}`, caPem: ca.certPem, sha256: fp.sha256, shortCode: fp.shortCode, pairedAt: now.toISOString() }
    const addressesFile = path.join(dir, 'standby-addresses.json')
    let t = 0
    const switched: string[] = []
    const watch = new StandbyWatch({
      paired: () => paired,
      addressesFile,
      now: () => t,
      goneAfterMs: 30_000,
      onSwitch: (url) => {
        switched.push(url)
        paired = { ...paired, url }
      },
    })
    expect(standbyUrl(paired.url, '127.0.0.2')).toBe(`https://127.0.0.2:${port}`)
    expect(standbyUrl('https://host.local:8640', '[fd00::7]')).toBe('https://[fd00::7]:8640')

    // the host answers: it says where its standby is, and the terminal keeps that
    expect(await watch.check()).toBeNull()
    expect(loadStandbyAddresses(addressesFile)).toEqual(['127.0.0.2'])

    // the host dies; the standby is not promoted yet (it serves nothing): the terminal waits
    await close(host)
    expect(await watch.check()).toBeNull()
    t += 31_000
    expect(await watch.check()).toBeNull()

    // someone else answers at the standby's address with another CA's certificate: refused by the pin
    const other = issueBranchCa('other', now)
    const impostor = await serve(issueServerCert(other, { dns: [], ips: ['127.0.0.2'] }, now), '127.0.0.2', port, null)
    expect(await watch.check()).toBeNull()
    await close(impostor)

    // the standby promoted, serving a certificate of the same branch CA: the terminal goes there
    await serve(issueServerCert(ca, { dns: [], ips: ['127.0.0.2'] }, now), '127.0.0.2', port, null)
    expect(await watch.check()).toBe(`https://127.0.0.2:${port}`)
    expect(switched).toEqual([`https://127.0.0.2:${port}`])
    // on it, the new host answers: nothing more to do
    expect(await watch.check()).toBeNull()
  })

  it('does not leave a host that is only briefly away', async () => {
    const now = new Date()
    const ca = issueBranchCa('blip', now)
    const standby = await serve(issueServerCert(ca, { dns: [], ips: ['127.0.0.2'] }, now), '127.0.0.2', 0, null)
    const port = (standby.address() as AddressInfo).port
    const fp = fingerprintOf(Buffer.from(new crypto.X509Certificate(ca.certPem).raw))
    const paired: PairedHost = { url: `https://127.0.0.1:${port}`, deviceId: 4, token: `token-${'y'.repeat(37)}`, caPem: ca.certPem, sha256: fp.sha256, shortCode: fp.shortCode, pairedAt: now.toISOString() }
    const addressesFile = path.join(dir, 'blip.json')
    fs.writeFileSync(addressesFile, JSON.stringify({ addresses: ['127.0.0.2'] }))
    let t = 0
    const watch = new StandbyWatch({ paired: () => paired, addressesFile, now: () => t, goneAfterMs: 30_000, onSwitch: () => undefined })
    // the host (127.0.0.1 on that port) does not answer, but not for long enough
    expect(await watch.check()).toBeNull()
    t += 20_000
    expect(await watch.check()).toBeNull()
    // back before the wait ends: the wait starts over
    const host = await serve(issueServerCert(ca, { dns: [], ips: ['127.0.0.1'] }, now), '127.0.0.1', port, ['127.0.0.2'])
    t += 5_000
    expect(await watch.check()).toBeNull()
    await close(host)
    t += 1_000
    expect(await watch.check()).toBeNull()
    t += 25_000
    expect(await watch.check()).toBeNull()
    t += 6_000
    expect(await watch.check()).toBe(`https://127.0.0.2:${port}`)
  })
})
