import fs from 'node:fs'
import https from 'node:https'
import net from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ManualClock } from '../../electron/host/clock'
import { startHost, type Host } from '../../electron/host/host'
import { startServer, type RunningServer } from '../../electron/host/lan/server'
import { BranchTls } from '../../electron/host/tls/branch-tls'
import { lanServerNames } from '../../electron/host/tls/server-names'
import { ADMIN_PASSWORD, tempDir } from '../helpers/temp-host'

// The transport's bounds hold on the TLS port too: a connection that stalls before its first
// byte, in its handshake or in plain headers is dropped, a reset ends that socket only, and the
// per-address cap counts TLS and plain connections alike.
let host: Host
let server: RunningServer
let tls: BranchTls
let port: number
const logged: string[] = []
beforeAll(async () => {
  const dataDir = tempDir('keyuan-tls-limits-')
  const clock = new ManualClock(new Date())
  host = await startHost({ dataDir, clock, noServer: true, env: { KEYUAN_ADMIN_PASSWORD: ADMIN_PASSWORD }, schedulerIntervalMs: 0, readers: 1 })
  tls = BranchTls.open({ dataDir, names: () => lanServerNames('127.0.0.1'), clock, log: () => {} })
  server = await startServer({
    dispatcher: host.dispatcher,
    events: host.events,
    rendererDir: dataDir,
    health: () => ({ status: 'ok' }),
    host: '127.0.0.1',
    port: 0,
    tls,
    clock,
    limits: { headersTimeoutMs: 300, requestTimeoutMs: 600, timeoutCheckMs: 100, maxConnectionsPerAddress: 3 },
    log: (msg) => logged.push(msg),
  })
  port = server.port
}, 60_000)
afterAll(async () => {
  await server.close()
  await host.close()
  fs.rmSync(host.dataDir, { recursive: true, force: true })
})

/** Opens a raw connection, writes `bytes` (if any), and resolves once the server has closed it. */
function closedByServer(bytes?: Buffer | string): Promise<void> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1', () => {
      if (bytes !== undefined) s.write(bytes)
    })
    s.on('error', () => {})
    s.on('close', () => resolve())
    s.resume()
  })
}

function healthz(): Promise<number> {
  return new Promise((resolve, reject) => {
    https
      .get(`https://127.0.0.1:${port}/healthz`, { ca: tls.caPem, agent: false }, (res) => {
        res.resume()
        resolve(res.statusCode ?? 0)
      })
      .on('error', reject)
  })
}

describe('bounds on the TLS port', () => {
  it('drops a connection that sends nothing, a stalled handshake and stalled plain headers; the host still answers', async () => {
    await closedByServer()
    // the first bytes of a TLS record header, then nothing
    await closedByServer(Buffer.from([0x16, 0x03, 0x01]))
    await closedByServer('GET / HTTP/1.1\r\nhost: 127.0.0.1\r\n')
    expect(await healthz()).toBe(200)
  })

  it('a reset before the first byte ends that socket only', async () => {
    await new Promise<void>((resolve) => {
      const s = net.connect(port, '127.0.0.1', () => {
        s.resetAndDestroy()
        resolve()
      })
    })
    await new Promise<void>((resolve) => {
      const s = net.connect(port, '127.0.0.1', () => {
        s.write('GE')
        s.resetAndDestroy()
        resolve()
      })
    })
    expect(await healthz()).toBe(200)
  })

  it('counts TLS and plain connections against one per-address cap', async () => {
    const open: net.Socket[] = []
    const opened = () =>
      new Promise<net.Socket>((resolve) => {
        const s = net.connect(port, '127.0.0.1', () => resolve(s))
        s.on('error', () => {})
        open.push(s)
      })
    await opened()
    await opened()
    await opened()
    // the fourth is accepted by the kernel and closed by the host at once
    const fourth = await opened()
    await new Promise<void>((resolve) => (fourth.destroyed ? resolve() : fourth.once('close', () => resolve())))
    expect(logged.some((l) => l.includes('already has 3 open'))).toBe(true)
    for (const s of open) s.destroy()
    // once they are gone the address is admitted again (the cap is released on close)
    let status = 0
    while (status !== 200) status = await healthz().catch(() => 0)
    expect(status).toBe(200)
  })
})
