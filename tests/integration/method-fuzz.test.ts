import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Host } from '../../electron/host/host'
import { hashToken, newToken } from '../../electron/host/domains/auth/sessions.repository'
import { contract, METHOD_NAMES, type MethodName } from '@shared/contract'
import type { ApiClient } from '@shared/contract/client'
import { mayCall } from '@shared/domain/permissions'
import { ROLES, type Role } from '@shared/domain/roles'
import { adminClient, staffClient } from '../helpers/staff'
import { startTempHost } from '../helpers/temp-host'
import { InputFuzzer, inputJsonSchema, seededRandom } from '../helpers/input-fuzz'
import { unitSheetBase64, type UnitSheetRow } from '../helpers/unit-sheet'

// Random and malformed payloads at every method, as every role, through the real dispatcher on a
// real encrypted database holding a little of everything. Bounded in count and in time; the seed
// is printed so a failure replays.
const SEED = Number(process.env.KEYUAN_FUZZ_SEED) || Date.now() % 1_000_000
const CALLS_PER_METHOD = Number(process.env.KEYUAN_FUZZ_CALLS) || 40
const TIME_BUDGET_MS = 60_000

let host: Host & { cleanup(): Promise<void> }
const callers = new Map<Role, { staffId: number; token: string }>()
// what the host logged about internal errors: the cause behind an INTERNAL answer
const hostLog: string[] = []

async function unitSheet(): Promise<string> {
  const rows: UnitSheetRow[] = []
  for (let floor = 1; floor <= 4; floor++) {
    for (const n of ['01', '02']) rows.push({ building: '1号楼', floor, number: `${floor}${n}`, layout: '3室2厅', area: 98.5, orientation: '南北', listPrice: 5_000_000 + floor * 100_000 })
  }
  return unitSheetBase64(rows)
}

/** The input as the failure message shows it (a very deep one does not print). */
function printable(v: unknown): string {
  try {
    return JSON.stringify(v).slice(0, 300)
  } catch {
    return '<nested too deep to print>'
  }
}

/** A fresh session for a caller, written straight into the database: the fuzz may end or demote any session. */
function renew(role: Role): string {
  const c = callers.get(role)!
  const db = host.database.sqlite
  const now = host.clock.now()
  db.prepare(`UPDATE staff SET active = 1, left_at = NULL, role = ? WHERE id = ?`).run(role, c.staffId)
  c.token = newToken()
  db.prepare(`INSERT INTO sessions (token_hash, staff_id, created_at, expires_at, last_seen_at, address, revoked_at) VALUES (?, ?, ?, ?, ?, NULL, NULL)`).run(
    hashToken(c.token),
    c.staffId,
    now.toISOString(),
    new Date(now.getTime() + 3600_000).toISOString(),
    now.toISOString(),
  )
  return c.token
}

beforeAll(async () => {
  host = await startTempHost({ log: (msg, err) => hostLog.push(`${msg}: ${err instanceof Error ? (err.stack ?? err.message).split('\n').slice(0, 4).join(' | ') : String(err)}`) })
  const admin = await adminClient(host)
  const byRole = new Map<Role, ApiClient>([['admin', admin]])
  for (const role of ROLES) if (role !== 'admin') byRole.set(role, (await staffClient(host, admin, role)).client)
  const manager = byRole.get('manager')!
  const agent = byRole.get('agent')!
  const projectId = (await manager.call('projects.create', { name: '滨江壹号', district: '浦东' })).id
  await manager.call('units.import', { projectId, fileBase64: await unitSheet() })
  for (let i = 0; i < 6; i++) {
    await (i % 2 ? agent : manager).call('clients.create', { kind: 'person', name: `客户${i}`, phones: [{ number: `1381111000${i}` }], sourceChannel: 'walk_in' })
  }
  for (const [role, c] of byRole) {
    const me = await c.call('auth.whoami', {})
    callers.set(role, { staffId: me.id, token: c.token! })
  }
})
afterAll(() => host.cleanup())

describe('fuzz: random and malformed payloads at every method', () => {
  it(
    'answers every call with a typed result: no INTERNAL, no throw, and the host still serves',
    async () => {
      console.log(`method fuzz seed ${SEED} (replay with KEYUAN_FUZZ_SEED=${SEED})`)
      const fuzz = new InputFuzzer(seededRandom(SEED))
      const outcomes = new Map<string, number>()
      const internal: string[] = []
      const started = Date.now()
      let calls = 0
      for (const method of METHOD_NAMES) {
        const schema = inputJsonSchema(contract[method].input)
        const allowed = ROLES.filter((r) => mayCall(r, method))
        for (let i = 0; i < CALLS_PER_METHOD && Date.now() - started < TIME_BUDGET_MS; i++) {
          // mostly a role that may call it (to reach the handler), sometimes any role
          const role = allowed.length && i % 5 !== 4 ? allowed[i % allowed.length]! : ROLES[i % ROLES.length]!
          const input = fuzz.input(schema)
          const r = await host.dispatcher.dispatch(method, input, { token: callers.get(role)!.token, address: 'fuzz' })
          calls++
          const key = r.ok ? 'ok' : r.error.code
          outcomes.set(key, (outcomes.get(key) ?? 0) + 1)
          if (!r.ok && r.error.code === 'INTERNAL') internal.push(`${role} ${method} ${printable(input)}`)
          if (!r.ok && ['UNAUTHENTICATED', 'ACCOUNT_DISABLED', 'SESSION_EXPIRED'].includes(r.error.code)) renew(role)
          else if (method.startsWith('staff.') || method.startsWith('auth.')) renew(role)
        }
      }
      const table = [...outcomes.entries()].sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k}: ${n}`)
      console.log(`method fuzz: ${calls} fuzzed payloads sent in ${Date.now() - started} ms, crashes (INTERNAL answers): ${internal.length}; ${table.join(', ')}`)
      const causes = [...new Set(hostLog.map((l) => l.slice(0, 400)))]
      expect(internal, [...internal.slice(0, 10), ...causes.filter((l) => l.startsWith('internal')).slice(0, 10)].join('\n')).toEqual([])
      // nothing else went wrong quietly either: e.g. a denied call whose audit row could not be written
      expect(causes.slice(0, 10)).toEqual([])
      // the host still answers, and its audit chain still holds
      const admin = host.client()
      admin.token = renew('admin')
      expect((await admin.call('auth.whoami', {})).role).toBe('admin')
      expect(await admin.call('audit.verify', {})).toMatchObject({ ok: true })
    },
    TIME_BUDGET_MS * 2,
  )

  it('every method refuses unparseable shapes with VALIDATION, never INTERNAL', async () => {
    const shapes: unknown[] = [null, 42, 'x', [], [1, 2], true]
    for (const method of METHOD_NAMES) {
      const role = ROLES.find((r) => mayCall(r, method))!
      for (const input of shapes) {
        const r = await host.dispatcher.dispatch(method as MethodName, input, { token: callers.get(role)!.token, address: 'fuzz' })
        if (method === 'auth.logout' && r.ok) renew(role)
        if (r.ok) continue
        expect(r.error.code, `${method} ${JSON.stringify(input)}`).not.toBe('INTERNAL')
      }
    }
  })
})
