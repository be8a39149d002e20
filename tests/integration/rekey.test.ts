import { spawn } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import type { ApiClient } from '@shared/contract/client'
import { ManualClock } from '../../electron/host/clock'
import { DB_FILE_NAME, KEY_FILE_NAME } from '../../electron/host/db/key-file'
import { parseRecoveryKey, readRecoveryRecord, recoveryRecordPath, unwrapDbKey } from '../../electron/host/db/recovery-key'
import { recoverDataFolder } from '../../electron/host/db/recover'
import { opensWith, pendingKeyPath, pendingRecoveryPath } from '../../electron/host/db/rekey'
import type { RekeyStep } from '../../electron/host/domains/backup/key-rotation'
import { checkDataFolder } from '../../electron/host/domains/health/data-folder-check'
import { startHost, type Host } from '../../electron/host/host'
import { REPO_ROOT } from '../helpers/host-process'
import { adminClient, STAFF_PASSWORD } from '../helpers/staff'
import { ADMIN_PASSWORD, tempDir } from '../helpers/temp-host'

const dirs: string[] = []
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true })
})

function dir(): string {
  const d = tempDir('keyuan-rekey-')
  dirs.push(d)
  return d
}

function open(dataDir: string, log?: (msg: string) => void): Promise<Host> {
  return startHost({
    dataDir,
    clock: new ManualClock(new Date('2026-12-06T02:00:00Z')),
    noServer: true,
    env: { KEYUAN_ADMIN_PASSWORD: ADMIN_PASSWORD },
    schedulerIntervalMs: 0,
    log,
  })
}

const keyOf = (dataDir: string) => fs.readFileSync(path.join(dataDir, KEY_FILE_NAME), 'utf8').trim()
const dbOf = (dataDir: string) => path.join(dataDir, DB_FILE_NAME)
const staffNames = async (admin: ApiClient) => (await admin.call('staff.list', {})).rows.map((r) => r.username).sort()

async function addStaff(admin: ApiClient, username: string): Promise<void> {
  await admin.call('staff.create', { username, name: `员工${username}`, role: 'agent', team: null, password: STAFF_PASSWORD })
}

/** Runs the crash child (tests/helpers/rekey-crash-child.ts) on a data folder; resolves with how it ended. */
function crashChild(dataDir: string, args: string[]): Promise<{ code: number | null; signal: NodeJS.Signals | null; out: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'tests/helpers/rekey-crash-child.ts', dataDir, ...args], {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH, KEYUAN_SCRYPT_COST: '1024' },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let out = ''
  child.stdout.on('data', (b: Buffer) => (out += b.toString()))
  child.stderr.on('data', (b: Buffer) => (out += b.toString()))
  return new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal, out })))
}

describe('rekey (backup.rekey)', () => {
  it('changes the database key and the recovery key; the host keeps serving; the audit chain verifies before and after a restart', async () => {
    const dataDir = dir()
    let host = await open(dataDir)
    const firstRecovery = host.recoveryKey!
    const admin = await adminClient(host)
    await addStaff(admin, 'before')
    const oldKey = keyOf(dataDir)

    const r = await admin.call('backup.rekey', { password: ADMIN_PASSWORD })
    expect(parseRecoveryKey(r.recoveryKey)).toHaveProperty('bytes')
    expect(r.recoveryKey).not.toBe(firstRecovery)
    const newKey = keyOf(dataDir)
    expect(newKey).toMatch(/^[0-9a-f]{64}$/)
    expect(newKey).not.toBe(oldKey)
    expect(opensWith(dbOf(dataDir), newKey)).toBe(true)
    expect(opensWith(dbOf(dataDir), oldKey)).toBe(false)
    // the record beside the database now wraps the new key under the new recovery key, and the old recovery key is refused
    expect(await unwrapDbKey(readRecoveryRecord(dbOf(dataDir)), r.recoveryKey)).toBe(newKey)
    await expect(unwrapDbKey(readRecoveryRecord(dbOf(dataDir)), firstRecovery)).rejects.toMatchObject({ reason: 'recovery_key_wrong' })
    expect(fs.existsSync(pendingKeyPath(path.join(dataDir, KEY_FILE_NAME)))).toBe(false)
    expect(fs.existsSync(pendingRecoveryPath(dbOf(dataDir)))).toBe(false)

    // the same session goes on: reads, writes, the audit chain (its keys did not change with the file's)
    await addStaff(admin, 'after')
    expect(await staffNames(admin)).toEqual(['admin', 'after', 'before'])
    expect(await admin.call('audit.verify', {})).toMatchObject({ ok: true, firstBrokenId: null })
    const rows = host.database.sqlite.prepare(`SELECT detail FROM audit_log WHERE action = 'backup.rekey'`).pluck().all() as string[]
    expect(rows).toHaveLength(1)
    expect(rows[0]).not.toContain(ADMIN_PASSWORD)
    expect(rows[0]).not.toContain(r.recoveryKey)
    // a backup after the change travels with the new record
    host.backups.start('manual')
    const m = (await host.backups.whenDone())!
    expect(await unwrapDbKey(readRecoveryRecord(path.join(host.backups.folder, m.name)), r.recoveryKey)).toBe(newKey)
    await host.close()
    // --check reads the rekeyed file with the new key file, and its audit chain with the first key's audit keys
    expect(await checkDataFolder({ dataDir, env: {}, now: new Date('2026-12-06T03:00:00Z') })).toMatchObject({ integrity: 'ok', audit: { ok: true, firstBrokenId: null } })

    host = await open(dataDir)
    try {
      expect(host.rekeySettled).toBe('none')
      const again = await adminClient(host)
      expect(await staffNames(again)).toEqual(['admin', 'after', 'before'])
      expect(await again.call('audit.verify', {})).toMatchObject({ ok: true, firstBrokenId: null })
    } finally {
      await host.close()
    }
  })

  it('asks for the admin’s password: a wrong one is refused and changes nothing; only the admin may call it', async () => {
    const dataDir = dir()
    const host = await open(dataDir)
    try {
      const admin = await adminClient(host)
      const before = keyOf(dataDir)
      const record = fs.readFileSync(recoveryRecordPath(dbOf(dataDir)), 'utf8')
      expect(await admin.try('backup.rekey', { password: 'not-the-password' })).toMatchObject({ ok: false, error: { code: 'BAD_CREDENTIALS', field: 'password' } })
      await admin.call('staff.create', { username: 'mgr', name: '店长', role: 'manager', team: null, password: STAFF_PASSWORD })
      const manager = host.client()
      await manager.call('auth.login', { username: 'mgr', password: STAFF_PASSWORD })
      expect(await manager.try('backup.rekey', { password: STAFF_PASSWORD })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
      expect(keyOf(dataDir)).toBe(before)
      expect(fs.readFileSync(recoveryRecordPath(dbOf(dataDir)), 'utf8')).toBe(record)
      expect(opensWith(dbOf(dataDir), before)).toBe(true)
      expect((await admin.call('system.ping', {})) !== undefined).toBe(true)
    } finally {
      await host.close()
    }
  })

  it('while the key changes, calls wait and are answered, and a backup is told it is busy', async () => {
    const dataDir = dir()
    const host = await open(dataDir)
    try {
      const admin = await adminClient(host)
      await addStaff(admin, 'before')
      const changing = host.rekey()
      // the change holds the database from its first step: a backup asked for now is refused, typed
      expect(() => host.backups.start('manual')).toThrow(expect.objectContaining({ code: 'CONFLICT', reason: 'backup_busy' }))
      const [during] = await Promise.all([admin.try('staff.list', {}), changing])
      expect(during.ok).toBe(true)
      expect(await staffNames(admin)).toEqual(['admin', 'before'])
      expect(await admin.call('audit.verify', {})).toMatchObject({ ok: true })
    } finally {
      await host.close()
    }
  })

  it('old backups stay restorable: here through the key ring (the copy is rekeyed to the current key), on another PC with the recovery key of their time', async () => {
    const dataDir = dir()
    let host = await open(dataDir)
    const firstRecovery = host.recoveryKey!
    const admin = await adminClient(host)
    await addStaff(admin, 'before')
    host.backups.start('manual')
    const old = (await host.backups.whenDone())!
    const oldKey = keyOf(dataDir)
    await admin.call('backup.rekey', { password: ADMIN_PASSWORD })
    await addStaff(admin, 'after')

    const report = await admin.call('backup.restore', { name: old.name })
    expect(report.integrity).toBe('ok')
    expect(await staffNames(admin)).toEqual(['admin', 'before'])
    expect(await admin.call('audit.verify', {})).toMatchObject({ ok: true, firstBrokenId: null })
    expect(opensWith(dbOf(dataDir), keyOf(dataDir))).toBe(true)
    expect(opensWith(dbOf(dataDir), oldKey)).toBe(false)
    await host.close()
    host = await open(dataDir)
    try {
      const again = await adminClient(host)
      expect(await staffNames(again)).toEqual(['admin', 'before'])
      expect(await again.call('audit.verify', {})).toMatchObject({ ok: true, firstBrokenId: null })
    } finally {
      await host.close()
    }

    // a new PC: the old backup and its record, the recovery key written down when it was taken
    const newPc = dir()
    const recovered = await recoverDataFolder({ source: path.join(dataDir, 'backups', old.name), dataDir: newPc, keyFile: undefined, env: {}, typedKey: firstRecovery })
    expect(recovered.copied).toBe(true)
    const moved = await open(newPc)
    try {
      const there = await adminClient(moved)
      expect(await staffNames(there)).toEqual(['admin', 'before'])
      expect(await there.call('audit.verify', {})).toMatchObject({ ok: true })
    } finally {
      await moved.close()
    }
  })

  it('a host killed between the steps of a rekey, or at a random moment while its file is rewritten, starts again with the old key or the new one, and knows which', { timeout: 300_000 }, async () => {
    // the children run side by side (each starts a host from the sources, the slow part); each then starts again here
    const steps: Record<Exclude<RekeyStep, 'promoted'>, 'undone' | 'completed'> = { 'pending-written': 'undone', 'ring-written': 'undone', rekeyed: 'completed' }
    const seed = Number(process.env.KEYUAN_REKEY_SEED ?? 1812)
    let state = seed
    const nextDelay = () => (state = (state * 1103515245 + 12345) % 2 ** 31) % 120
    const trials: { at: string; args: string[]; dataDir: string; oldKey: string; oldRecord: string; firstRecovery: string }[] = []
    for (const [at, args] of [...Object.keys(steps).map((k) => [k, [k]] as const), ...[0, 1].map(() => { const ms = String(nextDelay()); return [`random ${ms} ms`, ['random', ms]] as const })]) {
      const dataDir = dir()
      // a client book big enough that a random kill can land inside the rewrite
      const first = await startHost({ dataDir, clock: new ManualClock(new Date('2026-12-06T02:00:00Z')), noServer: true, env: { KEYUAN_ADMIN_PASSWORD: ADMIN_PASSWORD }, schedulerIntervalMs: 0, demo: at.startsWith('random'), demoClients: 1_000 })
      await addStaff(await adminClient(first), 'kept')
      const firstRecovery = first.recoveryKey!
      await first.close()
      trials.push({ at, args: [...args], dataDir, oldKey: keyOf(dataDir), oldRecord: fs.readFileSync(recoveryRecordPath(dbOf(dataDir)), 'utf8'), firstRecovery })
    }
    const ended = await Promise.all(trials.map((t) => crashChild(t.dataDir, t.args)))
    const figures: string[] = []
    for (const [i, t] of trials.entries()) {
      const { dataDir, oldKey, oldRecord, firstRecovery } = t
      const expected = t.at in steps ? steps[t.at as keyof typeof steps] : null
      if (expected) expect(ended[i]!.signal, ended[i]!.out).toBe('SIGKILL')
      const logged: string[] = []
      const host = await open(dataDir, (m) => logged.push(m))
      try {
        if (expected) expect(host.rekeySettled).toBe(expected)
        const key = keyOf(dataDir)
        const record = fs.readFileSync(recoveryRecordPath(dbOf(dataDir)), 'utf8')
        if (key === oldKey) {
          // the old pair, whole: key file, record, and the recovery key written down at the first start
          expect(host.rekeySettled).toMatch(ended[i]!.signal === null ? /^none$/ : /^(undone|none)$/)
          expect(record).toBe(oldRecord)
          expect(await unwrapDbKey(readRecoveryRecord(dbOf(dataDir)), firstRecovery)).toBe(oldKey)
          if (host.rekeySettled === 'undone') expect(logged.join('\n')).toContain('keeps its old key')
        } else {
          // the new pair: the record the rekey wrote with the new key, no longer the old recovery key's
          expect(record).toBe(fs.readFileSync(path.join(dataDir, 'pending-record.copy'), 'utf8'))
          await expect(unwrapDbKey(readRecoveryRecord(dbOf(dataDir)), firstRecovery)).rejects.toMatchObject({ reason: 'recovery_key_wrong' })
        }
        expect(opensWith(dbOf(dataDir), key)).toBe(true)
        expect(opensWith(dbOf(dataDir), key === oldKey ? 'f'.repeat(64) : oldKey)).toBe(false)
        expect(fs.existsSync(pendingKeyPath(path.join(dataDir, KEY_FILE_NAME)))).toBe(false)
        expect(fs.existsSync(pendingRecoveryPath(dbOf(dataDir)))).toBe(false)
        expect(host.database.sqlite.prepare('PRAGMA integrity_check').pluck().get()).toBe('ok')
        const admin = await adminClient(host)
        expect(await staffNames(admin)).toContain('kept')
        expect(await admin.call('audit.verify', {})).toMatchObject({ ok: true, firstBrokenId: null })
        figures.push(`${t.at}: ${ended[i]!.signal ?? 'finished'}, ${key === oldKey ? 'old key' : 'new key'} (${host.rekeySettled})`)
      } finally {
        await host.close()
      }
    }
    console.log(`rekey kill trials (seed ${seed}): ${figures.join('; ')}`)
  })
})
