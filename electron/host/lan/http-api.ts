import type { IncomingMessage, ServerResponse } from 'node:http'
import type { ApiErrorShape, ErrorCode } from '@shared/contract/common'
import type { Dispatcher } from '../api/dispatcher'
import { rateRefusal } from './call-rate'
import { HTTP_STATUS } from './http-status'
import { parseJsonInput } from './json-input'
import type { TransportLimits } from './limits'

/** Writes a JSON answer; `close` ends the connection after it (a body left unread, a host stopping). */
export function sendJson(res: ServerResponse, status: number, body: unknown, close = false): void {
  if (res.headersSent) return
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    ...(close ? { connection: 'close' } : {}),
  })
  res.end(JSON.stringify(body))
}

/** A typed error answer, the same shape the dispatcher returns. */
export function sendError(res: ServerResponse, status: number, error: ApiErrorShape, close = false): void {
  sendJson(res, status, { ok: false, error }, close)
}

type Body = { ok: true; text: string } | { ok: false; tooLarge: boolean }

function readBody(req: IncomingMessage, maxBytes: number): Promise<Body> {
  return new Promise((resolve) => {
    const declared = Number(req.headers['content-length'])
    if (Number.isFinite(declared) && declared > maxBytes) return resolve({ ok: false, tooLarge: true })
    let size = 0
    const chunks: Buffer[] = []
    const onData = (c: Buffer) => {
      size += c.length
      if (size > maxBytes) {
        req.off('data', onData)
        resolve({ ok: false, tooLarge: true })
        return
      }
      chunks.push(c)
    }
    req.on('data', onData)
    req.on('end', () => resolve({ ok: true, text: Buffer.concat(chunks).toString('utf8') }))
    req.on('error', () => resolve({ ok: false, tooLarge: false }))
    // the connection went away mid-body (a timeout, a reset); after 'end' this changes nothing
    req.on('close', () => resolve({ ok: false, tooLarge: false }))
  })
}

/**
 * `POST /api/<method>`: the body is the input, `Authorization: Bearer <token>` the session, an
 * optional `Idempotency-Key` makes a write safe to send again. `admit` takes the call from the
 * session's rate, or the signed-out caller's (0, or the seconds to wait).
 */
export async function handleApiPost(
  dispatcher: Dispatcher,
  limits: TransportLimits,
  method: string,
  req: IncomingMessage,
  res: ServerResponse,
  admit: (token: string | undefined, method: string, input: unknown) => number,
): Promise<void> {
  const body = await readBody(req, limits.maxBodyBytes)
  if (!body.ok) {
    // the rest of the body is never read: close the connection after the answer
    if (body.tooLarge) {
      sendError(res, 413, { code: 'VALIDATION', message: `request body over ${limits.maxBodyBytes} bytes`, reason: 'body_too_large', params: { maximum: limits.maxBodyBytes } }, true)
    } else res.destroy()
    return
  }
  let input: unknown = {}
  if (body.text.trim() !== '') {
    const parsed = parseJsonInput(body.text, limits.maxJsonDepth)
    if (!parsed.ok) {
      sendError(res, 400, parsed.error)
      return
    }
    input = parsed.value
  }
  const auth = req.headers.authorization
  const token = auth?.startsWith('Bearer ') ? auth.slice(7).trim() : undefined
  const wait = admit(token, method, input)
  if (wait > 0) {
    res.setHeader('retry-after', String(wait))
    return sendError(res, 429, rateRefusal(wait))
  }
  const key = req.headers['idempotency-key']
  if (key !== undefined && (typeof key !== 'string' || key.length < 1 || key.length > 64)) {
    return sendError(res, 400, { code: 'VALIDATION', message: 'Idempotency-Key must be 1 to 64 characters' })
  }
  const result = await dispatcher.dispatch(method, input, { token, address: req.socket.remoteAddress ?? 'unknown', idempotencyKey: key })
  sendJson(res, result.ok ? 200 : HTTP_STATUS[result.error.code as ErrorCode], result)
}
