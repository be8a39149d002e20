import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Host } from '../../electron/host/host'
import type { ApiClient } from '@shared/contract/client'
import { adminClient } from '../helpers/staff'
import { startTempHost } from '../helpers/temp-host'

let host: Host & { cleanup(): Promise<void> }
let admin: ApiClient
beforeAll(async () => {
  host = await startTempHost()
  admin = await adminClient(host)
})
afterAll(() => host.cleanup())

describe('staff accounts', () => {
  it('creates, lists with paging, sorting and filters', async () => {
    const names = ['陈一', '林二', '黄三', '周四', '吴五']
    for (const [i, name] of names.entries()) {
      await admin.call('staff.create', {
        username: `agent${i}`,
        name,
        role: i % 2 ? 'agent' : 'senior_agent',
        team: i < 3 ? '一组' : '二组',
        password: 'branch-pass-2026',
      })
    }
    const page = await admin.call('staff.list', { offset: 1, limit: 2, sort: { field: 'username', dir: 'desc' } })
    expect(page.total).toBe(6)
    expect(page.rows.map((r) => r.username)).toEqual(['agent3', 'agent2'])
    const agents = await admin.call('staff.list', { role: 'agent' })
    expect(agents.rows.map((r) => r.username)).toEqual(['agent1', 'agent3'])
    expect((await admin.call('staff.list', { q: '黄' })).rows.map((r) => r.name)).toEqual(['黄三'])
    expect((await admin.call('staff.list', { q: '%' })).total).toBe(0)
    // no password hash ever leaves the host
    expect(JSON.stringify(page)).not.toContain('scrypt')
  })

  it('refuses a duplicate username (any case) with CONFLICT on the field', async () => {
    const r = await admin.try('staff.create', { username: 'AGENT1', name: '重复', role: 'agent', password: 'branch-pass-2026' })
    expect(r).toMatchObject({ ok: false, error: { code: 'CONFLICT', field: 'username' } })
  })

  it('refuses a stale edit and keeps the newer one', async () => {
    const s = (await admin.call('staff.list', { q: 'agent2' })).rows[0]!
    const first = await admin.call('staff.update', { id: s.id, version: s.version, team: '三组' })
    expect(first.version).toBe(s.version + 1)
    const stale = await admin.try('staff.update', { id: s.id, version: s.version, team: '四组' })
    expect(stale).toMatchObject({ ok: false, error: { code: 'STALE_WRITE', field: 'version' } })
    expect((await admin.call('staff.get', { id: s.id })).team).toBe('三组')
  })

  it('will not let the admin lock themselves out', async () => {
    const me = await admin.call('auth.whoami', {})
    const row = await admin.call('staff.get', { id: me.id })
    expect(await admin.try('staff.deactivate', { id: me.id })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
    expect(await admin.try('staff.update', { id: me.id, version: row.version, role: 'agent' })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN', field: 'role' },
    })
  })

  it('answers NOT_FOUND for a missing id', async () => {
    expect(await admin.try('staff.get', { id: 9999 })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND', field: 'id' } })
  })

  it('audits every write with who, what and target, secrets redacted, and the chain verifies', async () => {
    const s = (await admin.call('staff.list', { q: 'agent4' })).rows[0]!
    await admin.call('staff.resetPassword', { id: s.id, newPassword: 'another-pass-1' })
    const row = host.database.sqlite
      .prepare(`SELECT actor_name, target, detail FROM audit_log WHERE action = 'staff.resetPassword'`)
      .get() as { actor_name: string; target: string; detail: string }
    expect(row).toEqual({ actor_name: '系统管理员', target: `staff:${s.id}`, detail: JSON.stringify({ id: s.id, newPassword: '***' }) })
    expect(await admin.call('audit.verify', {})).toMatchObject({ ok: true, firstBrokenId: null })
    const log = await admin.call('audit.list', { action: 'staff.create', limit: 2 })
    expect(log.total).toBe(5)
    expect(log.rows).toHaveLength(2)
  })
})
