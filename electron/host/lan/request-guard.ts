import { STATUS_CODES, type IncomingMessage } from 'node:http'
import os from 'node:os'
import type { Duplex } from 'node:stream'
import type { Clock } from '../clock'
import { isOwnHost, isOwnOrigin, ownHostNames } from './host-policy'

/** A new interface address (DHCP, a cable plugged in) is picked up at most this often: a flood of foreign names costs nothing. */
const INTERFACE_REFRESH_MS = 10_000

/**
 * The host's own names, kept fresh when bound to every interface: a Host header that is not
 * among them triggers one re-read of the interfaces, at most every INTERFACE_REFRESH_MS.
 */
export class OwnNames {
  private names: Set<string>
  private readAt: number

  constructor(
    private readonly bind: string,
    private readonly port: number,
    private readonly clock: Clock,
  ) {
    this.names = this.read()
    this.readAt = clock.now().getTime()
  }

  /** Whether the Host header names this server. */
  hostAllowed(hostHeader: string | undefined): boolean {
    if (isOwnHost(hostHeader, this.names)) return true
    const now = this.clock.now().getTime()
    if (now - this.readAt < INTERFACE_REFRESH_MS) return false
    this.names = this.read()
    this.readAt = now
    return isOwnHost(hostHeader, this.names)
  }

  /** Whether a browser's Origin is one of ours; no Origin (a script, curl) passes. */
  originAllowed(origin: string | undefined): boolean {
    return origin === undefined || isOwnOrigin(origin, this.names)
  }

  private read(): Set<string> {
    const addresses = Object.values(os.networkInterfaces()).flatMap((list) => (list ?? []).map((i) => i.address))
    return ownHostNames({ bind: this.bind, port: this.port, hostname: os.hostname(), addresses })
  }
}

/** What the guard found in a request line and its Host header. */
export type Target =
  | { ok: true; host: string; pathname: string }
  | { ok: false; status: 400 | 421 | 431; kind: string; detail: string }

/**
 * The checks every request and upgrade passes before routing: not more header lines than we
 * read, Host is ours (no DNS rebinding), and the request target parses. Never throws.
 */
export function checkTarget(req: IncomingMessage, names: OwnNames, maxHeadersCount: number): Target {
  // Node drops the lines over server.maxHeadersCount (set one higher): refuse rather than judge a cut request
  if (req.rawHeaders.length / 2 > maxHeadersCount) return { ok: false, status: 431, kind: 'bad request', detail: `more than ${maxHeadersCount} header lines` }
  const host = req.headers.host
  if (!names.hostAllowed(host)) return { ok: false, status: 421, kind: 'refused host', detail: `Host ${JSON.stringify(host ?? null)}` }
  try {
    return { ok: true, host: host!, pathname: new URL(req.url ?? '/', 'http://x').pathname }
  } catch {
    return { ok: false, status: 400, kind: 'bad request', detail: 'request target is not a URL' }
  }
}

/** A path's percent escapes decoded, or null when they are malformed or name a NUL byte. */
export function decodePath(pathname: string): string | null {
  try {
    const decoded = decodeURIComponent(pathname)
    return decoded.includes('\0') ? null : decoded
  } catch {
    return null
  }
}

/**
 * Answers a socket the HTTP server no longer manages (a refused upgrade, a request that did not
 * parse) with a bare status and closes it once written.
 */
export function refuseSocket(socket: Duplex, status: number): void {
  if (!socket.writable) {
    socket.destroy()
    return
  }
  socket.once('finish', () => socket.destroy())
  socket.end(`HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`)
}
