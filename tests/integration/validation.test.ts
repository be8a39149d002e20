import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Host } from '../../electron/host/host'
import { METHOD_NAMES } from '@shared/contract'
import type { ApiClient } from '@shared/contract/client'
import { adminClient, staffClient } from '../helpers/staff'
import { mayCall } from '@shared/domain/permissions'
import { ROLES, type Role } from '@shared/domain/roles'
import { startTempHost } from '../helpers/temp-host'

let host: Host & { cleanup(): Promise<void> }
let admin: ApiClient
beforeAll(async () => {
  host = await startTempHost()
  admin = await adminClient(host)
})
afterAll(() => host.cleanup())

describe('bad input', () => {
  it('every method rejects a non-object input with VALIDATION', async () => {
    const byRole = new Map<Role, ApiClient>([['admin', admin]])
    for (const role of ROLES) if (role !== 'admin') byRole.set(role, (await staffClient(host, admin, role)).client)
    for (const method of METHOD_NAMES) {
      const role = ROLES.find((r) => mayCall(r, method))!
      const r = await byRole.get(role)!.try(method, 42 as never)
      expect(r, method).toMatchObject({ ok: false, error: { code: 'VALIDATION' } })
    }
  })

  it('names the field at fault, with a reason the UI can translate', async () => {
    const cases: Array<[unknown, string, string]> = [
      [{ username: 'ab', name: '张三', role: 'agent', password: 'long-enough' }, 'username', 'too_small'],
      [{ username: 'zhang san', name: '张三', role: 'agent', password: 'long-enough' }, 'username', 'invalid_format'],
      [{ username: 'zhangsan', name: '', role: 'agent', password: 'long-enough' }, 'name', 'too_small'],
      [{ username: 'zhangsan', name: '张三', role: 'boss', password: 'long-enough' }, 'role', 'invalid_value'],
      [{ username: 'zhangsan', name: '张三', role: 'agent', password: 'short' }, 'password', 'too_small'],
      [{ username: 'zhangsan', name: '张三', role: 'agent', password: 'long-enough', phone: '138abc' }, 'phone', 'invalid_format'],
    ]
    for (const [input, field, reason] of cases) {
      const r = await admin.try('staff.create', input as never)
      expect(r, field).toMatchObject({ ok: false, error: { code: 'VALIDATION', field, reason } })
    }
    const paged = await admin.try('staff.list', { offset: -1 })
    expect(paged).toMatchObject({ ok: false, error: { field: 'offset', params: { minimum: 0 } } })
    expect(await admin.try('staff.list', { limit: 100000 })).toMatchObject({ ok: false, error: { field: 'limit' } })
    expect(await admin.try('staff.list', { sort: { field: 'password_hash', dir: 'asc' } } as never)).toMatchObject({
      ok: false,
      error: { field: 'sort.field' },
    })
  })

  it('an unknown method is UNKNOWN_METHOD', async () => {
    expect(await admin.try('staff.drop' as never, {} as never)).toMatchObject({ ok: false, error: { code: 'UNKNOWN_METHOD' } })
  })

  it('a rejected write leaves nothing behind, not even an audit row', async () => {
    const count = () => host.database.sqlite.prepare(`SELECT (SELECT count(*) FROM staff) || '/' || (SELECT count(*) FROM audit_log)`).pluck().get()
    const before = count()
    await admin.try('staff.create', { username: 'x', name: '', role: 'agent', password: 'p' } as never)
    expect(count()).toBe(before)
  })
})
