import { spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { healthy, REPO_ROOT } from '../helpers/host-process'
import { processGone as gone } from '../helpers/proc-stat'

// A bench or test killed outright (SIGKILL, a closed terminal) must not leave the host it spawned
// working on behind it: KEYUAN_STOP_WITH_PARENT (electron/host/index.ts watchParent). Here a
// launcher process spawns the host the way the benches do, and is killed.

/** The launcher: spawns the host (its output to a file, so nothing breaks when the launcher dies), prints its pid, waits. */
const LAUNCHER = `
const { spawn } = require('node:child_process')
const fs = require('node:fs')
const [log, dataDir, stopWith] = process.argv.slice(1)
const out = fs.openSync(log, 'a')
const env = { PATH: process.env.PATH, KEYUAN_ADMIN_PASSWORD: 'orphan-test-pass', KEYUAN_SCRYPT_COST: '1024' }
if (stopWith === 'yes') env.KEYUAN_STOP_WITH_PARENT = String(process.pid)
const host = spawn(process.execPath, ['--import', 'tsx', 'electron/host/index.ts', '--data', dataDir, '--port', '0'], { env, stdio: ['ignore', out, out] })
console.log(String(host.pid))
`

interface Launched {
  launcherPid: number
  hostPid: number
  log(): string
}

const dirs: string[] = []
const pids: number[] = []
afterEach(() => {
  for (const pid of pids.splice(0)) if (!gone(pid)) process.kill(pid, 'SIGKILL')
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true })
})

async function launch(stopWithParent: boolean): Promise<Launched> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keyuan-orphan-'))
  dirs.push(dir)
  const logFile = path.join(dir, 'host.log')
  const launcher = spawn(process.execPath, ['-e', LAUNCHER, logFile, path.join(dir, 'data'), stopWithParent ? 'yes' : 'no'], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'inherit'] })
  pids.push(launcher.pid!)
  const hostPid = await new Promise<number>((resolve, reject) => {
    launcher.stdout.once('data', (d: Buffer) => resolve(Number(d.toString().trim())))
    launcher.once('exit', (code) => reject(new Error(`the launcher exited (${code})`)))
  })
  pids.push(hostPid)
  return { launcherPid: launcher.pid!, hostPid, log: () => (fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8') : '') }
}

function urlIn(log: string): string | null {
  return /ready in \d+ ms: (http:\/\/\S+)/.exec(log)?.[1] ?? null
}

describe.skipIf(process.platform !== 'linux')('a host whose launcher is killed', () => {
  it('asked to stop with its launcher, it stops gracefully once the launcher is SIGKILLed; not asked (by hand, a service), it outlives it', async () => {
    const [asked, notAsked] = await Promise.all([launch(true), launch(false)])
    for (const h of [asked, notAsked]) await expect.poll(() => urlIn(h.log()), { timeout: 60_000, interval: 100 }).not.toBeNull()
    expect(await healthy(urlIn(asked.log())!)).toBe(true)
    for (const h of [asked, notAsked]) process.kill(h.launcherPid, 'SIGKILL')
    await expect.poll(() => gone(asked.hostPid), { timeout: 30_000, interval: 100 }).toBe(true)
    expect(asked.log()).toMatch(/the launching process exited: stopping[\s\S]*keyuan host: stopped/)
    // the other host saw its launcher go just as long ago (the same check, every PARENT_CHECK_MS), and serves on
    expect(gone(notAsked.launcherPid)).toBe(true)
    expect(gone(notAsked.hostPid)).toBe(false)
    expect(await healthy(urlIn(notAsked.log())!)).toBe(true)
    expect(notAsked.log()).not.toMatch(/launching process exited/)
  })

  it('asked to stop with its launcher: a launcher killed during the start ends the start too', async () => {
    const h = await launch(true)
    process.kill(h.launcherPid, 'SIGKILL')
    await expect.poll(() => gone(h.hostPid), { timeout: 30_000, interval: 100 }).toBe(true)
    expect(h.log()).toMatch(/the launching process exited before the host was ready: exiting/)
    expect(urlIn(h.log())).toBeNull()
  })
})
