import http, { type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { WebSocketServer, type WebSocket } from 'ws'
import { ClientFrame, type ServerFrame } from '../../../shared/contract/events'
import type { ErrorCode } from '../../../shared/contract/common'
import { apiDocsHtml } from '../api/api-docs'
import type { Dispatcher } from '../api/dispatcher'
import type { HostEvents, PushedEvent } from '../api/events'
import { hashToken } from '../domains/auth/sessions.repository'
import { HTTP_STATUS } from './http-status'
import { serveStatic } from './static-files'

export interface ServerOptions {
  dispatcher: Dispatcher
  events: HostEvents
  rendererDir: string
  health: () => Record<string, unknown>
  host: string
  port: number
}

export interface RunningServer {
  url: string
  port: number
  close(): Promise<void>
}

const MAX_BODY = 1024 * 1024

// antd injects its styles at run time, hence 'unsafe-inline' for styles only.
const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self' ws: wss:",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'self'",
].join('; ')

function securityHeaders(res: ServerResponse): void {
  res.setHeader('content-security-policy', CSP)
  res.setHeader('x-content-type-options', 'nosniff')
  res.setHeader('referrer-policy', 'no-referrer')
  res.setHeader('x-frame-options', 'DENY')
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' })
  res.end(JSON.stringify(body))
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let size = 0
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => {
      size += c.length
      if (size > MAX_BODY) {
        reject(new Error('body too large'))
        req.destroy()
        return
      }
      chunks.push(c)
    })
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
    req.on('error', reject)
  })
}

function remoteAddress(req: IncomingMessage): string {
  return req.socket.remoteAddress ?? 'unknown'
}

async function handleApiPost(opts: ServerOptions, method: string, req: IncomingMessage, res: ServerResponse) {
  let input: unknown
  try {
    const text = await readBody(req)
    input = text.trim() === '' ? {} : JSON.parse(text)
  } catch (err) {
    const message = err instanceof Error && err.message === 'body too large' ? 'request body too large' : 'body is not valid JSON'
    sendJson(res, 400, { ok: false, error: { code: 'VALIDATION', message } })
    return
  }
  const auth = req.headers.authorization
  const token = auth?.startsWith('Bearer ') ? auth.slice(7).trim() : undefined
  const result = await opts.dispatcher.dispatch(method, input, { token, address: remoteAddress(req) })
  sendJson(res, result.ok ? 200 : HTTP_STATUS[result.error.code as ErrorCode], result)
}

/** One port for everything: renderer files, `/healthz`, `/docs/api`, `POST /api/<method>` and `/ws`. */
export function startServer(opts: ServerOptions): Promise<RunningServer> {
  const server = http.createServer((req, res) => {
    securityHeaders(res)
    const url = new URL(req.url ?? '/', 'http://x')
    if (url.pathname === '/healthz' && req.method === 'GET') return sendJson(res, 200, opts.health())
    if (url.pathname === '/docs/api' && req.method === 'GET') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
      return res.end(apiDocsHtml())
    }
    if (url.pathname.startsWith('/api/')) {
      if (req.method !== 'POST') return sendJson(res, 405, { ok: false, error: { code: 'VALIDATION', message: 'use POST' } })
      void handleApiPost(opts, url.pathname.slice(5), req, res).catch(() => {
        if (!res.headersSent) sendJson(res, 500, { ok: false, error: { code: 'INTERNAL', message: 'internal error' } })
      })
      return
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return sendJson(res, 405, { error: 'method not allowed' })
    serveStatic(opts.rendererDir, req, res)
  })

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_BODY })
  // token hash -> sockets that used it, so a revoked session is cut at once
  const socketsBySession = new Map<string, Set<WebSocket>>()
  const staffOfSocket = new Map<WebSocket, number>()

  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://x')
    if (url.pathname !== '/ws') return socket.destroy()
    wss.handleUpgrade(req, socket, head, (ws) => attach(ws, remoteAddress(req)))
  })

  function remember(ws: WebSocket, token: string, staffId: number | undefined) {
    const h = hashToken(token)
    let set = socketsBySession.get(h)
    if (!set) socketsBySession.set(h, (set = new Set()))
    set.add(ws)
    if (staffId !== undefined) staffOfSocket.set(ws, staffId)
  }

  function attach(ws: WebSocket, address: string) {
    ws.on('message', async (data) => {
      let frame: ClientFrame
      try {
        frame = ClientFrame.parse(JSON.parse(data.toString()))
      } catch {
        ws.close(1003, 'bad frame')
        return
      }
      const result = await opts.dispatcher.dispatch(frame.method, frame.input, { token: frame.token, address })
      if (result.ok) {
        const token = frame.method === 'auth.login' ? (result.value as { token: string }).token : frame.token
        const staffId =
          frame.method === 'auth.login'
            ? (result.value as { staff: { id: number } }).staff.id
            : frame.method === 'auth.whoami'
              ? (result.value as { id: number }).id
              : undefined
        if (token) remember(ws, token, staffId)
      }
      const out: ServerFrame = result.ok
        ? { type: 'result', id: frame.id, ok: true, value: result.value }
        : { type: 'result', id: frame.id, ok: false, error: result.error }
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(out))
    })
    ws.on('close', () => {
      staffOfSocket.delete(ws)
      for (const set of socketsBySession.values()) set.delete(ws)
    })
  }

  const offRevoked = opts.events.onRevoked((hashes) => {
    for (const h of hashes) {
      const set = socketsBySession.get(h)
      socketsBySession.delete(h)
      for (const ws of set ?? []) ws.close(4001, 'session ended')
    }
  })
  const offEvent = opts.events.onEvent((e: PushedEvent) => {
    const frame = JSON.stringify({ type: 'event', name: e.name, payload: e.payload } satisfies ServerFrame)
    for (const ws of wss.clients) {
      if (ws.readyState !== ws.OPEN) continue
      const a = e.audience
      if (a.kind === 'staff' && staffOfSocket.get(ws) !== a.staffId) continue
      if (a.kind === 'session' && !socketsBySession.get(a.tokenHash)?.has(ws)) continue
      ws.send(frame)
    }
  })

  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(opts.port, opts.host, () => {
      const port = (server.address() as AddressInfo).port
      const shownHost = opts.host === '0.0.0.0' ? '127.0.0.1' : opts.host
      resolve({
        url: `http://${shownHost}:${port}`,
        port,
        close: () =>
          new Promise<void>((done) => {
            offRevoked()
            offEvent()
            for (const ws of wss.clients) ws.terminate()
            wss.close()
            server.closeAllConnections()
            server.close(() => done())
          }),
      })
    })
  })
}
