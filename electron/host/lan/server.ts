import http, { type IncomingMessage, type ServerResponse } from 'node:http'
import https from 'node:https'
import type { AddressInfo, Socket } from 'node:net'
import path from 'node:path'
import type { Duplex } from 'node:stream'
import { WebSocketServer } from 'ws'
import { apiDocsHtml } from '../api/api-docs'
import type { Dispatcher } from '../api/dispatcher'
import type { HostEvents } from '../api/events'
import { systemClock, type Clock } from '../clock'
import type { LanPairing } from '../pairing/lan-pairing'
import type { StandbyFeed } from '../standby/standby-feed'
import type { BranchTls } from '../tls/branch-tls'
import { AddressCap } from './address-cap'
import { CallRate, rateKey } from './call-rate'
import { serveDownload, type Downloads } from './downloads'
import { EventLog, quote } from './event-log'
import { connectSrc } from './host-policy'
import { handleApiPost, sendError, sendJson } from './http-api'
import { InFlight } from './in-flight'
import { DEFAULT_LIMITS, type TransportLimits } from './limits'
import { checkTarget, decodePath, OwnNames, refuseSocket } from './request-guard'
import { serveStatic } from './static-files'
import { splitPlainFromTls, type TlsFront } from './tls-front'
import { serveTlsPage } from './tls-page'
import { WsSessions } from './ws-sessions'

export interface ServerOptions {
  dispatcher: Dispatcher
  events: HostEvents
  rendererDir: string
  health: () => Record<string, unknown>
  host: string
  port: number
  /** smaller bounds for tests; production uses DEFAULT_LIMITS. */
  limits?: Partial<TransportLimits>
  /** the host clock: idle times are measured with it. */
  clock?: Clock
  /** ms on a monotonic clock for the per-session call rate; `performance.now` unless a test drives it. */
  rateNow?: () => number
  /** one line per refused or broken request (throttled). */
  log?: (msg: string) => void
  /**
   * serve HTTPS and WSS with the branch certificate (plain HTTP on the port is only redirected);
   * required for any address other than loopback.
   */
  tls?: BranchTls
  /** the one-time downloads of `GET /files/<token>` (exports) */
  downloads?: Downloads
  /** `/pair…` and the paired-device gate of `/api` and `/ws` (with TLS; none on plain loopback) */
  pairing?: LanPairing
  /** `/standby/…`: the seed, its recovery record and the changes, for paired standbys only (with TLS) */
  standby?: StandbyFeed
}

export interface RunningServer {
  url: string
  port: number
  /** Stops accepting, tells every socket the host is stopping, and waits (bounded) for calls in flight. */
  close(): Promise<void>
  /** WebSocket connections open now (screens and terminals), for the health page. */
  terminals(): number
}

// antd injects its styles at run time, hence 'unsafe-inline' for styles only.
// connect-src is added per response: the page may talk to the host it came from, nothing else.
const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'self'",
].join('; ')

function securityHeaders(res: ServerResponse, validatedHost: string, secure: boolean): void {
  res.setHeader('content-security-policy', `${CSP}; ${connectSrc(validatedHost, secure)}`)
  res.setHeader('x-content-type-options', 'nosniff')
  res.setHeader('referrer-policy', 'no-referrer')
  res.setHeader('x-frame-options', 'DENY')
}

function remoteAddress(socket: Socket | Duplex): string {
  return (socket as Socket).remoteAddress ?? 'unknown'
}

/** One port for everything: renderer files, `/healthz`, `/docs/api`, `POST /api/<method>`, `GET /files/<token>` and `/ws`. */
export function startServer(opts: ServerOptions): Promise<RunningServer> {
  if (!opts.tls && !isLoopbackBind(opts.host)) {
    // passwords, tokens and phone numbers never cross the office network in clear
    return Promise.reject(new Error(`refusing to serve ${opts.host} without TLS`))
  }
  const tls = opts.tls
  const limits: TransportLimits = { ...DEFAULT_LIMITS, ...opts.limits }
  const clock = opts.clock ?? systemClock
  const log = new EventLog(opts.log, clock)
  const rendererDir = path.resolve(opts.rendererDir)
  const inFlight = new InFlight()
  // one bucket per session over both HTTP and WebSocket
  const rate = new CallRate(limits.callsPerSecond, limits.callBurst)
  const rateNow = opts.rateNow ?? (() => performance.now())
  const perAddress = new AddressCap(limits.maxConnectionsPerAddress)
  // set in the listen callback (the port is known only then), before any connection is accepted
  let names: OwnNames | null = null
  let stopping = false

  function route(req: IncomingMessage, res: ServerResponse): void {
    const target = checkTarget(req, names!, limits.maxHeadersCount)
    if (!target.ok) {
      log.event(target.kind, `${target.detail} from ${remoteAddress(req.socket)} (${req.method} ${quote(req.url)})`)
      const message = target.status === 421 ? 'this host does not answer to that name' : target.status === 431 ? 'too many header lines' : 'bad request target'
      return sendError(res, target.status, { code: target.status === 421 ? 'FORBIDDEN' : 'VALIDATION', message }, true)
    }
    securityHeaders(res, target.host, tls !== undefined)
    const { pathname } = target
    if (stopping) return sendError(res, 503, { code: 'OFFLINE', message: 'the host is stopping' }, true)
    if (pathname === '/healthz' && req.method === 'GET') return sendJson(res, 200, opts.health())
    if (pathname.startsWith('/tls') && req.method === 'GET' && serveTlsPage(tls, pathname, res)) return
    if (pathname === '/docs/api' && req.method === 'GET') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
      return void res.end(apiDocsHtml())
    }
    if (pathname.startsWith('/files/') && req.method === 'GET') return serveDownload(opts.downloads, pathname.slice(7), res)
    if (pathname.startsWith('/pair') && opts.pairing?.serve(req, res, pathname)) return
    if (pathname.startsWith('/standby/') && opts.standby?.serve(req, res, pathname)) return
    if (pathname.startsWith('/api/')) {
      if (req.method !== 'POST') return sendError(res, 405, { code: 'VALIDATION', message: 'use POST' })
      // a browser always names the page that sent a POST; scripts send none and carry a token instead
      if (!names!.originAllowed(req.headers.origin)) {
        log.event('refused origin', `${quote(req.headers.origin)} from ${remoteAddress(req.socket)} (POST ${quote(pathname)})`)
        return sendError(res, 403, { code: 'FORBIDDEN', message: 'calls from other sites are refused' }, true)
      }
      const unpaired = opts.pairing?.refuseRequest(req)
      if (unpaired) {
        log.event('refused device', `${remoteAddress(req.socket)}: ${unpaired.error.reason ?? ''} (POST ${quote(pathname)})`)
        return sendError(res, unpaired.status, unpaired.error, true)
      }
      const address = remoteAddress(req.socket)
      const admit = (token: string | undefined, method: string, input: unknown) => rate.take(rateKey({ token, address, method, input }, `a:${address}`), rateNow())
      void handleApiPost(opts.dispatcher, limits, pathname.slice(5), req, res, admit).catch((err: unknown) => {
        log.event('request failed', `${quote(pathname)}: ${err instanceof Error ? err.message : String(err)}`)
        sendError(res, 500, { code: 'INTERNAL', message: 'internal error' }, true)
      })
      return
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return sendError(res, 405, { code: 'VALIDATION', message: 'method not allowed' })
    const rel = decodePath(pathname)
    if (rel === null) {
      log.event('bad request', `malformed percent escape from ${remoteAddress(req.socket)}: ${quote(pathname)}`)
      return sendError(res, 400, { code: 'VALIDATION', message: 'malformed path' })
    }
    serveStatic(rendererDir, rel, res)
  }

  const serverOptions: http.ServerOptions = {
    headersTimeout: limits.headersTimeoutMs,
    requestTimeout: limits.requestTimeoutMs,
    connectionsCheckingInterval: limits.timeoutCheckMs,
    maxHeaderSize: limits.maxHeaderBytes,
  }
  const handle = (req: IncomingMessage, res: ServerResponse) => {
    // every request is in flight until its response is done or its connection gone
    res.once('close', inFlight.begin())
    try {
      route(req, res)
    } catch (err) {
      log.event('request failed', `${req.method} ${quote(req.url)}: ${err instanceof Error ? err.message : String(err)}`)
      sendError(res, 400, { code: 'VALIDATION', message: 'bad request' }, true)
    }
  }
  let front: TlsFront | null = null
  let server: http.Server | https.Server
  if (tls) {
    // a handshake gets the time a request's headers get: a client stalling in it holds no socket longer
    const secure = https.createServer(
      { ...serverOptions, key: tls.server.keyPem, cert: tls.server.certPem, minVersion: 'TLSv1.2', handshakeTimeout: limits.headersTimeoutMs },
      handle,
    )
    // a renewed certificate serves new connections at once; open ones keep theirs
    tls.onRenew((next) => secure.setSecureContext({ key: next.keyPem, cert: next.certPem, minVersion: 'TLSv1.2' }))
    front = splitPlainFromTls(secure, { limits, names: () => names!, log: (kind, detail) => log.event(kind, detail) })
    server = secure
  } else {
    server = http.createServer(serverOptions, handle)
  }
  server.keepAliveTimeout = limits.keepAliveTimeoutMs
  // one more than we accept, so that a request over the limit is seen and refused (checkTarget)
  server.maxHeadersCount = limits.maxHeadersCount + 1

  server.on('connection', (socket: Socket) => {
    const address = remoteAddress(socket)
    if (!perAddress.acquire(address)) {
      log.event('refused connection', `${address} already has ${limits.maxConnectionsPerAddress} open`)
      socket.destroy()
      return
    }
    socket.once('close', () => perAddress.release(address))
  })

  // a request line or header that does not parse, a timeout, a reset: answer if we still can, and drop that connection only
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => {
    log.event('bad request', `${remoteAddress(socket)}: ${err.code ?? err.message}`)
    const response = (socket as { _httpMessage?: { headersSent?: boolean } })._httpMessage
    // https passes a failed or stalled handshake on as a clientError: no HTTP can be written on that socket
    if (err.code === 'ECONNRESET' || response?.headersSent || /^ERR_(TLS|SSL)_/.test(err.code ?? '')) return void socket.destroy()
    const status = err.code === 'HPE_HEADER_OVERFLOW' ? 431 : err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400
    refuseSocket(socket, status)
  })

  // perMessageDeflate stays off (ws's server default): no decompression bombs
  const wss = new WebSocketServer({ noServer: true, maxPayload: limits.maxBodyBytes })
  wss.on('error', (err) => log.event('websocket server error', err.message))
  wss.on('wsClientError', (err, socket) => {
    log.event('bad upgrade', `${remoteAddress(socket)}: ${err.message}`)
    refuseSocket(socket, 400)
  })
  const sessions = new WsSessions({ dispatcher: opts.dispatcher, events: opts.events, limits, clock, log, inFlight, rate, rateNow })

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const address = remoteAddress(socket)
    socket.on('error', (err) => log.event('upgrade socket error', `${address}: ${err.message}`))
    try {
      if (stopping) return refuseSocket(socket, 503)
      const target = checkTarget(req, names!, limits.maxHeadersCount)
      if (!target.ok) {
        log.event(target.kind, `${target.detail} from ${address} (upgrade ${quote(req.url)})`)
        return refuseSocket(socket, target.status)
      }
      if (target.pathname !== '/ws') return refuseSocket(socket, 404)
      if (!names!.originAllowed(req.headers.origin)) {
        log.event('refused origin', `${quote(req.headers.origin)} from ${address} (WebSocket)`)
        return refuseSocket(socket, 403)
      }
      const device = opts.pairing?.admitUpgrade(req)
      if (device && !device.ok) {
        log.event('refused device', `${address} (WebSocket)`)
        return refuseSocket(socket, device.status)
      }
      wss.handleUpgrade(req, socket, head, (ws) => {
        sessions.attach(ws, address)
        if (device?.ok) device.hold(ws)
      })
    } catch (err) {
      log.event('bad upgrade', `${address}: ${err instanceof Error ? err.message : String(err)}`)
      refuseSocket(socket, 400)
    }
  })

  let closing: Promise<void> | null = null
  async function close(): Promise<void> {
    stopping = true
    const closed = new Promise<void>((done) => server.close(() => done()))
    server.closeIdleConnections()
    sessions.closeAll()
    if (!(await inFlight.settled(limits.drainMs))) {
      opts.log?.(`stopping: ${inFlight.size} calls still running after ${limits.drainMs} ms; they are cut off`)
    }
    sessions.terminateAll()
    wss.close()
    server.closeAllConnections()
    front?.closeAll()
    await closed
  }

  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(opts.port, opts.host, () => {
      server.off('error', reject)
      // from now on a server error (too many open files on accept) is logged, not fatal
      server.on('error', (err) => log.event('server error', err.message))
      const port = (server.address() as AddressInfo).port
      names = new OwnNames(opts.host, port, clock)
      const shownHost = opts.host === '0.0.0.0' ? '127.0.0.1' : opts.host
      resolve({
        url: `${tls ? 'https' : 'http'}://${shownHost}:${port}`,
        port,
        close: () => (closing ??= close()),
        terminals: () => wss.clients.size,
      })
    })
  })
}

/** Whether a bind address is this PC only (where the host's own window may talk plain HTTP). */
export function isLoopbackBind(host: string): boolean {
  return host === 'localhost' || host === '::1' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host)
}
