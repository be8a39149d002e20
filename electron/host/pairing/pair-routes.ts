import type { IncomingMessage, ServerResponse } from 'node:http'
import type { ApiErrorShape } from '@shared/contract/common'
import type { DeviceRegistry } from './device-registry'
import { DEVICE_COOKIE } from './device-registry'
import { hostProof, normalizePairingCode, sameProof, terminalProof } from './pairing-code'
import { DeviceName, PAIR_PATHS, TerminalPairRequest } from './pair-protocol'
import type { PairingWindow } from './pairing-window'
import { pairPageHtml } from './pair-page'

/** A pairing request is a few short fields; anything longer is not one. */
const MAX_PAIR_BODY_BYTES = 4096
/** The device cookie lasts as long as the pairing: until the admin revokes it (the browser's cap is 400 days). */
const COOKIE_MAX_AGE_S = 400 * 24 * 60 * 60

const STATUS: Record<string, number> = { BAD_CREDENTIALS: 401, RATE_LIMITED: 429, CONFLICT: 409, VALIDATION: 400, INTERNAL: 500 }

export interface PairRoutesDeps {
  window: PairingWindow
  registry: DeviceRegistry
  /** the branch CA's SHA-256 (colon hex), as the proofs name it */
  caSha256: () => string
  log: (msg: string) => void
}

function readSmallBody(req: IncomingMessage): Promise<string | null> {
  return new Promise((resolve) => {
    if (Number(req.headers['content-length']) > MAX_PAIR_BODY_BYTES) return resolve(null)
    const chunks: Buffer[] = []
    let size = 0
    req.on('data', (c: Buffer) => {
      size += c.length
      if (size > MAX_PAIR_BODY_BYTES) return resolve(null)
      chunks.push(c)
    })
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
    req.on('error', () => resolve(null))
    req.on('close', () => resolve(null))
  })
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' })
  res.end(JSON.stringify(body))
}

function refuse(res: ServerResponse, error: ApiErrorShape): void {
  json(res, STATUS[error.code] ?? 400, { ok: false, error })
}

const BAD_REQUEST: ApiErrorShape = { code: 'VALIDATION', reason: 'pairing_bad_request', message: 'not a pairing request' }

/**
 * Serves `/pair` (the browser's form), `POST /pair/browser` and `POST /pair/terminal`; returns
 * false for any other path. A right code pairs one device and is used up; a wrong one counts
 * against the code (PairingWindow).
 */
export function servePairing(deps: PairRoutesDeps, req: IncomingMessage, res: ServerResponse, pathname: string, address: string): boolean {
  if (pathname === PAIR_PATHS.page && req.method === 'GET') {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' })
    res.end(pairPageHtml(null))
    return true
  }
  if (pathname === PAIR_PATHS.terminal && req.method === 'POST') {
    void pairTerminal(deps, req, res, address).catch((err: unknown) => failed(deps, res, err))
    return true
  }
  if (pathname === PAIR_PATHS.browser && req.method === 'POST') {
    void pairBrowser(deps, req, res, address).catch((err: unknown) => failed(deps, res, err))
    return true
  }
  return false
}

function failed(deps: PairRoutesDeps, res: ServerResponse, err: unknown): void {
  deps.log(`pairing failed: ${err instanceof Error ? err.message : String(err)}`)
  if (!res.headersSent) refuse(res, { code: 'INTERNAL', message: 'internal error' })
}

async function pairTerminal(deps: PairRoutesDeps, req: IncomingMessage, res: ServerResponse, address: string): Promise<void> {
  const text = await readSmallBody(req)
  let parsed: ReturnType<typeof TerminalPairRequest.safeParse> | null = null
  try {
    parsed = text === null ? null : TerminalPairRequest.safeParse(JSON.parse(text))
  } catch {
    parsed = null
  }
  if (!parsed?.success) return refuse(res, BAD_REQUEST)
  const gate = deps.window.gate()
  if (!gate.ok) return refuse(res, gate.error)
  const { name, nonce, proof } = parsed.data
  const ca = deps.caSha256()
  if (!sameProof(proof, terminalProof(gate.code, ca, nonce))) {
    deps.log(`pairing: wrong code (or an intercepted connection) from ${address}`)
    return refuse(res, deps.window.wrong())
  }
  deps.window.right()
  const device = await deps.registry.pair(name, 'terminal', address)
  deps.log(`pairing: terminal ${JSON.stringify(name)} paired from ${address} (device ${device.id})`)
  json(res, 200, { ok: true, deviceId: device.id, token: device.token, hostProof: hostProof(gate.code, ca, nonce, device.id) })
}

async function pairBrowser(deps: PairRoutesDeps, req: IncomingMessage, res: ServerResponse, address: string): Promise<void> {
  const text = await readSmallBody(req)
  const form = new URLSearchParams(text ?? '')
  const name = DeviceName.safeParse(form.get('name') ?? '')
  const typed = normalizePairingCode(form.get('code') ?? '')
  const page = (status: number, error: ApiErrorShape) => {
    res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' })
    res.end(pairPageHtml(error))
  }
  if (text === null || !name.success) return page(400, BAD_REQUEST)
  const gate = deps.window.gate()
  if (!gate.ok) return page(STATUS[gate.error.code] ?? 400, gate.error)
  // a browser trusts the host through the CA it installed (after comparing the fingerprint), so the code alone is checked
  if (typed === null || !sameProof(typed, gate.code)) {
    const error = deps.window.wrong()
    return page(STATUS[error.code] ?? 400, error)
  }
  deps.window.right()
  const device = await deps.registry.pair(name.data, 'browser', address)
  deps.log(`pairing: browser ${JSON.stringify(name.data)} paired from ${address} (device ${device.id})`)
  res.writeHead(303, {
    location: '/',
    'cache-control': 'no-store',
    'set-cookie': `${DEVICE_COOKIE}=${device.token}; Path=/; Max-Age=${COOKIE_MAX_AGE_S}; Secure; HttpOnly; SameSite=Strict`,
  })
  res.end()
}
