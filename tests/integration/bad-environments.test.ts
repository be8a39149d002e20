import { spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import fs from 'node:fs'
import net from 'node:net'
import path from 'node:path'
import Database from 'better-sqlite3-multiple-ciphers'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ManualClock } from '../../electron/host/clock'
import { DbOpenError } from '../../electron/host/db/db-error'
import { DB_FILE_NAME, resolveHeadlessKey } from '../../electron/host/db/key-file'
import { LATEST_SCHEMA_VERSION } from '../../electron/host/db/migrate'
import { startHost, type Host } from '../../electron/host/host'
import { ApiCallError } from '@shared/contract/client'
import { REPO_ROOT } from '../helpers/host-process'
import { ADMIN_PASSWORD, tempDir } from '../helpers/temp-host'
import { adminClient, staffClient } from '../helpers/staff'

// Start-up in a bad environment (issue #18 item 5): each is refused in words, leaves the
// database file as it was, and once the fault is gone the host starts and answers.
const dirs: string[] = []
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true })
})

function dataDir(): string {
  const d = tempDir('keyuan-badenv-')
  dirs.push(d)
  return path.join(d, 'data')
}

function start(dir: string, opts: { port?: number; noServer?: boolean } = {}): Promise<Host> {
  return startHost({
    dataDir: dir,
    clock: new ManualClock(new Date('2026-11-25T02:00:00Z')),
    noServer: opts.noServer ?? true,
    port: opts.port,
    env: { KEYUAN_ADMIN_PASSWORD: ADMIN_PASSWORD },
    schedulerIntervalMs: 0,
    readers: 1,
  })
}

/** A closed branch database (admin, one staff member), made once; each test works on a copy. */
let template: string
beforeAll(async () => {
  template = dataDir()
  const host = await start(template)
  const admin = await adminClient(host)
  await admin.call('staff.create', { username: 'badenv', name: '环境', role: 'agent', password: 'staff-pass-123' })
  await host.close()
}, 60_000)

/** A data folder of its own, a copy of the template branch. */
async function branchFolder(): Promise<string> {
  const dir = dataDir()
  fs.cpSync(template, dir, { recursive: true })
  return dir
}

function sha(file: string): string {
  return createHash('sha256').update(fs.readFileSync(file)).digest('hex')
}

/** The database's files as they are now (the WAL and shm beside it, when there). */
function databaseFiles(dir: string): Record<string, string> {
  const out: Record<string, string> = {}
  for (const f of fs.readdirSync(dir).filter((n) => n.startsWith(DB_FILE_NAME)).sort()) out[f] = sha(path.join(dir, f))
  return out
}

/** Expects `startHost` to refuse with `reason`, and the database files to be untouched by the attempt. */
async function expectRefused(dir: string, reason: string): Promise<DbOpenError> {
  const before = databaseFiles(dir)
  const err = await start(dir).then(
    async (h) => {
      await h.close()
      return null
    },
    (e: unknown) => e,
  )
  expect(err).toBeInstanceOf(DbOpenError)
  expect((err as DbOpenError).reason).toBe(reason)
  expect(databaseFiles(dir)).toEqual(before)
  return err as DbOpenError
}

/** After the fault is undone: the host starts, the staff member written before is there, the audit chain verifies. */
async function expectServesAgain(dir: string): Promise<void> {
  const host = await start(dir)
  try {
    const admin = await adminClient(host)
    expect((await admin.call('staff.list', {})).rows.map((s) => s.username)).toContain('badenv')
    expect(await admin.call('audit.verify', {})).toMatchObject({ ok: true })
  } finally {
    await host.close()
  }
}

function sideConnection(dir: string): Database.Database {
  const db = new Database(path.join(dir, DB_FILE_NAME))
  db.pragma(`cipher='sqlcipher'`)
  db.pragma('legacy=4')
  db.pragma(`key="x'${resolveHeadlessKey(dir, {}).keyHex}'"`)
  return db
}

/**
 * A damaged file is named as damaged, whichever page the damage is on: refused at open with
 * DB_DAMAGED (the files untouched) when opening reads the page, or else found by the start-up
 * integrity check, said in the log and on the health page, with the host still answering. Which
 * of the two depends on where the schema's pages fall, which every migration moves.
 */
async function expectDamageNamed(dir: string): Promise<void> {
  const before = databaseFiles(dir)
  const lines: string[] = []
  const host = await startHost({
    dataDir: dir,
    clock: new ManualClock(new Date('2026-11-25T02:00:00Z')),
    noServer: true,
    env: { KEYUAN_ADMIN_PASSWORD: ADMIN_PASSWORD },
    schedulerIntervalMs: 0,
    readers: 1,
    log: (msg) => lines.push(msg),
  }).catch((e: unknown) => e)
  if (!('health' in (host as object))) {
    expect(host).toBeInstanceOf(DbOpenError)
    expect((host as DbOpenError).reason).toBe('DB_DAMAGED')
    expect((host as DbOpenError).message).toMatch(/damaged or cut short.*restore the newest backup/)
    expect((host as DbOpenError).message).not.toMatch(/key is wrong/)
    expect(databaseFiles(dir)).toEqual(before)
    return
  }
  const h = host as Host
  try {
    await h.health.checkIntegrity()
    expect(lines.some((l) => /^DB_DAMAGED: [\s\S]*restore the newest backup/.test(l))).toBe(true)
    const admin = await adminClient(h).catch(() => null)
    // the damage may lie under the sign-in itself; when a session opens, the health page says it too
    if (admin) {
      expect((await admin.call('health.status', {})).integrity.status).toBe('failed')
      expect((await admin.call('system.ping', {})).pong).toBe(true)
    }
  } finally {
    await h.close()
  }
}

describe('a database the host must not open', () => {
  it('from a newer version: DB_TOO_NEW, nothing migrated or written; once that row is gone it starts', async () => {
    const dir = await branchFolder()
    const side = sideConnection(dir)
    side.prepare('INSERT INTO schema_version (version, name, applied_at) VALUES (?, ?, ?)').run(LATEST_SCHEMA_VERSION + 1, 'from-the-future', '2027-01-01T00:00:00Z')
    side.close()
    const err = await expectRefused(dir, 'DB_TOO_NEW')
    expect(err.message).toMatch(/newer version of Keyuan.*update this program/)
    expect(err.message).toContain(`schema ${LATEST_SCHEMA_VERSION + 1}`)

    const undo = sideConnection(dir)
    undo.prepare('DELETE FROM schema_version WHERE version = ?').run(LATEST_SCHEMA_VERSION + 1)
    undo.close()
    await expectServesAgain(dir)
  })

  it('cut short (truncated): DB_DAMAGED naming the backup, not a wrong key, at open or from the integrity check', async () => {
    const dir = await branchFolder()
    const file = path.join(dir, DB_FILE_NAME)
    const whole = fs.readFileSync(file)
    for (const keep of [Math.floor(whole.length / 2 / 4096) * 4096, whole.length - 1000]) {
      fs.writeFileSync(file, whole.subarray(0, keep))
      await expectDamageNamed(dir)
    }
    fs.writeFileSync(file, whole)
    fs.rmSync(`${file}-wal`, { force: true })
    fs.rmSync(`${file}-shm`, { force: true })
    await expectServesAgain(dir)
  })

  it('with an altered page: refused at open, or the start-up integrity check fails and says so in the log and on the health page', async () => {
    const dir = await branchFolder()
    const file = path.join(dir, DB_FILE_NAME)
    const whole = fs.readFileSync(file)
    const altered = Buffer.from(whole)
    // a page deep in the file
    const page = Math.floor(whole.length / 4096) - 3
    for (let i = page * 4096 + 100; i < page * 4096 + 116; i++) altered[i]! ^= 0xff
    fs.writeFileSync(file, altered)
    await expectDamageNamed(dir)
    fs.writeFileSync(file, whole)
    fs.rmSync(`${file}-wal`, { force: true })
    fs.rmSync(`${file}-shm`, { force: true })
    await expectServesAgain(dir)
  })

  it('the host process prints the refusal in one line and exits 1', async () => {
    const dir = await branchFolder()
    const file = path.join(dir, DB_FILE_NAME)
    fs.writeFileSync(file, fs.readFileSync(file).subarray(0, 8192))
    const before = sha(file)
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'electron/host/index.ts', '--data', dir, '--port', '0'], {
      cwd: REPO_ROOT,
      env: { PATH: process.env.PATH, KEYUAN_SCRYPT_COST: '1024' },
      encoding: 'utf8',
      timeout: 60_000,
    })
    expect(run.status).toBe(1)
    expect(run.stderr.trim().split('\n')).toHaveLength(1)
    expect(run.stderr).toMatch(/^keyuan host: DB_DAMAGED: the database file is damaged or cut short/)
    expect(run.stdout).not.toMatch(/ready/)
    expect(sha(file)).toBe(before)
  }, 60_000)
})

describe('a port another program holds', () => {
  it('refuses to start (EADDRINUSE), releases the data folder, and starts on a free port', async () => {
    const dir = await branchFolder()
    const taken = net.createServer()
    await new Promise<void>((r) => taken.listen(0, '127.0.0.1', () => r()))
    const port = (taken.address() as net.AddressInfo).port
    try {
      const err = await start(dir, { port, noServer: false }).then(
        async (h) => {
          await h.close()
          return null
        },
        (e: unknown) => e,
      )
      expect((err as NodeJS.ErrnoException).code).toBe('EADDRINUSE')
    } finally {
      await new Promise((r) => taken.close(r))
    }
    // the refused start let go of the lock: the next one takes the folder
    const host = await start(dir, { port: 0, noServer: false })
    try {
      expect((await fetch(`${host.url}/healthz`)).status).toBe(200)
    } finally {
      await host.close()
    }
  })
})

/** A tmpfs of `size` mounted on a new folder, or null where this process may not mount (not root, a container without the right). */
function smallDisk(size: string): { dir: string; grow(size: string): void; unmount(): void } | null {
  const root = tempDir('keyuan-full-')
  dirs.push(root)
  const dir = path.join(root, 'disk')
  fs.mkdirSync(dir)
  if (spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir]).status !== 0) return null
  return {
    dir,
    grow: (bigger) => void spawnSync('mount', ['-o', `remount,size=${bigger}`, dir]),
    unmount: () => void spawnSync('umount', [dir]),
  }
}

describe('a disk that fills up while the branch works', () => {
  it('on a real small tmpfs: a write that does not fit answers DISK_FULL, nothing half-written; with room again writes go on and integrity_check is ok', async (ctx) => {
    // 3 MB: a new database (its schema, the standby feed's triggers and the first WAL) takes about 2
    const disk = smallDisk('3m')
    if (!disk) return ctx.skip('cannot mount a tmpfs here (needs root); the injected SQLITE_FULL case is in db-errors.test.ts')
    try {
      const dir = path.join(disk.dir, 'data')
      const host = await start(dir)
      try {
        const admin = await adminClient(host)
        const agent = (await staffClient(host, admin, 'agent', 'full-agent')).client
        let saved = 0
        let full: ApiCallError | null = null
        // bounded: the MB left takes several hundred of these clients
        for (let i = 0; i < 20_000 && !full; i++) {
          try {
            await agent.call('clients.create', { kind: 'person', name: `满盘客户${i}`, phones: [{ number: `138${String(i).padStart(8, '0')}` }], address: `上海市${'满'.repeat(190)}`, sourceChannel: 'walk_in' })
            saved++
          } catch (err) {
            if (!(err instanceof ApiCallError)) throw err
            full = err
          }
        }
        expect(full?.code).toBe('DISK_FULL')
        expect(JSON.stringify(full?.error)).not.toMatch(/SQLITE|keyuan\.db|\//)
        // reads go on while the disk is full; the refused client left neither its row nor its audit row
        expect((await agent.call('clients.list', { limit: 1 })).total).toBe(saved)
        const q = (sql: string) => host.database.sqlite.prepare(sql).pluck().get() as number
        expect(q(`SELECT count(*) FROM clients`)).toBe(saved)
        expect(q(`SELECT count(*) FROM audit_log WHERE action = 'clients.create'`)).toBe(saved)

        disk.grow('64m')
        await agent.call('clients.create', { kind: 'person', name: '有空间了', phones: [{ number: '13700000001' }], sourceChannel: 'walk_in' })
        expect(await admin.call('audit.verify', {})).toMatchObject({ ok: true })
        expect(host.database.sqlite.pragma('integrity_check', { simple: true })).toBe('ok')
      } finally {
        await host.close()
      }
    } finally {
      disk.unmount()
    }
  }, 60_000)
})
