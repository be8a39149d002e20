import fs from 'node:fs'
import WebSocket from 'ws'
import { afterEach, describe, expect, it } from 'vitest'
import { ManualClock } from '../../electron/host/clock'
import { startHost, type Host } from '../../electron/host/host'
import { ApiClient } from '@shared/contract/client'
import { wsTransport, type ConnectionState, type WsTransport } from '@shared/contract/ws-transport'
import { adminClient, STAFF_PASSWORD } from '../helpers/staff'
import { ADMIN_PASSWORD, tempDir } from '../helpers/temp-host'

// one clock for both runs of the host: sessions must not expire between them
const clock = new ManualClock(new Date('2026-11-25T02:00:00Z'))
const dataDir = tempDir()
const open = new Set<Host>()
const transports: WsTransport[] = []

afterEach(async () => {
  for (const t of transports.splice(0)) t.close()
  for (const h of open) await stopHost(h)
  fs.rmSync(dataDir, { recursive: true, force: true })
})

/** The host on this test's data folder; port 0 picks one, a number restarts on it. */
async function runHost(port: number): Promise<Host> {
  const host = await startHost({
    dataDir,
    port,
    clock,
    env: { KEYUAN_ADMIN_PASSWORD: ADMIN_PASSWORD },
    rendererDir: dataDir,
    schedulerIntervalMs: 0,
  })
  open.add(host)
  return host
}

async function stopHost(host: Host): Promise<void> {
  open.delete(host)
  await host.close()
}

/** Resolves when the transport's state matches. */
function stateWhere(t: WsTransport, ok: (s: ConnectionState) => boolean): Promise<ConnectionState> {
  return new Promise((resolve) => {
    if (ok(t.connection())) return resolve(t.connection())
    const off = t.onConnection((s) => {
      if (!ok(s)) return
      off()
      resolve(s)
    })
  })
}

describe('ws transport against a host that stops and comes back', () => {
  it('fails calls fast while the host is down, reconnects on its own, and keeps the session (pushes reach the new socket after whoami)', async () => {
    let host = await runHost(0)
    const port = host.port!
    const admin = await adminClient(host)
    const agent = await admin.call('staff.create', { username: 'rc-agent', name: '重连测试', role: 'agent', password: STAFF_PASSWORD })

    const transport = wsTransport({
      url: `${host.url!.replace(/^http/, 'ws')}/ws`,
      WebSocketImpl: WebSocket as never,
      // short real waits keep the test quick; it waits on states, never on the clock
      reconnect: { firstDelayMs: 20, maxDelayMs: 100 },
      // far beyond the test timeout: a call that waited for it would fail the test
      timeoutMs: 600_000,
    })
    transports.push(transport)
    const client = new ApiClient(transport)
    await client.call('auth.login', { username: 'rc-agent', password: STAFF_PASSWORD })
    let reconnected = 0
    transport.onReconnected(() => reconnected++)

    await stopHost(host)
    await stateWhere(transport, (s) => s.kind === 'reconnecting' && s.retryInMs !== null)
    expect(await client.try('system.ping', {})).toMatchObject({ ok: false, error: { code: 'OFFLINE' } })

    host = await runHost(port)
    await stateWhere(transport, (s) => s.kind === 'online')
    expect(reconnected).toBe(1)
    // what the renderer does on "reconnected": re-identify with the kept token, no new sign-in
    expect(await client.call('auth.whoami', {})).toMatchObject({ username: 'rc-agent' })

    const ended = new Promise<string>((resolve) => client.on('session.ended', (p) => resolve(p.reason)))
    const admin2 = await adminClient(host)
    await admin2.call('staff.deactivate', { id: agent.id })
    expect(await ended).toBe('deactivated')
  })
})
