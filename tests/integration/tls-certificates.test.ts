import crypto from 'node:crypto'
import fs from 'node:fs'
import type os from 'node:os'
import { afterAll, describe, expect, it } from 'vitest'
import { ManualClock } from '../../electron/host/clock'
import { coversNames, type ServerNames } from '../../electron/host/tls/branch-ca'
import { BranchTls } from '../../electron/host/tls/branch-tls'
import { fingerprintOf } from '../../electron/host/tls/fingerprint'
import { lanServerNames } from '../../electron/host/tls/server-names'
import { tempDir } from '../helpers/temp-host'

const dirs: string[] = []
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true })
})

const iface = (address: string, family: 'IPv4' | 'IPv6'): os.NetworkInterfaceInfo =>
  ({ address, family, netmask: '', mac: '', internal: false, cidr: null, scopeid: 0 }) as os.NetworkInterfaceInfo

describe('which names the server certificate carries', () => {
  it('bound to every interface: the PC name, its .local name, loopback and each address but link-local v6', () => {
    const names = lanServerNames('0.0.0.0', 'FRONT-PC', { eth0: [iface('192.168.1.20', 'IPv4'), iface('fe80::1', 'IPv6'), iface('fd00::2', 'IPv6')] })
    expect(names.dns).toEqual(['front-pc', 'front-pc.local', 'localhost'])
    expect([...names.ips].sort()).toEqual(['127.0.0.1', '192.168.1.20', '::1', 'fd00::2'].sort())
  })
  it('bound to one address: that address only, besides loopback', () => {
    expect(lanServerNames('192.168.1.20', 'pc', { eth0: [iface('10.0.0.5', 'IPv4')] }).ips).toEqual(['127.0.0.1', '::1', '192.168.1.20'])
  })
})

describe('the branch CA and its server certificate', () => {
  function open(names: () => ServerNames, clock = new ManualClock(new Date())) {
    const dataDir = tempDir('keyuan-tls-certs-')
    dirs.push(dataDir)
    const log: string[] = []
    return { tls: BranchTls.open({ dataDir, names, clock, log: (m) => log.push(m) }), log, dataDir, clock }
  }

  it('names v6 addresses however they are written', () => {
    const { tls } = open(() => ({ dns: ['pc'], ips: ['fd00::2'] }))
    const cert = new crypto.X509Certificate(tls.server.certPem)
    expect(coversNames(cert, { dns: ['PC'], ips: ['fd00:0:0:0:0:0:0:2'] })).toBe(true)
    expect(coversNames(cert, { dns: ['pc'], ips: ['fd00::3'] })).toBe(false)
  })

  it('a new address (DHCP) gets a new server certificate from the same CA at the next check', () => {
    let ips = ['192.168.1.20']
    const { tls, log } = open(() => ({ dns: ['pc'], ips }))
    const fingerprint = tls.fingerprint.sha256
    const renewed: string[] = []
    tls.onRenew((s) => renewed.push(s.certPem))
    expect(tls.renewIfDue()).toBe(false)
    ips = ['192.168.1.77']
    expect(tls.renewIfDue()).toBe(true)
    expect(new crypto.X509Certificate(renewed[0]!).subjectAltName).toContain('IP Address:192.168.1.77')
    expect(tls.fingerprint.sha256).toBe(fingerprint)
    expect(log.at(-1)).toContain('new name or address')
  })

  it('the short code is the first half of the SHA-256 fingerprint in groups of 4', () => {
    const fp = fingerprintOf(Buffer.from('x'))
    const hex = crypto.createHash('sha256').update('x').digest('hex').toUpperCase()
    expect(fp.sha256.replace(/:/g, '')).toBe(hex)
    expect(fp.shortCode.replace(/ /g, '')).toBe(hex.slice(0, 32))
    expect(fp.shortCode.split(' ')).toHaveLength(8)
  })
})
