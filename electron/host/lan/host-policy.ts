/**
 * Which names and origins are the host itself. Pure: the server feeds it the bind address,
 * the port, the machine's hostname and its interface addresses.
 *
 * Why: a page on another site can make the clerk's browser send requests here (an `<img>`, a
 * form post, `new WebSocket`), and with DNS rebinding even make them look same-origin under the
 * attacker's own name. The Host header names the server the browser thinks it is talking to, and
 * Origin names the page that asked; refusing any name that is not ours stops both.
 */

export interface HostIdentity {
  /** the address the server is bound to (127.0.0.1, 0.0.0.0, ::, or one interface's address). */
  bind: string
  port: number
  /** os.hostname() */
  hostname: string
  /** every interface address (v4 and v6), as os.networkInterfaces() lists them. */
  addresses: readonly string[]
}

const LOOPBACK_NAMES = ['127.0.0.1', 'localhost', '[::1]']
const WILDCARD_BINDS = new Set(['0.0.0.0', '::', '[::]', ''])

/** Host header values (lower case, with the port) that address this server. */
export function ownHostNames(id: HostIdentity): Set<string> {
  const hosts = new Set(LOOPBACK_NAMES)
  const wide = WILDCARD_BINDS.has(id.bind)
  if (!wide) hosts.add(bracketed(id.bind))
  if (wide || !isLoopback(id.bind)) {
    const name = id.hostname.toLowerCase()
    if (name) {
      hosts.add(name)
      // Windows and macOS answer for PCNAME.local on the LAN (mDNS)
      if (!name.includes('.')) hosts.add(`${name}.local`)
    }
  }
  if (wide) for (const a of id.addresses) hosts.add(bracketed(a))
  const names = new Set<string>()
  for (const h of hosts) {
    names.add(`${h.toLowerCase()}:${id.port}`)
    // a browser leaves out the default port
    if (id.port === 80) names.add(h.toLowerCase())
  }
  return names
}

/** Whether a Host header names this server. */
export function isOwnHost(hostHeader: string | undefined, names: ReadonlySet<string>): boolean {
  return hostHeader !== undefined && names.has(hostHeader.trim().toLowerCase())
}

const ORIGIN = /^(https?):\/\/([^/?#\s]+)$/i

/**
 * Whether an Origin header is one of this server's own origins. A missing Origin is allowed by
 * the caller's policy, not here; `null` (sandboxed frames, files) is never ours.
 */
export function isOwnOrigin(origin: string, names: ReadonlySet<string>): boolean {
  const m = ORIGIN.exec(origin.trim())
  return m !== null && names.has(m[2]!.toLowerCase())
}

/** The CSP `connect-src` for a page served under an already validated Host: itself and its own WebSocket (wss over TLS). */
export function connectSrc(validatedHost: string, secure = false): string {
  return `connect-src 'self' ${secure ? 'wss' : 'ws'}://${validatedHost.trim().toLowerCase()}`
}

function bracketed(address: string): string {
  return address.includes(':') && !address.startsWith('[') ? `[${address}]` : address
}

function isLoopback(address: string): boolean {
  return address === 'localhost' || address === '::1' || address === '[::1]' || address.startsWith('127.')
}
