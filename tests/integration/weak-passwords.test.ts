import { spawn } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startHost } from '../../electron/host/host'
import { FirstAdminPasswordError } from '../../electron/host/domains/staff/first-admin'
import type { ApiClient } from '@shared/contract/client'
import { adminClient, staffClient, STAFF_PASSWORD } from '../helpers/staff'
import { ADMIN_PASSWORD, startTempHost, tempDir } from '../helpers/temp-host'
import { stopWithTest } from '../helpers/host-process'

let host: Awaited<ReturnType<typeof startTempHost>>
let admin: ApiClient
beforeAll(async () => {
  host = await startTempHost()
  admin = await adminClient(host)
})
afterAll(() => host.cleanup())

const staffCount = () => host.database.sqlite.prepare('SELECT count(*) FROM staff').pluck().get() as number

/** One weak password per rule, for an account `zhangwei` / 张伟. */
const WEAK: Array<[string, string]> = [
  ['short1x', 'too_small'],
  ['iloveyou2026', 'password_common'],
  ['ZhangWei2026', 'password_personal'],
  ['iewgnahz', 'password_personal'],
  ['zhangwei88', 'password_personal'],
  ['aaaaaaaaaa', 'password_repeated'],
  ['1qaz2wsx3edc', 'password_keyboard'],
]

describe('weak passwords are refused with a reason naming the field', () => {
  it('staff.create: each rule, and nothing is written', async () => {
    const before = staffCount()
    for (const [password, reason] of WEAK) {
      const r = await admin.try('staff.create', { username: 'zhangwei', name: '张伟', role: 'agent', password })
      expect(r, password).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'password', reason } })
    }
    expect(staffCount()).toBe(before)
    expect((await admin.try('staff.create', { username: 'zhangwei', name: '张伟', role: 'agent', password: 'long-enough' })).ok).toBe(true)
  })

  it('staff.resetPassword: the rule reads the target’s own account name, name and its pinyin', async () => {
    const { staff } = await staffClient(host, admin, 'agent', 'xiaoli')
    await admin.call('staff.update', { id: staff.id, version: staff.version, name: '李晓' })
    for (const [password, reason] of [...WEAK.filter(([, r]) => r !== 'password_personal'), ['xiaoli2026', 'password_personal'], ['lixiao!!88', 'password_personal']]) {
      const r = await admin.try('staff.resetPassword', { id: staff.id, newPassword: password! })
      expect(r, password).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'newPassword', reason } })
    }
    // the old password still works
    expect((await host.client().try('auth.login', { username: 'xiaoli', password: STAFF_PASSWORD })).ok).toBe(true)
    expect((await admin.try('staff.resetPassword', { id: staff.id, newPassword: 'another-pass-1' })).ok).toBe(true)
  })

  it('auth.changePassword: the rule reads the signed-in person; a weak one leaves the password as it was', async () => {
    const me = await adminClient(host)
    for (const [password, reason] of [['Admin@2026', 'password_personal'], ['nimdanimda', 'password_personal'], ['Password1!', 'password_common'], ['asdfghjkl;', 'password_keyboard'], ['12121212', 'password_repeated']]) {
      const r = await me.try('auth.changePassword', { oldPassword: ADMIN_PASSWORD, newPassword: password! })
      expect(r, password).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'newPassword', reason } })
    }
    expect((await host.client().try('auth.login', { username: 'admin', password: ADMIN_PASSWORD })).ok).toBe(true)
  })
})

describe('the first admin’s KEYUAN_ADMIN_PASSWORD', () => {
  it('a weak one stops the start with a clear error and creates nobody; a good one starts', async () => {
    const dataDir = tempDir()
    try {
      const start = (password: string) =>
        startHost({ dataDir, noServer: true, env: { KEYUAN_ADMIN_PASSWORD: password }, schedulerIntervalMs: 0 })
      for (const [password, reason] of [['admin2026', 'password_personal'], ['password1', 'password_common'], ['short', 'too_small']]) {
        const err = await start(password!).then(
          () => null,
          (e: unknown) => e,
        )
        expect(err, password).toBeInstanceOf(FirstAdminPasswordError)
        expect(err).toMatchObject({ reason, message: expect.stringContaining('KEYUAN_ADMIN_PASSWORD is too weak') })
      }
      const ok = await start(ADMIN_PASSWORD)
      expect(ok.firstAdmin).toEqual({ username: 'admin', password: ADMIN_PASSWORD })
      await ok.close()
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true })
    }
  })

  it('the host process says why in one line and exits 1, without a stack trace', async () => {
    const dataDir = tempDir()
    try {
      const child = spawn(process.execPath, ['--import', 'tsx', path.resolve('electron/host/index.ts'), '--data', dataDir, '--port', '0'], {
        env: { ...process.env, KEYUAN_ADMIN_PASSWORD: 'sunshine1', KEYUAN_SCRYPT_COST: '1024', ...stopWithTest() },
        stdio: ['ignore', 'pipe', 'pipe'],
      })
      let stderr = ''
      child.stderr.on('data', (b: Buffer) => (stderr += b.toString()))
      const code = await new Promise<number | null>((resolve) => child.on('exit', resolve))
      expect(code).toBe(1)
      expect(stderr).toContain('keyuan host: KEYUAN_ADMIN_PASSWORD is too weak: on the list of commonly used passwords')
      expect(stderr).not.toMatch(/\n\s+at /)
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true })
    }
  })
})
