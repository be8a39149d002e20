import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Dispatcher } from '../../electron/host/api/dispatcher'
import { createHandlers } from '../../electron/host/api/handlers'
import type { Handlers } from '../../electron/host/api/handler'
import { ApiFailure } from '../../electron/host/api/api-failure'
import { SignInGuard } from '../../electron/host/domains/auth/sign-in-guard'
import { insertStaff } from '../../electron/host/domains/staff/staff.repository'
import type { Host } from '../../electron/host/host'
import { ApiClient } from '@shared/contract/client'
import { inProcessTransport } from '../../electron/host/api/in-process-transport'
import { adminClient } from '../helpers/staff'
import { startTempHost } from '../helpers/temp-host'

let host: Host & { cleanup(): Promise<void> }
let token: string
beforeAll(async () => {
  host = await startTempHost()
  token = (await adminClient(host)).token!
})
afterAll(() => host.cleanup())

/** A dispatcher on the same database whose handlers misbehave on purpose. */
function dispatcherWith(overrides: Partial<Handlers>) {
  const handlers = { ...createHandlers({ guard: new SignInGuard(host.clock) }), ...overrides } as Handlers
  const d = new Dispatcher({ db: host.pool, clock: host.clock, events: host.events, handlers, auditLog: host.auditLog, log: () => {} })
  return new ApiClient(inProcessTransport(d), token)
}
const counts = () =>
  host.database.sqlite.prepare(`SELECT (SELECT count(*) FROM staff) || '/' || (SELECT count(*) FROM audit_log)`).pluck().get()

describe('dispatcher', () => {
  it('rolls back everything a handler wrote when it then fails', async () => {
    const c = dispatcherWith({
      'staff.reactivate': async (_input, ctx) => {
        await insertStaff(ctx.db, { username: 'half', name: '半', role: 'agent', team: null, region: null, phone: null, passwordHash: 'x', now: 'now' })
        throw new ApiFailure('CONFLICT', 'changed my mind', 'id')
      },
    })
    const before = counts()
    expect(await c.try('staff.reactivate', { id: 1 })).toMatchObject({ ok: false, error: { code: 'CONFLICT', field: 'id' } })
    expect(counts()).toBe(before)
  })

  it('counts the calls in its hands (the loop reader asks whether a caller is alone), failed ones too', async () => {
    let release: () => void = () => {}
    const held = new Promise<void>((resolve) => (release = resolve))
    let d: Dispatcher | null = null
    const seen: number[] = []
    const handlers = {
      ...createHandlers({ guard: new SignInGuard(host.clock) }),
      'staff.get': async () => {
        seen.push(d!.callsInFlight)
        await held
        throw new ApiFailure('NOT_FOUND', 'no such staff', 'id')
      },
    } as Handlers
    d = new Dispatcher({ db: host.pool, clock: host.clock, events: host.events, handlers, auditLog: host.auditLog, log: () => {} })
    const c = new ApiClient(inProcessTransport(d), token)
    expect(d.callsInFlight).toBe(0)
    const first = c.try('staff.get', { id: 1 })
    const second = c.try('staff.get', { id: 2 })
    await expect.poll(() => seen.length).toBe(2)
    expect(d.callsInFlight).toBe(2)
    release()
    expect(await Promise.all([first, second])).toMatchObject([{ ok: false }, { ok: false }])
    expect(d.callsInFlight).toBe(0)
    // a call refused before its handler (unknown method) is counted out as well
    await c.try('no.such' as never, {} as never)
    expect(d.callsInFlight).toBe(0)
  })

  it('hides internal errors behind INTERNAL without a stack trace', async () => {
    const c = dispatcherWith({
      'staff.get': async () => {
        throw new Error('secret detail /home/x/y.ts:12')
      },
    })
    const r = await c.try('staff.get', { id: 1 })
    expect(r).toEqual({ ok: false, error: { code: 'INTERNAL', message: 'internal error; the change was not saved' } })
  })

  it('checks outputs too: a handler cannot leak fields the contract does not list', async () => {
    const c = dispatcherWith({
      'auth.whoami': async () =>
        ({ id: 1, username: 'admin', name: 'n', role: 'admin', team: null, region: null, password_hash: 'scrypt$…' }) as never,
    })
    const me = await c.call('auth.whoami', {})
    expect(me).not.toHaveProperty('password_hash')
  })
})
