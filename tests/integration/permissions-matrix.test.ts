import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Host } from '../../electron/host/host'
import { METHOD_NAMES, type MethodName } from '@shared/contract'
import { ApiClient } from '@shared/contract/client'
import { mayCall, PERMISSIONS } from '@shared/domain/permissions'
import { ROLES, type Role } from '@shared/domain/roles'
import { adminClient, staffClient } from '../helpers/staff'
import { startTempHost } from '../helpers/temp-host'

let host: Host & { cleanup(): Promise<void> }
const clients = new Map<Role, ApiClient>()

beforeAll(async () => {
  host = await startTempHost()
  const admin = await adminClient(host)
  clients.set('admin', admin)
  for (const role of ROLES.filter((r) => r !== 'admin')) clients.set(role, (await staffClient(host, admin, role)).client)
})
afterAll(() => host.cleanup())

// Called with an empty object: the permission check comes before input parsing, so an allowed
// call fails (if at all) with VALIDATION and writes nothing, and a denied one says FORBIDDEN.
// auth.logout would end the session in the middle of the walk, so it goes last.
const ORDERED: MethodName[] = [...METHOD_NAMES.filter((m) => m !== 'auth.logout'), 'auth.logout']

describe('permission matrix: every method x role', () => {
  for (const role of ROLES) {
    it(`${role}`, async () => {
      const c = clients.get(role)!
      const seen: Record<string, 'allowed' | 'denied'> = {}
      for (const method of ORDERED) {
        const r = await c.try(method, {} as never)
        seen[method] = !r.ok && r.error.code === 'FORBIDDEN' ? 'denied' : 'allowed'
      }
      const expected = Object.fromEntries(ORDERED.map((m) => [m, mayCall(role, m) ? 'allowed' : 'denied']))
      expect(seen).toEqual(expected)
    })
  }

  it('every non-public method refuses a caller without a session', async () => {
    const anon = host.client()
    for (const method of METHOD_NAMES) {
      const r = await anon.try(method, {} as never)
      if (PERMISSIONS[method] === 'public') expect(r.ok || r.error.code !== 'UNAUTHENTICATED').toBe(true)
      else expect(r).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } })
    }
  })

  it('denied calls are audited', async () => {
    const n = host.database.sqlite
      .prepare(`SELECT count(*) FROM audit_log WHERE action = 'staff.create:FORBIDDEN'`)
      .pluck()
      .get() as number
    expect(n).toBe(ROLES.filter((r) => !mayCall(r, 'staff.create')).length)
  })
})
