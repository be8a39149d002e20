import fs from 'node:fs'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ManualClock } from '../../electron/host/clock'
import { startHost, type Host } from '../../electron/host/host'
import { SignInAudit } from '../../electron/host/domains/auth/sign-in-audit'
import { adminClient } from '../helpers/staff'
import { ADMIN_PASSWORD, tempDir } from '../helpers/temp-host'

let dataDir: string
let clock: ManualClock
let host: Host

function start(): Promise<Host> {
  return startHost({ dataDir, clock, noServer: true, env: { KEYUAN_ADMIN_PASSWORD: ADMIN_PASSWORD }, schedulerIntervalMs: 0 })
}

beforeEach(async () => {
  dataDir = tempDir()
  clock = new ManualClock(new Date('2026-11-25T02:00:00Z'))
  host = await start()
})
afterEach(async () => {
  await host.close()
  fs.rmSync(dataDir, { recursive: true, force: true })
})

const A = '192.168.1.66'
const B = '192.168.1.20'

function login(username: string, password: string, address: string) {
  return host.dispatcher.dispatch('auth.login', { username, password }, { address })
}

function signInRows() {
  const rows = host.database.sqlite
    .prepare(`SELECT action, address, detail FROM audit_log WHERE action LIKE 'auth.login:%' ORDER BY id`)
    .all() as Array<{ action: string; address: string; detail: string }>
  return rows.map((r) => ({ ...r, detail: JSON.parse(r.detail) as Record<string, unknown> }))
}

describe('failed sign-ins in the audit log', () => {
  it('a burst from one address is one row for the first failure and one counted row when a sign-in from it locks', async () => {
    for (const u of ['admin', 'boss', 'admin', 'boss', 'admin', 'admin']) await login(u, 'wrong-guess', A)
    // no lock yet (admin has failed four times there): the burst is still open
    expect(signInRows()).toHaveLength(1)
    await login('admin', 'wrong-guess', A)
    const at = clock.now().toISOString()
    expect(signInRows()).toEqual([
      { action: 'auth.login:BAD_CREDENTIALS', address: A, detail: { username: 'admin', password: '***' } },
      { action: 'auth.login:BAD_CREDENTIALS', address: A, detail: { count: 6, usernames: ['boss', 'admin'], first: at, last: at } },
    ])
  })

  it('refusals while locked are counted too, and the count reaches the disk when the host stops', async () => {
    for (let i = 0; i < 5; i++) await login('admin', 'wrong-guess', A)
    for (let i = 0; i < 30; i++) await login('admin', ADMIN_PASSWORD, A)
    await login('admin', 'wrong-guess', B)
    expect(signInRows().map((r) => [r.action, r.address])).toEqual([
      ['auth.login:BAD_CREDENTIALS', A],
      ['auth.login:BAD_CREDENTIALS', A],
      ['auth.login:RATE_LIMITED', A],
      ['auth.login:BAD_CREDENTIALS', B],
    ])
    await host.close()
    host = await start()
    const rows = signInRows()
    expect(rows).toHaveLength(5)
    expect(rows[4]).toMatchObject({ action: 'auth.login:RATE_LIMITED', address: A, detail: { count: 29, usernames: ['admin'] } })
    const admin = await adminClient(host)
    expect(await admin.call('audit.verify', {})).toMatchObject({ ok: true, firstBrokenId: null })
  })

  it('a burst is written when its window closes, and the next failure opens a new one', async () => {
    const audit = new SignInAudit({ db: host.database.db, auditLog: host.auditLog, clock, signInLocked: () => false, windowMs: 600_000 })
    for (let i = 0; i < 3; i++) await audit.failed('BAD_CREDENTIALS', A, `user${i}`, { username: `user${i}` })
    clock.advance(599_000)
    await audit.closeExpired()
    expect(signInRows()).toHaveLength(1)
    clock.advance(1_000)
    await audit.closeExpired()
    expect(signInRows().map((r) => r.detail)).toEqual([
      { username: 'user0' },
      { count: 2, usernames: ['user1', 'user2'], first: '2026-11-25T02:00:00.000Z', last: '2026-11-25T02:00:00.000Z' },
    ])
    await audit.failed('BAD_CREDENTIALS', A, 'user3', { username: 'user3' })
    await audit.close()
    expect(signInRows().map((r) => r.detail)).toHaveLength(3)
  })

  it('a success from the address writes its burst before the sign-in row', async () => {
    await login('admin', 'wrong-guess', B)
    await login('nobody', 'wrong-guess', B)
    await login('admin', 'wrong-again', B)
    expect((await login('admin', ADMIN_PASSWORD, B)).ok).toBe(true)
    const actions = host.database.sqlite.prepare(`SELECT action FROM audit_log WHERE id > 1 ORDER BY id`).pluck().all()
    expect(actions).toEqual(['auth.login:BAD_CREDENTIALS', 'auth.login:BAD_CREDENTIALS', 'auth.login'])
    expect(signInRows()[1]!.detail).toMatchObject({ count: 2, usernames: ['nobody', 'admin'] })
  })
})
