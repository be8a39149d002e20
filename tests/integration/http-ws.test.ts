import fs from 'node:fs'
import path from 'node:path'
import WebSocket from 'ws'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Host } from '../../electron/host/host'
import { METHOD_NAMES } from '@shared/contract'
import { ApiClient } from '@shared/contract/client'
import { wsTransport } from '@shared/contract/ws-transport'
import { adminClient, staffClient } from '../helpers/staff'
import { ADMIN_PASSWORD, startTempHost, tempDir } from '../helpers/temp-host'

let host: Host & { cleanup(): Promise<void> }
let rendererDir: string
beforeAll(async () => {
  rendererDir = tempDir('keyuan-renderer-')
  fs.writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>客源</title>')
  fs.mkdirSync(path.join(rendererDir, 'assets'))
  fs.writeFileSync(path.join(rendererDir, 'assets', 'app.js'), 'console.log(1)')
  host = await startTempHost({ withServer: true, rendererDir })
})
afterAll(async () => {
  await host.cleanup()
  fs.rmSync(rendererDir, { recursive: true, force: true })
})

const post = (method: string, body: unknown, token?: string) =>
  fetch(`${host.url}/api/${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  })

function wsClient(onClose?: (code: number) => void) {
  const url = host.url!.replace(/^http/, 'ws') + '/ws'
  return new ApiClient(wsTransport({ url, WebSocketImpl: WebSocket as never, onClose: (code) => onClose?.(code) }))
}

describe('HTTP', () => {
  it('answers /healthz with version and schema version', async () => {
    const r = await fetch(`${host.url}/healthz`)
    expect(await r.json()).toMatchObject({ status: 'ok', version: expect.any(String), schemaVersion: host.schemaVersion })
  })

  it('serves every method as POST /api/<method> through the same checks', async () => {
    const login = await post('auth.login', { username: 'admin', password: ADMIN_PASSWORD })
    expect(login.status).toBe(200)
    const { value } = (await login.json()) as { value: { token: string } }
    const list = await post('staff.list', { limit: 10 }, value.token)
    expect(list.status).toBe(200)
    expect(((await list.json()) as { value: { total: number } }).value.total).toBe(1)
    expect((await post('staff.list', {})).status).toBe(401)
    expect((await post('staff.list', { limit: 0 }, value.token)).status).toBe(400)
    expect((await post('staff.nope', {}, value.token)).status).toBe(404)
    const bad = await post('staff.list', '{not json', value.token)
    expect(bad.status).toBe(400)
    expect(await bad.json()).toMatchObject({ ok: false, error: { code: 'VALIDATION' } })
    expect((await post('auth.login', { username: 'admin', password: 'wrong-pass' })).status).toBe(401)
    expect((await fetch(`${host.url}/api/staff.list`)).status).toBe(405)
  })

  it('serves the renderer with a strict CSP, and never files outside it', async () => {
    const index = await fetch(`${host.url}/`)
    expect(await index.text()).toContain('客源')
    expect(index.headers.get('content-security-policy')).toContain("script-src 'self'")
    expect((await fetch(`${host.url}/some/route`)).status).toBe(200)
    expect(await (await fetch(`${host.url}/assets/app.js`)).text()).toBe('console.log(1)')
    const escape = await fetch(`${host.url}/..%2f..%2f..%2fetc%2fpasswd`)
    expect(await escape.text()).not.toContain('root:')
  })

  it('documents every method at /docs/api', async () => {
    const html = await (await fetch(`${host.url}/docs/api`)).text()
    for (const m of METHOD_NAMES) expect(html).toContain(`\`${m}\``)
  })
})

describe('WebSocket', () => {
  it('carries typed calls and errors', async () => {
    const c = wsClient()
    expect(await c.try('system.ping', {})).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } })
    await c.call('auth.login', { username: 'admin', password: ADMIN_PASSWORD })
    expect(await c.call('system.ping', {})).toMatchObject({ pong: true })
    c.close()
  })

  it('pushes session.ended and closes the socket of a deactivated staff member at once', async () => {
    const admin = await adminClient(host)
    const { staff } = await staffClient(host, admin, 'agent', 'ws-agent')
    const closed: number[] = []
    const agent = wsClient((code) => closed.push(code))
    await agent.call('auth.login', { username: 'ws-agent', password: 'staff-pass-123' })
    const ended = new Promise<string>((resolve) => agent.on('session.ended', (p) => resolve(p.reason)))
    await admin.call('staff.deactivate', { id: staff.id })
    expect(await ended).toBe('deactivated')
    await expect.poll(() => closed).toEqual([4001])
    expect(await agent.try('system.ping', {})).toMatchObject({ ok: false, error: { code: 'ACCOUNT_DISABLED' } })
    agent.close()
  })

  it('drops a malformed frame', async () => {
    const ws = new WebSocket(host.url!.replace(/^http/, 'ws') + '/ws')
    await new Promise((r) => ws.once('open', r))
    const code = new Promise<number>((r) => ws.once('close', (c) => r(c)))
    ws.send('{"method": 5}')
    expect(await code).toBe(1003)
  })
})
