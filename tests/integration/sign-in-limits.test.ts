import fs from 'node:fs'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { ManualClock } from '../../electron/host/clock'
import { startHost, type Host } from '../../electron/host/host'
import { ADDRESS_DAY_POLICY, ADDRESS_POLICY, SIGN_IN_POLICY } from '../../electron/host/domains/auth/backoff'
import { CLEAN_GAP_MS } from '../../electron/host/domains/auth/sign-in-guard'
import type { Result } from '@shared/contract/common'
import { adminClient, staffClient, STAFF_PASSWORD } from '../helpers/staff'
import { ADMIN_PASSWORD, tempDir } from '../helpers/temp-host'

// Counts the scrypt checks that really run: the real verifyPassword, wrapped.
const checks = vi.hoisted(() => ({ n: 0 }))
vi.mock('../../electron/host/domains/auth/password', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../electron/host/domains/auth/password')>()
  return {
    ...real,
    verifyPassword: (password: string, stored: string) => {
      checks.n++
      return real.verifyPassword(password, stored)
    },
  }
})

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
  checks.n = 0
})
afterEach(async () => {
  await host.close()
  fs.rmSync(dataDir, { recursive: true, force: true })
})

/** A sign-in from a given network address, as the LAN server would pass it. */
function login(username: string, password: string, address: string): Promise<Result<unknown>> {
  return host.dispatcher.dispatch('auth.login', { username, password }, { address })
}

const A = '192.168.1.66'
const B = '192.168.1.20'
const C = '192.168.1.77'

async function failFive(username: string, address: string) {
  for (let i = 0; i < 5; i++) expect(await login(username, `wrong-guess-${i}`, address)).toMatchObject({ ok: false, error: { code: 'BAD_CREDENTIALS' } })
}

function waitOf(r: Result<unknown>): number {
  if (r.ok || r.error.code !== 'RATE_LIMITED') throw new Error(`expected RATE_LIMITED, got ${JSON.stringify(r)}`)
  return Number(r.error.params?.seconds)
}

describe('parallel sign-ins', () => {
  it('40 parallel wrong guesses get at most five password checks, and the right password among them is refused', async () => {
    const guesses = Array.from({ length: 40 }, (_, i) => login('admin', i === 39 ? ADMIN_PASSWORD : `guess-${i}-x`, A))
    const results = await Promise.all(guesses)
    expect(checks.n).toBe(5)
    expect(results[39]).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED' } })
    expect(results.filter((r) => !r.ok && r.error.code === 'BAD_CREDENTIALS')).toHaveLength(checks.n)
    // the guesses are over: the right password is still refused while the lock lasts, without a check
    const before = checks.n
    expect(waitOf(await login('admin', ADMIN_PASSWORD, A))).toBe(60)
    expect(checks.n).toBe(before)
    clock.advance(60_000)
    expect((await login('admin', ADMIN_PASSWORD, A)).ok).toBe(true)
  })

  it('parallel guesses spread over many addresses still get at most five checks of one account before it locks', async () => {
    const results = await Promise.all(Array.from({ length: 30 }, (_, i) => login('admin', `guess-${i}-x`, `10.0.0.${i + 1}`)))
    expect(checks.n).toBeLessThanOrEqual(5)
    expect(results.filter((r) => !r.ok && r.error.code === 'RATE_LIMITED').length).toBeGreaterThanOrEqual(25)
  })
})

describe('the lock-out attack', () => {
  it('a stranger failing as admin from one address does not keep the admin out at their own PC', async () => {
    await failFive('admin', A)
    // the stranger's address is locked, even with the right password
    expect(waitOf(await login('admin', ADMIN_PASSWORD, A))).toBe(60)
    // the owner at another PC signs in at once
    expect((await login('admin', ADMIN_PASSWORD, B)).ok).toBe(true)
    // and the stranger keeps getting longer locks: 1 min, then 5, then 15
    clock.advance(60_000)
    await failFive('admin', A)
    expect(waitOf(await login('admin', 'another-guess', A))).toBe(300)
    clock.advance(300_000)
    await failFive('admin', A)
    expect(waitOf(await login('admin', 'another-guess', A))).toBe(900)
    expect((await login('admin', ADMIN_PASSWORD, B)).ok).toBe(true)
  })

  it('while an account is locked, an address that failed on it twice is held, and clean addresses take turns', async () => {
    await failFive('admin', A)
    // C is clean: one check now, the next check of admin from a clean address waits for the gap
    expect(await login('admin', 'c-guess-1x', C)).toMatchObject({ ok: false, error: { code: 'BAD_CREDENTIALS' } })
    expect(waitOf(await login('admin', ADMIN_PASSWORD, B))).toBe(CLEAN_GAP_MS / 1000)
    clock.advance(CLEAN_GAP_MS)
    expect(await login('admin', 'c-guess-2x', C)).toMatchObject({ ok: false, error: { code: 'BAD_CREDENTIALS' } })
    clock.advance(CLEAN_GAP_MS)
    // C has failed twice on admin: held for the rest of the account's lock, even with the right password
    expect(waitOf(await login('admin', ADMIN_PASSWORD, C))).toBe(40)
    // other accounts from C are not held
    expect(await login('nobody', 'c-guess-3x', C)).toMatchObject({ ok: false, error: { code: 'BAD_CREDENTIALS' } })
    // the owner at B still gets in
    expect((await login('admin', ADMIN_PASSWORD, B)).ok).toBe(true)
    clock.advance(40_000)
    expect((await login('admin', ADMIN_PASSWORD, C)).ok).toBe(true)
  })

  it('one address trying many accounts (password spraying) is stopped at the address ceiling, for every account', async () => {
    for (let i = 0; i < ADDRESS_POLICY.maxFailures; i++) {
      expect(await login(`user${i}`, 'wrong-guess', A)).toMatchObject({ ok: false, error: { code: 'BAD_CREDENTIALS' } })
    }
    expect(waitOf(await login('nobody-yet', 'wrong-guess', A))).toBe(60)
    expect(waitOf(await login('admin', ADMIN_PASSWORD, A))).toBe(60)
    expect((await login('admin', ADMIN_PASSWORD, B)).ok).toBe(true)
  })

  it('parallel sprayed guesses from one address get no more checks than the address ceiling', async () => {
    const results = await Promise.all(Array.from({ length: 100 }, (_, i) => login(`spray${i}`, `guess-${i}-x`, A)))
    expect(results.filter((r) => !r.ok && r.error.code === 'BAD_CREDENTIALS')).toHaveLength(ADDRESS_POLICY.maxFailures)
    expect(checks.n).toBeLessThanOrEqual(ADDRESS_POLICY.maxFailures)
  })
})

describe('one office behind one address (NAT)', () => {
  it("a clerk's typos lock that clerk at the address, never a colleague signing in from the same address", async () => {
    const admin = await adminClient(host)
    await staffClient(host, admin, 'agent', 'clerk')
    await staffClient(host, admin, 'agent', 'colleague')
    await failFive('clerk', A)
    expect(waitOf(await login('clerk', STAFF_PASSWORD, A))).toBe(60)
    // the same account spelt otherwise is the same count
    expect(waitOf(await login(' CLERK ', STAFF_PASSWORD, A))).toBe(60)
    expect((await login('colleague', STAFF_PASSWORD, A)).ok).toBe(true)
    expect((await login('admin', ADMIN_PASSWORD, A)).ok).toBe(true)
    // a second clerk's typos on top still lock nobody else: the address is far from its ceiling
    await failFive('colleague', A)
    expect((await login('admin', ADMIN_PASSWORD, A)).ok).toBe(true)
    clock.advance(60_000)
    expect((await login('clerk', STAFF_PASSWORD, A)).ok).toBe(true)
  })

  it("typos followed by the right password do not add up towards the address's ceiling", async () => {
    const admin = await adminClient(host)
    await staffClient(host, admin, 'agent', 'clerk')
    for (let round = 0; round < 10; round++) {
      for (let i = 0; i < 4; i++) await login('clerk', `typo-${round}-${i}x`, A)
      expect((await login('clerk', STAFF_PASSWORD, A)).ok).toBe(true)
    }
    expect((await login('admin', ADMIN_PASSWORD, A)).ok).toBe(true)
  })

  it("a right password forgives that person's typos at that PC", async () => {
    for (let i = 0; i < 4; i++) await login('admin', `typo-${i}-xx`, B)
    expect((await login('admin', ADMIN_PASSWORD, B)).ok).toBe(true)
    for (let i = 0; i < 4; i++) await login('admin', `typo-${i}-yy`, B)
    expect((await login('admin', ADMIN_PASSWORD, B)).ok).toBe(true)
  })
})

describe('one address over a day', () => {
  const WINDOW = SIGN_IN_POLICY.windowMs
  const LEAK = ADDRESS_DAY_POLICY.leakMs!

  /**
   * A patient sprayer at A: 29 wrong guesses on fresh names, then a quiet window, so the address's
   * 30-failure streak never fills; until one is refused. Returns the guesses checked and the refusal.
   */
  async function sprayPaced(): Promise<{ guesses: number; refused: Result<unknown> }> {
    let guesses = 0
    for (let round = 0; round < 10; round++) {
      for (let i = 0; i < ADDRESS_POLICY.maxFailures - 1; i++) {
        const r = await login(`spray-${round}-${i}`, 'wrong-guess', A)
        if (r.ok || r.error.code !== 'BAD_CREDENTIALS') return { guesses, refused: r }
        guesses++
      }
      clock.advance(WINDOW)
    }
    throw new Error(`${guesses} paced guesses and never refused`)
  }

  it('a sprayer pacing below the address streak stops at the day ceiling, and two windows later gets one guess per leak', async () => {
    const { guesses, refused } = await sprayPaced()
    // the ceiling, and one more for each leak in the three quiet windows behind it
    expect(guesses).toBe(ADDRESS_DAY_POLICY.maxFailures + Math.floor((3 * WINDOW) / LEAK))
    expect(waitOf(refused)).toBeLessThanOrEqual(LEAK / 1000)
    // the right password from that address waits too; another address is untouched
    expect(waitOf(await login('admin', ADMIN_PASSWORD, A))).toBeGreaterThan(0)
    expect((await login('admin', ADMIN_PASSWORD, B)).ok).toBe(true)
    // two windows later: the streak has long ended, the day's memory has not; one guess per leak
    clock.advance(2 * WINDOW)
    const after: string[] = []
    for (let i = 0; i < 5; i++) {
      const r = await login(`late-${i}`, 'wrong-guess', A)
      after.push(r.ok ? 'ok' : r.error.code)
    }
    expect(after).toEqual(['BAD_CREDENTIALS', 'BAD_CREDENTIALS', 'RATE_LIMITED', 'RATE_LIMITED', 'RATE_LIMITED'])
  })

  it('the day ceiling is kept across a restart', async () => {
    await sprayPaced()
    await host.close()
    host = await start()
    expect(waitOf(await login('someone', 'wrong-guess', A))).toBeGreaterThan(0)
    expect((await login('admin', ADMIN_PASSWORD, B)).ok).toBe(true)
  })

  it("an admin's unlock takes back that person's failures from the address's day count, and no one else's", async () => {
    const admin = await adminClient(host)
    const { staff } = await staffClient(host, admin, 'agent', 'clerk')
    await sprayPaced()
    // five leaks later the clerk, typing badly at the same address, fills it again
    clock.advance(5 * LEAK)
    await failFive('clerk', A)
    expect(waitOf(await login('stranger', 'wrong-guess', A))).toBeGreaterThan(0)
    expect(await admin.call('staff.unlockSignIn', { id: staff.id })).toEqual({ wasLocked: true })
    expect((await login('clerk', STAFF_PASSWORD, A)).ok).toBe(true)
    // the room the clerk's five made, and not one guess more
    const after: string[] = []
    for (let i = 0; i < 6; i++) {
      const r = await login(`after-${i}`, 'wrong-guess', A)
      after.push(r.ok ? 'ok' : r.error.code)
    }
    expect(after).toEqual([...Array<string>(5).fill('BAD_CREDENTIALS'), 'RATE_LIMITED'])
  })

  it("a working day at one office (typos put right, a forgotten password given up on every hour) never holds the address", async () => {
    const admin = await adminClient(host)
    await staffClient(host, admin, 'agent', 'clerk')
    await staffClient(host, admin, 'agent', 'colleague')
    for (let hour = 0; hour < 10; hour++) {
      // 12 typos an hour, 120 in the day (more than the day ceiling), each put right by the password
      for (let round = 0; round < 3; round++) {
        for (let i = 0; i < 4; i++) expect(await login('clerk', `typo-${hour}-${round}-${i}x`, A)).toMatchObject({ ok: false, error: { code: 'BAD_CREDENTIALS' } })
        expect((await login('clerk', STAFF_PASSWORD, A)).ok).toBe(true)
      }
      // a colleague who cannot remember gives up after five: those stay counted
      await failFive('colleague', A)
      expect((await login('admin', ADMIN_PASSWORD, A)).ok).toBe(true)
      clock.advance(3600_000)
    }
    expect((await login('colleague', STAFF_PASSWORD, A)).ok).toBe(true)
    expect((await login('clerk', STAFF_PASSWORD, A)).ok).toBe(true)
  })
})

describe('lock state across a restart', () => {
  it('a restarted host still refuses the locked address and keeps the back-off step', async () => {
    await failFive('admin', A)
    await host.close()
    host = await start()
    expect(waitOf(await login('admin', ADMIN_PASSWORD, A))).toBe(60)
    clock.advance(60_000)
    await failFive('admin', A)
    expect(waitOf(await login('admin', ADMIN_PASSWORD, A))).toBe(300)
    expect((await login('admin', ADMIN_PASSWORD, B)).ok).toBe(true)
  })

  it('keys that time has cleared leave the table after a restart', async () => {
    await failFive('admin', A)
    const keys = () => host.database.sqlite.prepare('SELECT key FROM sign_in_limits ORDER BY key').pluck().all()
    expect(keys()).toEqual([`acct:admin`, `addr:${A}`, `addrday:${A}`, `pair:${A}|admin`])
    await host.close()
    clock.advance(25 * 3600_000)
    host = await start()
    await login('nobody', 'wrong-guess', B)
    expect(keys()).toEqual(['acct:nobody', `addr:${B}`, `addrday:${B}`, `pair:${B}|nobody`])
  })
})

describe('staff.unlockSignIn', () => {
  it('an admin lifts the account lock and the locks of the addresses that failed on it; audited', async () => {
    const admin = await adminClient(host)
    const { client: manager, staff } = await staffClient(host, admin, 'manager', 'dianzhang')
    await failFive('dianzhang', A)
    expect(waitOf(await login('dianzhang', STAFF_PASSWORD, A))).toBe(60)
    expect(await manager.try('staff.unlockSignIn', { id: staff.id })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
    expect(await admin.call('staff.unlockSignIn', { id: staff.id })).toEqual({ wasLocked: true })
    expect((await login('dianzhang', STAFF_PASSWORD, A)).ok).toBe(true)
    expect(await admin.call('staff.unlockSignIn', { id: staff.id })).toEqual({ wasLocked: false })
    expect(await admin.try('staff.unlockSignIn', { id: 9999 })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND', field: 'id' } })
    const rows = host.database.sqlite
      .prepare(`SELECT action, target FROM audit_log WHERE action LIKE 'staff.unlockSignIn%' ORDER BY id`)
      .all()
    expect(rows).toEqual([
      { action: 'staff.unlockSignIn:FORBIDDEN', target: null },
      { action: 'staff.unlockSignIn', target: `staff:${staff.id}` },
      { action: 'staff.unlockSignIn', target: `staff:${staff.id}` },
    ])
    // the guesser's address keeps its step: its next lock is longer
    await failFive('dianzhang', A)
    expect(waitOf(await login('dianzhang', STAFF_PASSWORD, A))).toBe(300)
  })

  it('the unlock survives a restart', async () => {
    const admin = await adminClient(host)
    const me = await admin.call('auth.whoami', {})
    await failFive('admin', A)
    await admin.call('staff.unlockSignIn', { id: me.id })
    await host.close()
    host = await start()
    expect((await login('admin', ADMIN_PASSWORD, A)).ok).toBe(true)
  })
})

describe('auth.changePassword attempts', () => {
  it('five wrong current passwords lock the change for that account, with back-off; sign-in is untouched', async () => {
    const me = await adminClient(host)
    const wrong = () => me.try('auth.changePassword', { oldPassword: 'not-my-password', newPassword: 'a-new-password' })
    for (let i = 0; i < 5; i++) expect(await wrong()).toMatchObject({ ok: false, error: { code: 'BAD_CREDENTIALS', field: 'oldPassword' } })
    const locked = await me.try('auth.changePassword', { oldPassword: ADMIN_PASSWORD, newPassword: 'a-new-password' })
    expect(locked).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED', field: 'oldPassword', reason: 'passwordLocked', params: { seconds: 60 } } })
    // another session of the same account is locked too: the limit is the account's
    const other = await adminClient(host)
    expect(await other.try('auth.changePassword', { oldPassword: ADMIN_PASSWORD, newPassword: 'a-new-password' })).toMatchObject({
      ok: false,
      error: { code: 'RATE_LIMITED' },
    })
    expect((await login('admin', ADMIN_PASSWORD, B)).ok).toBe(true)
    clock.advance(60_000)
    for (let i = 0; i < 5; i++) await wrong()
    expect(waitOf(await wrong())).toBe(300)
    clock.advance(300_000)
    expect((await me.try('auth.changePassword', { oldPassword: ADMIN_PASSWORD, newPassword: 'a-new-password' })).ok).toBe(true)
  })

  it('parallel wrong current passwords get at most five checks', async () => {
    const me = await adminClient(host)
    checks.n = 0
    await Promise.all(Array.from({ length: 20 }, () => me.try('auth.changePassword', { oldPassword: 'not-my-password', newPassword: 'a-new-password' })))
    expect(checks.n).toBeLessThanOrEqual(5)
  })
})
