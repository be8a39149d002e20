import { spawn } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { ManualClock } from '../../electron/host/clock'
import { DB_FILE_NAME, KEY_FILE_NAME } from '../../electron/host/db/key-file'
import { recoveryRecordPath } from '../../electron/host/db/recovery-key'
import { pendingKeyPath, pendingRecoveryPath } from '../../electron/host/db/rekey'
import type { RekeyStep } from '../../electron/host/domains/backup/key-rotation'
import { checkDataFolder, formatDataFolderCheck } from '../../electron/host/domains/health/data-folder-check'
import { startHost } from '../../electron/host/host'
import { REPO_ROOT } from '../helpers/host-process'
import { ADMIN_PASSWORD, tempDir } from '../helpers/temp-host'

const dirs: string[] = []
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true })
})

const NOW = new Date('2026-12-06T03:00:00Z')
const open = (dataDir: string) =>
  startHost({ dataDir, clock: new ManualClock(new Date('2026-12-06T02:00:00Z')), noServer: true, env: { KEYUAN_ADMIN_PASSWORD: ADMIN_PASSWORD }, schedulerIntervalMs: 0 })

/** Runs a process from the sources in the repo; resolves with how it ended and what it printed. */
function run(args: string[]): Promise<{ code: number | null; signal: NodeJS.Signals | null; out: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', ...args], { cwd: REPO_ROOT, env: { PATH: process.env.PATH, KEYUAN_SCRYPT_COST: '1024' }, stdio: ['ignore', 'pipe', 'pipe'] })
  let out = ''
  child.stdout.on('data', (b: Buffer) => (out += b.toString()))
  child.stderr.on('data', (b: Buffer) => (out += b.toString()))
  return new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal, out })))
}

/** The key and recovery files of a data folder, and their pending twins, as bytes (absent: null). */
function keyFiles(dataDir: string): Record<string, string | null> {
  const db = path.join(dataDir, DB_FILE_NAME)
  const key = path.join(dataDir, KEY_FILE_NAME)
  const files = [key, pendingKeyPath(key), recoveryRecordPath(db), pendingRecoveryPath(db)]
  return Object.fromEntries(files.map((f) => [path.basename(f), fs.existsSync(f) ? fs.readFileSync(f, 'utf8') : null]))
}

/** A data folder whose host was killed right after `step` of a key change (tests/helpers/rekey-crash-child.ts). */
async function interruptedAt(step: RekeyStep): Promise<string> {
  const dataDir = tempDir('keyuan-check-rekey-')
  dirs.push(dataDir)
  await (await open(dataDir)).close()
  const ended = await run(['tests/helpers/rekey-crash-child.ts', dataDir, step])
  expect(ended.signal, ended.out).toBe('SIGKILL')
  return dataDir
}

describe('npm run host -- --check on a data folder with an unfinished key change', () => {
  it('before the switch: reports that the next start keeps the old key, changes nothing; the start then settles it', { timeout: 180_000 }, async () => {
    const dataDir = await interruptedAt('ring-written')
    const before = keyFiles(dataDir)
    expect(before['keyuan.key.next']).not.toBeNull()
    const found = (await checkDataFolder({ dataDir, env: {}, now: NOW }))!
    expect(found).toMatchObject({ rekey: 'before-switch', integrity: 'ok', audit: { ok: true }, ok: false })
    expect(formatDataFolderCheck(found)).toContain('key change:      UNFINISHED (or running now): the database still opens with')
    expect(keyFiles(dataDir)).toEqual(before)
    const host = await open(dataDir)
    expect(host.rekeySettled).toBe('undone')
    await host.close()
    expect((await checkDataFolder({ dataDir, env: {}, now: NOW }))!.rekey).toBe('none')
  })

  it('after the switch: checks the file with the pending key, exits 1 naming it, changes nothing; the start then finishes the change', { timeout: 180_000 }, async () => {
    const dataDir = await interruptedAt('rekeyed')
    const before = keyFiles(dataDir)
    const found = (await checkDataFolder({ dataDir, env: {}, now: NOW }))!
    // every page read with the new key, the audit chain with the first key's audit keys
    expect(found).toMatchObject({ rekey: 'after-switch', integrity: 'ok', audit: { ok: true, firstBrokenId: null }, ok: false })
    const cli = await run(['electron/host/index.ts', '--data', dataDir, '--check'])
    expect(cli.code, cli.out).toBe(1)
    expect(cli.out).toContain(`the database opens only with ${path.join(dataDir, KEY_FILE_NAME)}.next; the next start makes it the key file`)
    expect(cli.out).toContain('integrity:       ok')
    expect(keyFiles(dataDir)).toEqual(before)
    const host = await open(dataDir)
    expect(host.rekeySettled).toBe('completed')
    await host.close()
    expect(fs.readFileSync(path.join(dataDir, KEY_FILE_NAME), 'utf8')).toBe(before['keyuan.key.next'])
    expect(await checkDataFolder({ dataDir, env: {}, now: NOW })).toMatchObject({ rekey: 'none', integrity: 'ok', audit: { ok: true } })
  })

  it('neither key opens the file: a clear refusal naming the unfinished change, nothing changed', async () => {
    const dataDir = tempDir('keyuan-check-rekey-')
    dirs.push(dataDir)
    await (await open(dataDir)).close()
    const key = path.join(dataDir, KEY_FILE_NAME)
    fs.writeFileSync(key, `${'1'.repeat(64)}\n`)
    fs.writeFileSync(pendingKeyPath(key), `${'2'.repeat(64)}\n`)
    const before = keyFiles(dataDir)
    await expect(checkDataFolder({ dataDir, env: {}, now: NOW })).rejects.toMatchObject({ reason: 'DB_LOCKED', message: expect.stringContaining('unfinished key change') })
    expect(keyFiles(dataDir)).toEqual(before)
  })
})
