import https from 'node:https'
import WebSocket from 'ws'
import { ApiClient } from '@shared/contract/client'
import type { MethodName } from '@shared/contract'
import { wsTransport, type Reconnected, type WsTransport } from '@shared/contract/ws-transport'
import { pairWithHost, PairingError, type PairedHost } from '../../electron/host/pairing/pair-client'
import { PinnedCertificateError } from '../../electron/host/pairing/pin-check'
import { deviceCookie, explainConnectionError, pinnedTlsOptions } from '../../electron/host/pairing/pinned-tls'
import { serveCommands } from './child-channel'

// One office PC in terminal mode for lan-processes.test.ts, as its own process: it pairs with the
// real pair client, pins the branch CA, and talks to the host over WSS with the renderer's own
// transport (reconnect, resume, idempotency keys). The test drives it over the child channel.

let paired: PairedHost | null = null
let transport: WsTransport | null = null
let client: ApiClient | null = null
/** the board changes heard, as their unit lists */
const heard: number[][] = []
const reconnects: Reconnected[] = []
const closes: number[] = []
/** while away, a new socket goes where nothing listens: the way back to the host is cut */
let away = false
/** the sockets the transport opened, the last one current */
const made: WebSocket[] = []

class TerminalSocket extends WebSocket {
  constructor(url: string) {
    super(away ? 'wss://127.0.0.1:1/ws' : url, { ...pinnedTlsOptions(paired!), headers: deviceCookie(paired!.token) })
    made.push(this)
    // only the current one is ever cut; the others are closed already
    if (made.length > 8) made.shift()
  }
}

function mustClient(): ApiClient {
  if (!client) throw new Error('not connected')
  return client
}

/** A call's result, or the connection's refusal as a typed shape (a pin mismatch, a refused socket). */
function shapeOf(err: unknown): unknown {
  const explained = paired ? explainConnectionError(err, paired) : err
  if (explained instanceof PinnedCertificateError || explained instanceof PairingError) return { ok: false, error: explained instanceof PairingError ? explained.shape : explained.toShape() }
  return { ok: false, error: { code: 'OFFLINE', message: err instanceof Error ? err.message : String(err) } }
}

serveCommands(
  { pid: process.pid },
  {
    pair: async ({ address, code, name }) => {
      try {
        paired = await pairWithHost({ address: String(address), code: String(code), name: String(name) })
        return { ok: true, value: { deviceId: paired.deviceId, shortCode: paired.shortCode } }
      } catch (err) {
        return shapeOf(err)
      }
    },
    /** opens the transport to the host it paired with, and signs in */
    connect: async ({ username, password }) => {
      transport = wsTransport({
        url: `${paired!.url.replace(/^https/, 'wss')}/ws`,
        WebSocketImpl: TerminalSocket as never,
        reconnect: { firstDelayMs: 20, maxDelayMs: 200 },
        onClose: (code) => closes.push(code),
      })
      client = new ApiClient(transport)
      client.on('board.changed', (p) => heard.push(p.unitIds))
      transport.onReconnected((info) => reconnects.push(info))
      return client.try('auth.login', { username: String(username), password: String(password) })
    },
    call: async ({ method, input }) => mustClient().try(method as MethodName, input as never),
    /**
     * Sends a write and, once the host has it in hand (a later read on the same socket is
     * answered: frames are read in order), cuts the line before the write's answer can come.
     */
    writeThenCut: async ({ method, input }) => {
      const c = mustClient()
      const answer = c.try(method as MethodName, input as never)
      const ping = await c.try('system.ping', {})
      away = true
      made.at(-1)?.terminate()
      return { ping, write: await answer }
    },
    /** the line is cut and stays cut until `comeBack` */
    goAway: async () => {
      away = true
      made.at(-1)?.terminate()
    },
    comeBack: async () => {
      away = false
      transport!.retryNow()
    },
    state: async () => ({ connection: transport?.connection() ?? null, heard, reconnects, closes }),
    /** a pinned HTTPS request to `url` (another host's address): the certificate check's verdict */
    probe: async ({ url }) =>
      new Promise((resolve) => {
        const req = https.request(`${String(url)}/api/system.ping`, { method: 'POST', agent: false, ...pinnedTlsOptions(paired!), headers: { ...deviceCookie(paired!.token), 'content-type': 'application/json' } }, (res) => {
          res.resume()
          resolve({ ok: true, value: res.statusCode })
        })
        req.on('error', (err) => resolve(shapeOf(err)))
        req.end('{}')
      }),
    /** opens a WebSocket, pinned, to `url`: the verdict */
    probeSocket: async ({ url }) =>
      new Promise((resolve) => {
        const ws = new WebSocket(`${String(url).replace(/^https/, 'wss')}/ws`, { ...pinnedTlsOptions(paired!), headers: deviceCookie(paired!.token) })
        ws.once('open', () => {
          ws.close()
          resolve({ ok: true, value: 'open' })
        })
        ws.once('unexpected-response', (_req, res) => resolve({ ok: false, error: { code: 'REFUSED', status: res.statusCode } }))
        ws.once('error', (err) => resolve(shapeOf(err)))
      }),
  },
  async () => {
    transport?.close()
  },
)
