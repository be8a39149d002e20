import { ApiClient } from '@shared/contract/client'
import type { Role } from '@shared/domain/roles'
import type { Host } from '../../electron/host/host'
import { ADMIN_PASSWORD } from './temp-host'

export const STAFF_PASSWORD = 'staff-pass-123'

/** A signed-in client for the first admin. */
export async function adminClient(host: Host): Promise<ApiClient> {
  const c = host.client()
  await c.call('auth.login', { username: 'admin', password: ADMIN_PASSWORD })
  return c
}

/** Creates a staff member with the given role (in `team`, named `name` when given) and returns a client signed in as them. */
export async function staffClient(
  host: Host,
  admin: ApiClient,
  role: Role,
  username = `${role}-${Math.random().toString(36).slice(2, 8)}`,
  more: { team?: string | null; name?: string } = {},
) {
  const row = await admin.call('staff.create', { username, name: more.name ?? `测试${role}`, role, team: more.team ?? null, password: STAFF_PASSWORD })
  const c = host.client()
  await c.call('auth.login', { username, password: STAFF_PASSWORD })
  return { client: c, staff: row }
}
