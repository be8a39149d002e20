import crypto from 'node:crypto'
import fs from 'node:fs'
import https from 'node:https'
import os from 'node:os'
import path from 'node:path'
import { systemClock, type Clock } from '../clock'
import type { PairedHost } from '../pairing/pair-client'
import { checkPinnedCertificate } from '../pairing/pin-check'
import { deviceCookie, pinnedAgent } from '../pairing/pinned-tls'
import { coversNames, daysLeft, makeCertificateRequest, RENEW_BEFORE_DAYS, type ServerNames } from '../tls/branch-ca'
import { TLS_DIR, TLS_FILES } from '../tls/branch-tls'
import { lanServerNames } from '../tls/server-names'
import { STANDBY_PATHS, StandbyCertificateAnswer } from './standby-protocol'

/** A certificate request that takes longer is given up and tried at the next check. */
const CERT_TIMEOUT_MS = 30_000
/** How often a following standby checks that its certificate is still good for its names and dates. */
export const STANDBY_CERT_CHECK_MS = 6 * 60 * 60 * 1000

/** What the standby's tls folder holds now, judged against the pinned CA. */
export type StandbyCertState = { kind: 'good'; expiresAt: string } | { kind: 'missing' } | { kind: 'due'; why: string }

function read(file: string): string | null {
  try {
    return fs.readFileSync(file, 'utf8')
  } catch {
    return null
  }
}

function write(file: string, text: string): void {
  const tmp = `${file}.${process.pid}.tmp`
  fs.writeFileSync(tmp, text, { mode: 0o600 })
  fs.renameSync(tmp, file)
}

/**
 * Whether the standby's own certificate (in `<data>/tls`) will do once it is promoted: signed by
 * the CA it pinned, matching its key, naming its addresses, and not ending within RENEW_BEFORE_DAYS.
 */
export function standbyCertState(dataDir: string, paired: PairedHost, names: ServerNames, now: Date): StandbyCertState {
  const dir = path.join(dataDir, TLS_DIR)
  const keyPem = read(path.join(dir, TLS_FILES.serverKey))
  const certPem = read(path.join(dir, TLS_FILES.serverCert))
  const caPem = read(path.join(dir, TLS_FILES.caCert))
  if (keyPem === null || certPem === null || caPem === null) return { kind: 'missing' }
  try {
    const cert = new crypto.X509Certificate(certPem)
    const ca = new crypto.X509Certificate(paired.caPem)
    if (caPem.trim() !== paired.caPem.trim() || !cert.verify(ca.publicKey) || !cert.checkPrivateKey(crypto.createPrivateKey(keyPem))) return { kind: 'due', why: 'it is not the pinned CA’s' }
    const left = daysLeft(cert, now)
    if (left <= RENEW_BEFORE_DAYS) return { kind: 'due', why: `it ends in ${Math.max(0, Math.floor(left))} days` }
    if (!coversNames(cert, names)) return { kind: 'due', why: 'this PC has a new name or address' }
    return { kind: 'good', expiresAt: new Date(cert.validTo).toISOString() }
  } catch {
    return { kind: 'due', why: 'a file in the tls folder is damaged' }
  }
}

/** POSTs the request to the host over the pinned link, as the paired standby device. */
function post(paired: PairedHost, agent: https.Agent, body: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = https.request(
      new URL(STANDBY_PATHS.certificate, paired.url),
      { method: 'POST', agent, timeout: CERT_TIMEOUT_MS, headers: { ...deviceCookie(paired.token), 'content-type': 'application/json' } },
      (res) => {
        const chunks: Buffer[] = []
        res.on('data', (c: Buffer) => chunks.push(c))
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }))
        res.on('error', reject)
      },
    )
    req.on('timeout', () => req.destroy(new Error('the host did not answer')))
    req.on('error', reject)
    req.end(body)
  })
}

/**
 * Gives the standby a server certificate from the branch CA, for the day it is promoted: it makes
 * a key here (it never leaves this PC), sends a CSR over the pinned link as the paired standby
 * device, checks the answer against the pin and keeps key, certificate and the pinned CA
 * certificate in `<data>/tls` (never the CA's key: a promoted standby cannot sign). Does nothing
 * while the certificate it has is good. Returns what it did, for the console.
 */
export async function ensureStandbyCertificate(opts: { dataDir: string; paired: PairedHost; names?: ServerNames; clock?: Clock }): Promise<{ changed: boolean; expiresAt: string; names: string[] }> {
  const clock = opts.clock ?? systemClock
  // promoted, it serves the LAN on every interface: each address and the PC's names
  const names = opts.names ?? lanServerNames('0.0.0.0')
  const state = standbyCertState(opts.dataDir, opts.paired, names, clock.now())
  if (state.kind === 'good') return { changed: false, expiresAt: state.expiresAt, names: [...names.dns, ...names.ips] }
  const { keyPem, csrPem } = makeCertificateRequest(`standby ${os.hostname()}`)
  const agent = pinnedAgent(opts.paired, clock)
  let got: { status: number; body: string }
  try {
    got = await post(opts.paired, agent, JSON.stringify({ csr: csrPem, dns: [...names.dns], ips: [...names.ips] }))
  } finally {
    agent.destroy()
  }
  if (got.status !== 200) {
    let message = ''
    try {
      message = String((JSON.parse(got.body) as { error?: { message?: string } }).error?.message ?? '')
    } catch {
      message = got.body.slice(0, 200)
    }
    throw new Error(`the host did not sign this standby's certificate (HTTP ${got.status}: ${message})`)
  }
  const answer = StandbyCertificateAnswer.parse(JSON.parse(got.body))
  // the answer is judged like any server certificate a terminal meets: signed by the pinned CA, in its dates
  const host = answer.ips[0] ?? answer.dns[0] ?? ''
  const verdict = checkPinnedCertificate(opts.paired, answer.certPem, host, clock.now())
  if (!verdict.ok) throw verdict.error
  if (!new crypto.X509Certificate(answer.certPem).checkPrivateKey(crypto.createPrivateKey(keyPem))) throw new Error("the host's certificate is not for this standby's key")
  const dir = path.join(opts.dataDir, TLS_DIR)
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 })
  // the key first: a certificate without its key would be refused at promotion
  write(path.join(dir, TLS_FILES.serverKey), keyPem)
  write(path.join(dir, TLS_FILES.serverCert), answer.certPem)
  write(path.join(dir, TLS_FILES.caCert), opts.paired.caPem)
  return { changed: true, expiresAt: new Date(new crypto.X509Certificate(answer.certPem).validTo).toISOString(), names: [...answer.dns, ...answer.ips] }
}
