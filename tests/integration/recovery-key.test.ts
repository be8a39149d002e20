import { spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import { ManualClock } from '../../electron/host/clock'
import { DB_FILE_NAME, KEY_FILE_NAME, resolveHeadlessKey } from '../../electron/host/db/key-file'
import { parseRecoveryKey, readRecoveryRecord, recoveryRecordPath, unwrapDbKey } from '../../electron/host/db/recovery-key'
import { startHost, type Host } from '../../electron/host/host'
import { adminClient, STAFF_PASSWORD } from '../helpers/staff'
import { ADMIN_PASSWORD, tempDir } from '../helpers/temp-host'
import { REPO_ROOT, stopWithTest } from '../helpers/host-process'

const dirs: string[] = []
const procs: ChildProcess[] = []
afterEach(() => {
  for (const p of procs.splice(0)) if (p.exitCode === null && p.signalCode === null) p.kill('SIGKILL')
})
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true })
})

function dir(prefix: string): string {
  const d = tempDir(prefix)
  dirs.push(d)
  return d
}

function open(dataDir: string, log?: (msg: string, err?: unknown) => void): Promise<Host> {
  return startHost({
    dataDir,
    clock: new ManualClock(new Date('2026-12-06T02:00:00Z')),
    noServer: true,
    env: { KEYUAN_ADMIN_PASSWORD: ADMIN_PASSWORD },
    schedulerIntervalMs: 0,
    log,
  })
}

/** Every file under `root`, recursively. */
function filesUnder(root: string): string[] {
  return fs.readdirSync(root, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(path.join(root, e.name)) : [path.join(root, e.name)]))
}

/** The forms a recovery key could be written in: as shown, without dashes, its bytes raw, hex and base64. */
function formsOf(recoveryKey: string): Buffer[] {
  const parsed = parseRecoveryKey(recoveryKey)
  if (!('bytes' in parsed)) throw new Error('not a recovery key')
  const texts = [recoveryKey, recoveryKey.replace(/-/g, ''), parsed.bytes.toString('hex'), parsed.bytes.toString('base64')]
  return [...texts.map((s): Buffer => Buffer.from(s)), parsed.bytes]
}

/** The host process as `npm run host` runs it, with `stdin` written to it; resolves when ready or exited. */
function runHost(dataDir: string, args: string[], stdin: string) {
  const proc = spawn(process.execPath, ['--import', 'tsx', 'electron/host/index.ts', '--data', dataDir, '--port', '0', ...args], {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH, KEYUAN_ADMIN_PASSWORD: ADMIN_PASSWORD, KEYUAN_SCRYPT_COST: '1024', ...stopWithTest() },
    stdio: ['pipe', 'pipe', 'pipe'],
  })
  procs.push(proc)
  proc.stdin.end(stdin)
  let out = ''
  const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)))
  const result = new Promise<{ ready: boolean; code: number | null }>((resolve) => {
    const onData = (d: Buffer) => {
      out += d.toString()
      if (/ready in \d+ ms: http/.test(out)) resolve({ ready: true, code: null })
    }
    proc.stdout.on('data', onData)
    proc.stderr.on('data', (d: Buffer) => (out += d.toString()))
    void exited.then((code) => resolve({ ready: false, code }))
  })
  return {
    result,
    output: () => out,
    /** SIGTERM, then the exit code once the host closed its database */
    stop: async () => {
      proc.kill('SIGTERM')
      return exited
    },
  }
}

describe('recovery key', () => {
  it('is made once for a new database: only the database key wrapped by it is stored, beside the database and each backup', async () => {
    const dataDir = path.join(dir('keyuan-rk-'), 'data')
    const logged: string[] = []
    const host = await open(dataDir, (msg, err) => logged.push(`${msg} ${String(err ?? '')}`))
    const recoveryKey = host.recoveryKey!
    expect(recoveryKey).toMatch(/^([0-9A-Z]{6}-){7}[0-9A-Z]{6}$/)
    const keyHex = resolveHeadlessKey(dataDir, {}).keyHex
    const record = readRecoveryRecord(path.join(dataDir, DB_FILE_NAME))
    expect(record).toMatchObject({ version: 1, kdf: 'scrypt', r: 8, p: 1 })
    expect(await unwrapDbKey(record, recoveryKey)).toBe(keyHex)
    // a backup carries the same record, so the key and the backup alone open it on a new PC
    await (await adminClient(host)).call('backup.create', {})
    const manifest = (await host.backups.whenDone())!
    const backup = path.join(host.backups.folder, manifest.name)
    expect(fs.readFileSync(recoveryRecordPath(backup), 'utf8')).toBe(fs.readFileSync(recoveryRecordPath(path.join(dataDir, DB_FILE_NAME)), 'utf8'))
    await host.close()

    // shown once: the next start has none to show, and the record is unchanged
    const again = await open(dataDir, (msg, err) => logged.push(`${msg} ${String(err ?? '')}`))
    expect(again.recoveryKey).toBeNull()
    await again.close()
    expect(readRecoveryRecord(path.join(dataDir, DB_FILE_NAME))).toEqual(record)

    // nothing of the recovery key in any file of the data folder (database, WAL, backups, records) or the log
    const files = filesUnder(dataDir)
    expect(files.length).toBeGreaterThan(4)
    for (const f of files) {
      const bytes = fs.readFileSync(f)
      for (const form of formsOf(recoveryKey)) expect(bytes.includes(form), `${path.basename(f)} holds the recovery key`).toBe(false)
    }
    for (const form of formsOf(recoveryKey)) expect(logged.join('\n').includes(form.toString('latin1'))).toBe(false)
  })

  // these start the host process (tsx compiles it) two or three times each: on a loaded 2-core machine, more than 30 s
  it('a new PC opens a backup with the recovery key (asked on stdin) after the old PC and its key file are gone', async () => {
    const oldPc = path.join(dir('keyuan-old-'), 'data')
    const host = await open(oldPc)
    const recoveryKey = host.recoveryKey!
    const admin = await adminClient(host)
    await admin.call('staff.create', { username: 'kept-agent', name: '留下', role: 'agent', team: null, password: STAFF_PASSWORD })
    await admin.call('backup.create', {})
    const manifest = (await host.backups.whenDone())!
    await host.close()
    // only the backup and its record reach the new PC (a USB stick); the old data folder and key file are gone
    const usb = dir('keyuan-usb-')
    const backup = path.join(usb, manifest.name)
    fs.copyFileSync(path.join(oldPc, 'backups', manifest.name), backup)
    fs.copyFileSync(path.join(oldPc, 'backups', `${manifest.name}.recovery.json`), recoveryRecordPath(backup))
    fs.rmSync(path.dirname(oldPc), { recursive: true, force: true })
    const newPc = path.join(dir('keyuan-new-'), 'data')

    // a wrong key and a mistyped one are refused, naming what is wrong; nothing is written
    const wrong = runHost(newPc, ['--recover', backup], 'AAAAAA-AAAAAA\n')
    expect(await wrong.result).toEqual({ ready: false, code: 1 })
    expect(wrong.output()).toContain('recovery_key_length')
    const groups = recoveryKey.split('-')
    groups[2] = (groups[2]![0] === 'A' ? 'B' : 'A') + groups[2]!.slice(1)
    const typo = runHost(newPc, ['--recover', backup], `${groups.join('-')}\n`)
    expect(await typo.result).toEqual({ ready: false, code: 1 })
    expect(typo.output()).toContain('group 3 of the recovery key is mistyped')
    expect(fs.existsSync(path.join(newPc, DB_FILE_NAME))).toBe(false)
    expect(fs.existsSync(path.join(newPc, KEY_FILE_NAME))).toBe(false)

    const recovered = runHost(newPc, ['--recover', backup], `${recoveryKey.toLowerCase()}\n`)
    expect((await recovered.result).ready).toBe(true)
    expect(recovered.output()).toContain('recovered with the recovery key')
    for (const form of formsOf(recoveryKey)) expect(recovered.output().includes(form.toString('latin1'))).toBe(false)
    expect(await recovered.stop()).toBe(0)
    // the new PC's host serves the branch's data, and its next start needs no recovery key
    const served = await open(newPc)
    try {
      const staff = await (await adminClient(served)).call('staff.list', {})
      expect(staff.rows.map((s) => s.username)).toContain('kept-agent')
      expect(served.recoveryKey).toBeNull()
    } finally {
      await served.close()
    }
  }, 90_000)

  it('the headless host prints the key once with "write this down"; a lost key file is recovered in place', async () => {
    const dataDir = path.join(dir('keyuan-inplace-'), 'data')
    const first = runHost(dataDir, [], '')
    expect((await first.result).ready).toBe(true)
    expect(first.output()).toContain('WRITE THIS DOWN')
    const recoveryKey = /RECOVERY KEY[^\n]*\n\s+(\S+)/.exec(first.output())?.[1] ?? ''
    expect(parseRecoveryKey(recoveryKey)).toHaveProperty('bytes')
    expect(await first.stop()).toBe(0)
    // the key file is lost: the host refuses to start without it ...
    fs.rmSync(path.join(dataDir, KEY_FILE_NAME))
    const refused = runHost(dataDir, [], '')
    expect(await refused.result).toEqual({ ready: false, code: 1 })
    expect(refused.output()).toContain('is missing')
    // ... and starts from the database in place with the recovery key, writing the key file again
    const recovered = runHost(dataDir, ['--recover', path.join(dataDir, DB_FILE_NAME)], `${recoveryKey}\n`)
    expect((await recovered.result).ready).toBe(true)
    expect(recovered.output()).not.toContain('WRITE THIS DOWN')
    expect(await recovered.stop()).toBe(0)
    expect(fs.existsSync(path.join(dataDir, KEY_FILE_NAME))).toBe(true)
  }, 90_000)
})
