import crypto from 'node:crypto'
import net from 'node:net'

/** How long one raw exchange may take before it counts as a hang (a bound, not a wait). */
const EXCHANGE_LIMIT_MS = 10_000

export interface RawAnswer {
  /** the status of the first response line, or null when the host closed without one. */
  status: number | null
  /** everything the host sent. */
  bytes: Buffer
  /** true when the exchange hit EXCHANGE_LIMIT_MS without the host closing. */
  hung: boolean
}

/**
 * Sends bytes on a fresh TCP connection and collects what comes back until the host closes
 * the connection. `end` half-closes our side after sending, so an incomplete request ends too.
 */
export function rawExchange(port: number, data: Buffer | string, opts: { end?: boolean } = {}): Promise<RawAnswer> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1')
    const chunks: Buffer[] = []
    let hung = false
    const timer = setTimeout(() => {
      hung = true
      socket.destroy()
    }, EXCHANGE_LIMIT_MS)
    socket.on('data', (c: Buffer) => chunks.push(c))
    socket.on('error', () => undefined)
    socket.on('close', () => {
      clearTimeout(timer)
      const bytes = Buffer.concat(chunks)
      // the first final status: an interim `100 Continue` may come first
      const head = bytes.subarray(0, 4096).toString('latin1')
      const statuses = [...head.matchAll(/(?:^|\r\n\r\n)HTTP\/1\.[01] (\d{3})/g)].map((m) => Number(m[1]))
      const status = statuses.find((n) => n >= 200) ?? statuses[0] ?? null
      resolve({ status, bytes, hung })
    })
    socket.on('connect', () => {
      socket.write(data)
      if (opts.end !== false) socket.end()
    })
  })
}

/** A GET request line and headers; `host` defaults to the host's own 127.0.0.1:port. */
export function httpGet(port: number, target: string, headers: Record<string, string> = {}): string {
  return httpRequest('GET', port, target, headers)
}

/** A request with `Connection: close`, so the host closes after answering. */
export function httpRequest(method: string, port: number, target: string, headers: Record<string, string> = {}, body = ''): string {
  const all: Record<string, string> = { host: `127.0.0.1:${port}`, connection: 'close', ...headers }
  if (body) all['content-length'] = String(Buffer.byteLength(body))
  return `${method} ${target} HTTP/1.1\r\n${Object.entries(all).map(([k, v]) => `${k}: ${v}\r\n`).join('')}\r\n${body}`
}

export interface WsFrameSpec {
  opcode: number
  payload?: Buffer
  fin?: boolean
  /** RSV1-3 bits (0-7). */
  rsv?: number
  /** clients must mask; false sends the frame unmasked. */
  masked?: boolean
  /** a length field that lies about the payload (the payload sent stays as given). */
  declaredLength?: number
}

/** One WebSocket frame built by hand, valid or not. */
export function wsFrame(spec: WsFrameSpec): Buffer {
  const payload = spec.payload ?? Buffer.alloc(0)
  const masked = spec.masked ?? true
  const length = spec.declaredLength ?? payload.length
  const head: number[] = [((spec.fin ?? true) ? 0x80 : 0) | ((spec.rsv ?? 0) << 4) | (spec.opcode & 0x0f)]
  const maskBit = masked ? 0x80 : 0
  if (length < 126) head.push(maskBit | length)
  else if (length < 0x10000) head.push(maskBit | 126, length >> 8, length & 0xff)
  else {
    head.push(maskBit | 127)
    const big = Buffer.alloc(8)
    big.writeBigUInt64BE(BigInt(length))
    head.push(...big)
  }
  if (!masked) return Buffer.concat([Buffer.from(head), payload])
  const mask = crypto.randomBytes(4)
  const body = Buffer.from(payload)
  for (let i = 0; i < body.length; i++) body[i]! ^= mask[i % 4]!
  return Buffer.concat([Buffer.from(head), mask, body])
}

/** A text frame carrying one JSON value. */
export function wsText(value: unknown): Buffer {
  return wsFrame({ opcode: 1, payload: Buffer.from(JSON.stringify(value)) })
}

/** The upgrade request for /ws with a fresh key. */
export function wsUpgrade(port: number, headers: Record<string, string> = {}): string {
  return httpGet(port, '/ws', {
    connection: 'Upgrade',
    upgrade: 'websocket',
    'sec-websocket-version': '13',
    'sec-websocket-key': crypto.randomBytes(16).toString('base64'),
    ...headers,
  })
}

export interface WsOutcome {
  /** 101 when the upgrade was accepted, else the refusal status (null: closed without one). */
  status: number | null
  /** the close code the host sent, if it sent a close frame. */
  closeCode: number | null
  /** text frames the host sent before closing. */
  texts: string[]
  hung: boolean
}

/**
 * Upgrades a raw socket, then sends `frames` and half-closes; reads the host's frames until the
 * connection ends.
 */
export async function wsExchange(port: number, frames: Buffer[], headers: Record<string, string> = {}): Promise<WsOutcome> {
  const answer = await rawExchange(port, Buffer.concat([Buffer.from(wsUpgrade(port, headers)), ...frames]))
  const out: WsOutcome = { status: answer.status, closeCode: null, texts: [], hung: answer.hung }
  const headEnd = answer.bytes.indexOf('\r\n\r\n')
  if (answer.status !== 101 || headEnd < 0) return out
  let buf = answer.bytes.subarray(headEnd + 4)
  while (buf.length >= 2) {
    const opcode = buf[0]! & 0x0f
    let len = buf[1]! & 0x7f
    let off = 2
    if (len === 126) {
      if (buf.length < 4) break
      len = buf.readUInt16BE(2)
      off = 4
    } else if (len === 127) {
      if (buf.length < 10) break
      len = Number(buf.readBigUInt64BE(2))
      off = 10
    }
    if (buf.length < off + len) break
    const payload = buf.subarray(off, off + len)
    if (opcode === 1) out.texts.push(payload.toString('utf8'))
    if (opcode === 8 && payload.length >= 2) out.closeCode = payload.readUInt16BE(0)
    buf = buf.subarray(off + len)
  }
  return out
}
