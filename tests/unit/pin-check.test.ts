import crypto from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { issueBranchCa, issueServerCert } from '../../electron/host/tls/branch-ca'
import { fingerprintOf } from '../../electron/host/tls/fingerprint'
import { checkPinnedCertificate, type HostPin } from '../../electron/host/pairing/pin-check'
import { normalizePairingCode, newPairingCode } from '../../electron/host/pairing/pairing-code'
import { savePairedHost } from '../../electron/host/pairing/pair-client'
import type { PinnedCertificateError } from '../../electron/host/pairing/pin-check'
import { installPinnedCertificateCheck } from '../../electron/main/pinned-certificate'

const now = new Date('2026-12-01T02:00:00Z')
const names = { dns: ['host-pc', 'host-pc.local'], ips: ['192.168.1.20'] }
const ca = issueBranchCa('host-pc', now)
const otherCa = issueBranchCa('host-pc', now)
const pin: HostPin = { caPem: ca.certPem, sha256: fingerprintOf(Buffer.from(new crypto.X509Certificate(ca.certPem).raw)).sha256 }
const leaf = issueServerCert(ca, names, now).certPem

describe('checkPinnedCertificate (what setCertificateVerifyProc and the Node clients ask)', () => {
  it('trusts a server certificate of the pinned CA for each name and address it carries, and a renewed one too', () => {
    expect(checkPinnedCertificate(pin, leaf, 'host-pc.local', now)).toEqual({ ok: true })
    expect(checkPinnedCertificate(pin, leaf, '192.168.1.20', now)).toEqual({ ok: true })
    const renewed = issueServerCert(ca, names, new Date(now.getTime() + 300 * 86_400_000)).certPem
    expect(checkPinnedCertificate(pin, Buffer.from(new crypto.X509Certificate(renewed).raw), 'host-pc', new Date(now.getTime() + 301 * 86_400_000))).toEqual({ ok: true })
  })

  it('refuses a certificate another CA signed, even for the same names', () => {
    const impostor = issueServerCert(otherCa, names, now).certPem
    const v = checkPinnedCertificate(pin, impostor, 'host-pc.local', now)
    expect(v.ok).toBe(false)
    if (v.ok) return
    expect(v.error.reason).toBe('host_certificate_changed')
    expect(v.error.zh).toMatch(/主机证书/)
    expect(v.error.en).toMatch(/refused/)
    expect(v.error.toShape().params).toEqual({ expected: fingerprintOf(Buffer.from(new crypto.X509Certificate(ca.certPem).raw)).shortCode })
  })

  it('refuses the CA itself shown as the server certificate, a stored pin that no longer matches its CA, and garbage', () => {
    expect(checkPinnedCertificate(pin, ca.certPem, 'host-pc', now)).toMatchObject({ ok: false, error: { reason: 'host_certificate_changed' } })
    expect(checkPinnedCertificate({ caPem: otherCa.certPem, sha256: pin.sha256 }, leaf, 'host-pc', now)).toMatchObject({ ok: false, error: { reason: 'host_certificate_changed' } })
    expect(checkPinnedCertificate(pin, 'not a certificate', 'host-pc', now)).toMatchObject({ ok: false, error: { reason: 'host_certificate_changed' } })
  })

  it('refuses a name or address the certificate does not carry, and a certificate outside its dates', () => {
    expect(checkPinnedCertificate(pin, leaf, '192.168.1.99', now)).toMatchObject({ ok: false, error: { reason: 'host_name_not_in_certificate' } })
    expect(checkPinnedCertificate(pin, leaf, 'evil.example', now)).toMatchObject({ ok: false, error: { reason: 'host_name_not_in_certificate' } })
    expect(checkPinnedCertificate(pin, leaf, 'host-pc', new Date(now.getTime() + 400 * 86_400_000))).toMatchObject({ ok: false, error: { reason: 'host_certificate_expired' } })
  })
})

describe('pairing codes', () => {
  it('are 10 Crockford base32 characters, and typing forgives case, spaces, dashes and O/I/L', () => {
    const code = newPairingCode()
    expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5}$/)
    expect(normalizePairingCode(code.toLowerCase().replace('-', ' '))).toBe(code)
    expect(normalizePairingCode('oil23-45678')).toBe('01123-45678')
    expect(normalizePairingCode('12345')).toBeNull()
    expect(normalizePairingCode('UUUUU-UUUUU')).toBeNull()
  })
})

describe('the Electron hook (setCertificateVerifyProc), with a stand-in session', () => {
  it('trusts the paired host by its pin, refuses it with another CA (warning once per refusal), and leaves other hosts to Chromium', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keyuan-pin-'))
    const file = path.join(dir, 'paired-host.json')
    type Proc = (req: { hostname: string; certificate: { data: string } }, cb: (verdict: number) => void) => void
    let proc: Proc | null = null
    const session = { setCertificateVerifyProc: (p: Proc) => (proc = p) } as unknown as Parameters<typeof installPinnedCertificateCheck>[0]
    const warned: PinnedCertificateError[] = []
    installPinnedCertificateCheck(session, file, (e) => warned.push(e))
    const ask = (hostname: string, data: string) => {
      let verdict = 1
      proc!({ hostname, certificate: { data } }, (v) => (verdict = v))
      return verdict
    }
    // not paired yet: Chromium decides
    expect(ask('192.168.1.20', leaf)).toBe(-3)
    savePairedHost(file, { url: 'https://192.168.1.20:8640', deviceId: 1, token: 'a'.repeat(43), caPem: ca.certPem, sha256: pin.sha256, shortCode: 'x', pairedAt: now.toISOString() })
    expect(fs.statSync(file).mode & 0o777).toBe(0o600)
    const realNow = new Date()
    const fresh = issueServerCert(ca, names, realNow).certPem
    expect(ask('192.168.1.20', fresh)).toBe(0)
    expect(ask('192.168.1.20', issueServerCert(otherCa, names, realNow).certPem)).toBe(-2)
    expect(warned.map((e) => e.reason)).toEqual(['host_certificate_changed'])
    expect(ask('example.org', fresh)).toBe(-3)
    fs.rmSync(dir, { recursive: true, force: true })
  })
})
