import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ManualClock } from '../../electron/host/clock'
import { ADDRESS_POLICY } from '../../electron/host/domains/auth/backoff'
import type { Host } from '../../electron/host/host'
import { adminClient, staffClient, STAFF_PASSWORD } from '../helpers/staff'
import { ADMIN_PASSWORD, startTempHost } from '../helpers/temp-host'

let host: Host & { cleanup(): Promise<void> }
let clock: ManualClock

beforeEach(async () => {
  clock = new ManualClock(new Date('2026-11-25T02:00:00Z'))
  host = await startTempHost({ clock })
})
afterEach(() => host.cleanup())

const auditActions = () => host.database.sqlite.prepare('SELECT action FROM audit_log ORDER BY id').pluck().all() as string[]

describe('sign-in', () => {
  it('gives a session on the right password and BAD_CREDENTIALS otherwise, both audited', async () => {
    const c = host.client()
    const bad = await c.try('auth.login', { username: 'admin', password: 'wrong-one' })
    expect(bad).toMatchObject({ ok: false, error: { code: 'BAD_CREDENTIALS', field: 'password' } })
    const unknown = await c.try('auth.login', { username: 'nobody', password: 'wrong-one' })
    expect(unknown).toMatchObject({ ok: false, error: { code: 'BAD_CREDENTIALS' } })
    const ok = await c.call('auth.login', { username: 'ADMIN', password: ADMIN_PASSWORD })
    expect(ok.staff).toMatchObject({ username: 'admin', role: 'admin' })
    expect((await c.call('auth.whoami', {})).id).toBe(ok.staff.id)
    expect(auditActions()).toEqual(['staff.firstAdmin', 'auth.login:BAD_CREDENTIALS', 'auth.login:BAD_CREDENTIALS', 'auth.login'])
    const detail = host.database.sqlite.prepare(`SELECT detail FROM audit_log WHERE action LIKE 'auth.login:%'`).pluck().get() as string
    expect(detail).not.toContain('wrong-one')
  })

  it('locks an account for a minute after five failures, even with the right password', async () => {
    const c = host.client()
    for (let i = 0; i < 5; i++) await c.try('auth.login', { username: 'admin', password: `nope-${i}` })
    const locked = await c.try('auth.login', { username: 'admin', password: ADMIN_PASSWORD })
    expect(locked).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED' } })
    clock.advance(61_000)
    expect((await c.try('auth.login', { username: 'admin', password: ADMIN_PASSWORD })).ok).toBe(true)
  })

  it('locks an address that guesses across many accounts, at its higher ceiling', async () => {
    const c = host.client()
    for (let i = 0; i < ADDRESS_POLICY.maxFailures; i++) await c.try('auth.login', { username: `guess${i}`, password: 'nope-nope' })
    const r = await c.try('auth.login', { username: 'admin', password: ADMIN_PASSWORD })
    expect(r).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED' } })
  })

  it('ends sessions on expiry and on sign-out', async () => {
    const c = await adminClient(host)
    const token = c.token
    clock.advance(12 * 3600_000 + 1)
    expect(await c.try('system.ping', {})).toMatchObject({ ok: false, error: { code: 'SESSION_EXPIRED' } })
    const d = await adminClient(host)
    const kept = d.token
    await d.call('auth.logout', {})
    d.token = kept
    expect(await d.try('system.ping', {})).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } })
    expect(token).not.toBe(kept)
  })

  it('deactivation ends the staff member’s sessions at once and blocks sign-in', async () => {
    const admin = await adminClient(host)
    const { client: agent, staff } = await staffClient(host, admin, 'agent', 'xiaoli')
    const ended: string[] = []
    agent.on('session.ended', (p) => ended.push(p.reason))
    expect((await agent.try('system.ping', {})).ok).toBe(true)
    await admin.call('staff.deactivate', { id: staff.id, reason: '离职' })
    expect(await agent.try('system.ping', {})).toMatchObject({ ok: false, error: { code: 'ACCOUNT_DISABLED' } })
    expect(ended).toEqual(['deactivated'])
    const again = await host.client().try('auth.login', { username: 'xiaoli', password: STAFF_PASSWORD })
    expect(again).toMatchObject({ ok: false, error: { code: 'ACCOUNT_DISABLED' } })
    await admin.call('staff.reactivate', { id: staff.id })
    // reactivation does not bring the old session back
    expect(await agent.try('system.ping', {})).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } })
  })

  it('changing your password ends your other sessions but keeps this one', async () => {
    const a = await adminClient(host)
    const b = await adminClient(host)
    const wrong = await a.try('auth.changePassword', { oldPassword: 'not-it', newPassword: 'a-new-password' })
    expect(wrong).toMatchObject({ ok: false, error: { code: 'BAD_CREDENTIALS', field: 'oldPassword' } })
    await a.call('auth.changePassword', { oldPassword: ADMIN_PASSWORD, newPassword: 'a-new-password' })
    expect((await a.try('system.ping', {})).ok).toBe(true)
    expect(await b.try('system.ping', {})).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } })
    const c = host.client()
    expect((await c.try('auth.login', { username: 'admin', password: 'a-new-password' })).ok).toBe(true)
  })

  it('stores session tokens only as hashes', async () => {
    const c = await adminClient(host)
    const stored = host.database.sqlite.prepare('SELECT token_hash FROM sessions').pluck().all() as string[]
    expect(stored).toHaveLength(1)
    expect(stored[0]).not.toBe(c.token)
    expect(stored[0]).toMatch(/^[0-9a-f]{64}$/)
  })
})
