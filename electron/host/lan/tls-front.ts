import http, { type IncomingMessage, type ServerResponse } from 'node:http'
import type https from 'node:https'
import type { Socket } from 'node:net'
import type { Duplex } from 'node:stream'
import type { TransportLimits } from './limits'
import { checkTarget, type OwnNames } from './request-guard'

/** The first byte of a TLS handshake record; a plain HTTP request starts with a method's letter. */
const TLS_HANDSHAKE = 0x16

export interface TlsFrontOptions {
  limits: TransportLimits
  /** the host's own names: a redirect goes only to a name that is ours (no open redirect). */
  names: () => OwnNames
  log: (kind: string, detail: string) => void
}

/** What the server needs to stop the plain side. */
export interface TlsFront {
  /** drops every plain connection still open (the host is stopping). */
  closeAll(): void
}

/**
 * One LAN port for HTTPS, WSS and a plain-HTTP redirect: the HTTPS server's own connection
 * handler is kept, and each new connection's first byte decides: a TLS handshake goes to it,
 * anything else to a server that only answers 308 to the same URL over https. The HTTPS server
 * still listens itself, so its timeouts, connection tracking and close work as for plain HTTP.
 * Why one port rather than a second plain one: a PC that typed `http://host:8640` lands on the
 * right page, and there is one port to open in the firewall. Plain HTTP never reaches the API:
 * a request sent in clear is not read past its headers. Call before any connection listener is added.
 */
export function splitPlainFromTls(secure: https.Server, opts: TlsFrontOptions): TlsFront {
  const [handshake, ...others] = secure.listeners('connection') as Array<(socket: Socket) => void>
  if (handshake === undefined || others.length > 0) throw new Error('splitPlainFromTls: expected the TLS server\'s own connection handler only')
  secure.removeListener('connection', handshake)
  const plain = new Set<Socket>()
  const redirect = http.createServer({ maxHeaderSize: opts.limits.maxHeaderBytes }, (req, res) => answerRedirect(req, res, opts))
  redirect.keepAliveTimeout = 0
  redirect.on('upgrade', (req: IncomingMessage, socket: Duplex) => {
    const location = secureLocation(req, opts, 'wss')
    if (location === null) return void socket.end('HTTP/1.1 421 Misdirected Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n')
    socket.end(`HTTP/1.1 308 Permanent Redirect\r\nLocation: ${location}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`)
  })
  redirect.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => {
    opts.log('bad request', `plain HTTP: ${err.code ?? err.message}`)
    socket.destroy()
  })

  secure.on('connection', (socket: Socket) => {
    // a reset before the first byte (or on a plain socket) ends that socket only: unhandled, it would end the process
    socket.on('error', (err: NodeJS.ErrnoException) => {
      opts.log('connection error', err.code ?? err.message)
      socket.destroy()
    })
    // a connection that says nothing, or a plain one that never finishes its headers, is dropped
    socket.setTimeout(opts.limits.headersTimeoutMs, () => socket.destroy())
    socket.once('readable', () => {
      const first = socket.read(1) as Buffer | null
      if (first === null) return void socket.destroy()
      socket.unshift(first)
      if (first[0] === TLS_HANDSHAKE) {
        // the HTTPS server keeps its own timeouts from here
        socket.setTimeout(0)
        return handshake.call(secure, socket)
      }
      plain.add(socket)
      socket.once('close', () => plain.delete(socket))
      redirect.emit('connection', socket)
    })
  })
  return {
    closeAll: () => {
      for (const socket of plain) socket.destroy()
    },
  }
}

function secureLocation(req: IncomingMessage, opts: TlsFrontOptions, scheme: 'https' | 'wss'): string | null {
  const target = checkTarget(req, opts.names(), opts.limits.maxHeadersCount)
  if (!target.ok) return null
  let search = ''
  try {
    search = new URL(req.url ?? '/', 'http://x').search
  } catch {
    // checkTarget parsed it already
  }
  return `${scheme}://${target.host.trim().toLowerCase()}${target.pathname}${search}`
}

function answerRedirect(req: IncomingMessage, res: ServerResponse, opts: TlsFrontOptions): void {
  const location = secureLocation(req, opts, 'https')
  if (location === null) {
    opts.log('refused host', `plain HTTP Host ${JSON.stringify(req.headers.host ?? null)}`)
    res.writeHead(421, { connection: 'close', 'content-length': 0 })
    return void res.end()
  }
  // 308 keeps the method: a POST sent in clear is redirected, never read or served
  res.writeHead(308, { location, connection: 'close', 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' })
  res.end(`This host answers over HTTPS only: ${location}\n本主机仅支持 HTTPS 访问。\n`)
}
