import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FakeBackend } from '../../electron/card-reader/fake-device'
import { ManualScheduler } from '../../electron/card-reader/scheduler'
import type { Host } from '../../electron/host/host'
import { hostAdminCheck, startCardReaderBridge, type CardReaderBridge } from '../../electron/main/card-reader-bridge'
import { adminClient, staffClient, STAFF_PASSWORD } from '../helpers/staff'
import { ADMIN_PASSWORD, startTempHost, tempDir } from '../helpers/temp-host'

const BUNDLED = path.resolve(__dirname, '../../resources/reader-profiles/profiles.json')

let host: Host & { cleanup(): Promise<void> }
let adminToken: string
let agentToken: string
let managerToken: string

async function login(username: string, password: string): Promise<string> {
  const res = await fetch(`${host.url}/api/auth.login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) })
  const body = (await res.json()) as { ok: boolean; value: { token: string } }
  return body.value.token
}

beforeAll(async () => {
  host = await startTempHost({ withServer: true })
  const admin = await adminClient(host)
  const agent = await staffClient(host, admin, 'agent')
  const manager = await staffClient(host, admin, 'manager')
  adminToken = await login('admin', ADMIN_PASSWORD)
  agentToken = await login(agent.staff.username, STAFF_PASSWORD)
  managerToken = await login(manager.staff.username, STAFF_PASSWORD)
})
afterAll(() => host.cleanup())

describe('the 读卡器 calls of Electron main: admins only, checked with the host', () => {
  it('asks the host whose session a token is: only an admin passes', async () => {
    const isAdmin = hostAdminCheck(host.url!)
    expect(await isAdmin(adminToken)).toBe(true)
    expect(await isAdmin(agentToken)).toBe(false)
    expect(await isAdmin(managerToken)).toBe(false)
    expect(await isAdmin('not-a-token')).toBe(false)
    // a host that is not there: no, and no throw
    expect(await hostAdminCheck('http://127.0.0.1:9/')(adminToken)).toBe(false)
  })

  it("answers an admin's calls and refuses an agent's, malformed input and a failing driver; the host still answers", async () => {
    const dir = tempDir('keyuan-reader-bridge-')
    const scheduler = new ManualScheduler()
    const backend = new FakeBackend(scheduler)
    backend.plug({ path: '/dev/hidraw-new', vendorId: 0x1a2b, productId: 0x9999, usagePage: 0xff00, usage: 1 })
    const sent: Array<[string, unknown]> = []
    const logged: string[] = []
    let bridge: CardReaderBridge | null = null
    try {
      bridge = await startCardReaderBridge({
        backend,
        profileFiles: [path.join(dir, 'reader-profiles.json'), BUNDLED],
        platform: 'linux',
        send: (c, p) => sent.push([c, p]),
        isAdmin: hostAdminCheck(host.url!),
        log: (m) => logged.push(m),
        scheduler,
      })
      const list = await bridge.handle('readers:list', { token: adminToken })
      expect(list).toMatchObject({ ok: true, value: [{ path: '/dev/hidraw-new', state: 'unknown' }] })
      expect(await bridge.handle('readers:list', { token: agentToken })).toEqual({ ok: false, reason: 'not-admin' })
      expect(await bridge.handle('readers:learn-start', { token: agentToken, path: '/dev/hidraw-new' })).toEqual({ ok: false, reason: 'not-admin' })
      expect(await bridge.handle('readers:learn-start', { token: adminToken })).toEqual({ ok: false, reason: 'bad-input' })
      expect(await bridge.handle('readers:learn-propose', 'printed')).toEqual({ ok: false, reason: 'bad-input' })
      // the agent's try did not start learning
      expect(sent.filter(([c]) => c === 'card:learn')).toEqual([])
      expect(await bridge.handle('readers:learn-start', { token: adminToken, path: '/dev/hidraw-new' })).toMatchObject({ ok: true, value: { state: 'listening' } })
      expect(await bridge.handle('readers:learn-cancel', { token: adminToken })).toEqual({ ok: true, value: null })

      backend.failList(new Error('hid enumeration failed at /dev/bus/usb'))
      const fault = await bridge.handle('readers:list', { token: adminToken })
      expect(fault).toEqual({ ok: false, reason: 'reader-fault' })
      expect(JSON.stringify(fault)).not.toContain('/dev/bus')
      expect(logged.join('\n')).toContain('hid enumeration failed')
      expect(await hostAdminCheck(host.url!)(adminToken)).toBe(true)
    } finally {
      await bridge?.stop()
      fs.rmSync(dir, { recursive: true, force: true })
    }
  })
})
