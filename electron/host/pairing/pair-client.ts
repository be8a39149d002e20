import crypto from 'node:crypto'
import fs from 'node:fs'
import https from 'node:https'
import path from 'node:path'
import type { TLSSocket } from 'node:tls'
import { z } from 'zod'
import { ApiErrorSchema, type ApiErrorShape } from '@shared/contract/common'
import { systemClock, type Clock } from '../clock'
import { fingerprintOf } from '../tls/fingerprint'
import { TLS_PATHS } from '../lan/tls-page'
import { hostProof, normalizePairingCode, sameProof, terminalProof } from './pairing-code'
import { PAIR_PATHS, TerminalPairAnswer } from './pair-protocol'
import { PinnedCertificateError } from './pin-check'
import { explainConnectionError, pinnedTlsOptions } from './pinned-tls'

/** What a terminal keeps after pairing: where the host is, the CA it pinned, and its device secret. */
export const PairedHost = z.object({
  /** `https://host:port`, as typed or found */
  url: z.string().url(),
  deviceId: z.number().int().positive(),
  token: z.string().regex(/^[A-Za-z0-9_-]{43}$/),
  caPem: z.string(),
  sha256: z.string(),
  shortCode: z.string(),
  pairedAt: z.string(),
})
export type PairedHost = z.infer<typeof PairedHost>

/** A pairing that did not happen: the host's refusal (wrong code, locked, closed) or the terminal's own. */
export class PairingError extends Error {
  constructor(readonly shape: ApiErrorShape) {
    super(shape.message)
    this.name = 'PairingError'
  }
}

/** Bounds a pairing's two requests: a host that does not answer is not waited for. */
const PAIR_TIMEOUT_MS = 15_000

interface Answer {
  status: number
  body: string
  /** the certificate the connection showed (DER), read while it is open */
  peer: Buffer | undefined
}

function request(url: URL, opts: https.RequestOptions, body?: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = https.request(url, { agent: false, timeout: PAIR_TIMEOUT_MS, ...opts }, (res) => {
      const peer = (res.socket as TLSSocket).getPeerCertificate().raw as Buffer | undefined
      const chunks: Buffer[] = []
      let size = 0
      res.on('data', (c: Buffer) => {
        size += c.length
        // a CA certificate or an answer is a few KB; more is not the host
        if (size > 64 * 1024) req.destroy(new Error('answer too long'))
        else chunks.push(c)
      })
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), peer }))
      res.on('error', reject)
    })
    req.on('timeout', () => req.destroy(new Error('the host did not answer')))
    req.on('error', reject)
    req.end(body)
  })
}

/** The host's base URL from what a person typed (`192.168.1.20:8640`, `https://host:8640/`). */
export function hostUrl(typed: string): URL {
  const withScheme = /^[a-z]+:\/\//i.test(typed.trim()) ? typed.trim() : `https://${typed.trim()}`
  const url = new URL(withScheme)
  if (url.protocol !== 'https:') url.protocol = 'https:'
  url.pathname = '/'
  url.search = ''
  url.hash = ''
  return url
}

export interface PairOptions {
  /** the host's address as typed or found by discovery */
  address: string
  /** the code the admin opened on the host */
  code: string
  /** this PC's name, as the admin will see it listed */
  name: string
  clock?: Clock
}

/**
 * Pairs this PC with a host: takes the CA the host offers (over an unverified connection, the
 * only one possible before pairing), proves to the host that it knows the code *and* saw that CA,
 * checks the host's proof back, and returns what to keep. A machine in the middle shows its own
 * CA: its proofs do not match, and nothing is pinned. Throws PairingError.
 */
export async function pairWithHost(opts: PairOptions): Promise<PairedHost> {
  const clock = opts.clock ?? systemClock
  const code = normalizePairingCode(opts.code)
  if (code === null) throw new PairingError({ code: 'VALIDATION', field: 'code', reason: 'pairing_code_format', message: 'a pairing code is 10 letters and digits, XXXXX-XXXXX' })
  const base = hostUrl(opts.address)
  let offered: Answer
  try {
    offered = await request(new URL(TLS_PATHS.pem, base), { method: 'GET', rejectUnauthorized: false })
  } catch (err) {
    throw new PairingError({ code: 'OFFLINE', reason: 'pairing_unreachable', message: `the host at ${base.host} cannot be reached: ${err instanceof Error ? err.message : String(err)}` })
  }
  const ca = offeredCa(offered)
  const fp = fingerprintOf(Buffer.from(ca.raw))
  const pin = { caPem: ca.toString(), sha256: fp.sha256 }
  const nonce = crypto.randomBytes(16).toString('hex')
  const body = JSON.stringify({ name: opts.name, nonce, proof: terminalProof(code, fp.sha256, nonce) })
  let answer: Answer
  try {
    answer = await request(new URL(PAIR_PATHS.terminal, base), { method: 'POST', headers: { 'content-type': 'application/json' }, ...pinnedTlsOptions(pin, clock) }, body)
  } catch (err) {
    const explained = explainConnectionError(err, pin)
    if (explained instanceof PinnedCertificateError) throw new PairingError(explained.toShape())
    throw new PairingError({ code: 'OFFLINE', reason: 'pairing_unreachable', message: 'the host stopped answering during pairing' })
  }
  const json = parseJson(answer.body)
  const refused = z.object({ ok: z.literal(false), error: ApiErrorSchema }).safeParse(json)
  if (refused.success) throw new PairingError(refused.data.error)
  const ok = TerminalPairAnswer.safeParse(json)
  if (!ok.success || !sameProof(ok.data.hostProof, hostProof(code, fp.sha256, nonce, ok.data.deviceId))) {
    throw new PairingError({ code: 'FORBIDDEN', reason: 'host_certificate_changed', message: 'the host could not prove it knows the code: this is not the host the code came from', params: { expected: fp.shortCode } })
  }
  return { url: base.origin, deviceId: ok.data.deviceId, token: ok.data.token, caPem: pin.caPem, sha256: fp.sha256, shortCode: fp.shortCode, pairedAt: clock.now().toISOString() }
}

/** The CA the host offers, checked to have signed the certificate the same connection showed. */
function offeredCa(offered: Answer): crypto.X509Certificate {
  const bad = () => new PairingError({ code: 'FORBIDDEN', reason: 'pairing_not_a_host', message: 'the address does not answer like a Keyuan host (no branch CA that signed its certificate)' })
  if (offered.status !== 200 || !offered.peer) throw bad()
  let ca: crypto.X509Certificate
  let leaf: crypto.X509Certificate
  try {
    ca = new crypto.X509Certificate(offered.body)
    leaf = new crypto.X509Certificate(offered.peer)
  } catch {
    throw bad()
  }
  if (!ca.ca || !leaf.checkIssued(ca) || !leaf.verify(ca.publicKey)) throw bad()
  return ca
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return null
  }
}

/** Keeps the pairing in a file only this user reads (the device secret is in it). */
export function savePairedHost(file: string, host: PairedHost): void {
  fs.mkdirSync(path.dirname(file), { recursive: true })
  const tmp = `${file}.${process.pid}.tmp`
  fs.writeFileSync(tmp, JSON.stringify(host, null, 2), { mode: 0o600 })
  fs.renameSync(tmp, file)
}

/** The pairing kept by savePairedHost, or null when this PC is not paired (or the file is not one). */
export function loadPairedHost(file: string): PairedHost | null {
  let text: string
  try {
    text = fs.readFileSync(file, 'utf8')
  } catch {
    return null
  }
  const parsed = PairedHost.safeParse(parseJson(text))
  return parsed.success ? parsed.data : null
}
