import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import { tempDir } from '../helpers/temp-host'
import { stopWithTest } from '../helpers/host-process'

const ROOT = path.resolve(__dirname, '../..')
const NOBODY = 65534

interface Spawned {
  proc: ChildProcess
  output(): string
  /** resolves with the URL once the host prints that it is ready, or rejects with its output when it exits first. */
  ready: Promise<string>
  exited: Promise<number | null>
}

const running: ChildProcess[] = []
const dirs: string[] = []

/** The host as `npm run host` runs it, without a build: a real process on a real folder. */
function spawnHost(dataDir: string, opts: { uid?: number; args?: string[] } = {}): Spawned {
  const proc = spawn(process.execPath, ['--import', 'tsx', 'electron/host/index.ts', '--data', dataDir, '--port', '0', ...(opts.args ?? [])], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, KEYUAN_ADMIN_PASSWORD: 'admin-test-pass', KEYUAN_SCRYPT_COST: '1024', ...stopWithTest() },
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(opts.uid !== undefined ? { uid: opts.uid, gid: opts.uid } : {}),
  })
  running.push(proc)
  let out = ''
  proc.stdout!.on('data', (d: Buffer) => (out += d.toString()))
  proc.stderr!.on('data', (d: Buffer) => (out += d.toString()))
  const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)))
  const ready = new Promise<string>((resolve, reject) => {
    const onData = () => {
      const m = /ready in \d+ ms: (http:\/\/\S+)/.exec(out)
      if (m) resolve(m[1]!)
    }
    proc.stdout!.on('data', onData)
    void exited.then((code) => reject(new Error(`host exited (${code}) before it was ready:\n${out}`)))
  })
  ready.catch(() => undefined)
  return { proc, output: () => out, ready, exited }
}

async function healthz(url: string) {
  return (await fetch(`${url}/healthz`)).json() as Promise<{ status: string }>
}

function dataDir(): string {
  const d = tempDir('keyuan-proc-')
  dirs.push(d)
  return path.join(d, 'data')
}

afterEach(() => {
  for (const p of running.splice(0)) if (p.exitCode === null && p.signalCode === null) p.kill('SIGKILL')
})
afterAll(() => {
  for (const d of dirs) {
    // a case skipped before its host ran left no data folder
    if (fs.existsSync(path.join(d, 'data'))) fs.chmodSync(path.join(d, 'data'), 0o700)
    fs.rmSync(d, { recursive: true, force: true })
  }
})

describe('one host per data folder', () => {
  it('refuses a second host naming the first; after the first is killed (SIGKILL) the next one starts', async () => {
    const data = dataDir()
    const first = spawnHost(data)
    const url = await first.ready

    const second = spawnHost(data)
    expect(await second.exited).toBe(1)
    expect(second.output()).toContain('DB_IN_USE')
    expect(second.output()).toContain(`pid ${first.proc.pid}`)
    expect(second.output()).not.toMatch(/DB_LOCKED|at .*\.ts:\d+/)
    // the first is untouched by the attempt
    expect(await healthz(url)).toMatchObject({ status: 'ok' })

    first.proc.kill('SIGKILL')
    await first.exited
    // its lock file and its note of who held it are still there: they must not block
    expect(fs.existsSync(path.join(data, 'keyuan.lock'))).toBe(true)
    expect(fs.existsSync(path.join(data, 'keyuan.lock.json'))).toBe(true)
    const third = spawnHost(data)
    const url3 = await third.ready
    expect(await healthz(url3)).toMatchObject({ status: 'ok', audit: { ok: true } })
    third.proc.kill('SIGTERM')
    const code = await third.exited
    if (code !== 0) console.error(third.output())
    expect(code).toBe(0)
  }, 120_000)
})

describe('a data folder that cannot be written', () => {
  it('is reported as read-only at start, not as a wrong key', async (ctx) => {
    const data = dataDir()
    const asRoot = process.getuid?.() === 0
    // root writes through a 0500 folder; run the host as an unprivileged user instead
    if (asRoot) fs.chownSync(path.dirname(data), NOBODY, NOBODY)
    const uid = asRoot ? NOBODY : undefined
    if (asRoot) {
      // a checkout in a folder only root may enter (a fresh mktemp -d clone): 'nobody' cannot load the host at all
      const probe = spawnSync(process.execPath, ['-e', `require('fs').readdirSync(${JSON.stringify(path.join(ROOT, 'node_modules', 'tsx'))})`], { uid: NOBODY, gid: NOBODY, cwd: '/' })
      if (probe.status !== 0) ctx.skip(`uid ${NOBODY} cannot read this checkout (${ROOT}); no way to test a read-only folder as root here`)
    }
    const first = spawnHost(data, { uid })
    const ready = await first.ready.catch((err: Error) => err)
    if (ready instanceof Error && asRoot && /EACCES|permission denied/i.test(ready.message)) {
      // the checkout is not readable by 'nobody' on this machine: no real way to take write access away from root here
      ctx.skip(`cannot run the host as uid ${NOBODY} to test a read-only folder as root: ${ready.message.split('\n')[1] ?? ''}`)
    }
    expect(ready).toMatch(/^http/)
    first.proc.kill('SIGTERM')
    expect(await first.exited).toBe(0)

    fs.chmodSync(data, 0o500)
    const again = spawnHost(data, { uid })
    expect(await again.exited).toBe(1)
    expect(again.output()).toContain('DB_READ_ONLY')
    expect(again.output()).not.toContain('DB_LOCKED')
    expect(again.output()).not.toMatch(/key is wrong/)
  }, 120_000)
})
