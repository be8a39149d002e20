import { spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'

export const REPO_ROOT = path.resolve(__dirname, '../..')

/** A renderer folder with an index page and one asset, enough for the static routes. */
export function fakeRenderer(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keyuan-renderer-'))
  fs.writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>客源</title>')
  fs.mkdirSync(path.join(dir, 'assets'))
  fs.writeFileSync(path.join(dir, 'assets', 'app.js'), 'console.log(1)')
  return dir
}

/**
 * The environment that makes a spawned host stop once this process is gone (killed too: a bench
 * cut short must not leave its host working on a copy): give it to every host a test or bench
 * spawns itself (electron/host/index.ts watchParent). The host must be this process's own child.
 */
export function stopWithTest(): NodeJS.ProcessEnv {
  return { KEYUAN_STOP_WITH_PARENT: String(process.pid) }
}

export interface HostProcess {
  child: ChildProcess
  url: string
  port: number
  dataDir: string
  /** everything the process wrote to stderr so far. */
  stderr(): string
  /** resolves once stderr matches. */
  waitForStderr(pattern: RegExp): Promise<void>
  /** resolves with the exit code once the process has exited. */
  exited: Promise<number | null>
  /** SIGKILLs it if still running and removes its data folder (when the helper made it). */
  cleanup(): Promise<void>
}

/**
 * Spawns a host *process* (by default `node --import tsx electron/host/index.ts`, no build
 * needed) on a fresh data folder (or the caller's) and a free port, and waits for its ready line.
 */
export async function spawnHost(
  opts: {
    /** the command and its arguments before the host flags; default runs the TypeScript entry with tsx. */
    command?: readonly string[]
    /** the first admin's password, for a fresh data folder (a folder with an admin ignores it) */
    adminPassword?: string
    /** a data folder to serve, the caller's to remove; default a fresh temp folder that cleanup removes */
    dataDir?: string
    rendererDir?: string
    env?: NodeJS.ProcessEnv
    startTimeoutMs?: number
  },
): Promise<HostProcess> {
  const ownDir = opts.dataDir === undefined
  const dataDir = opts.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'keyuan-proc-'))
  const [cmd, ...pre] = opts.command ?? [process.execPath, '--import', 'tsx', 'electron/host/index.ts']
  // the data folder's own key file (a fresh one in a fresh folder), whatever key the developer's shell may carry
  const { KEYUAN_DB_KEY: _ignored, ...env } = process.env
  const child = spawn(cmd!, [...pre, '--data', dataDir, '--port', '0'], {
    cwd: REPO_ROOT,
    env: {
      ...env,
      ...(opts.adminPassword !== undefined ? { KEYUAN_ADMIN_PASSWORD: opts.adminPassword } : {}),
      KEYUAN_SCRYPT_COST: '1024',
      ...stopWithTest(),
      ...(opts.rendererDir ? { KEYUAN_RENDERER_DIR: opts.rendererDir } : {}),
      ...opts.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let out = ''
  let err = ''
  const watchers = new Set<() => void>()
  child.stderr!.on('data', (d: Buffer) => {
    err += d.toString()
    for (const w of watchers) w()
  })
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  const url = await new Promise<string>((resolve, reject) => {
    const limit = opts.startTimeoutMs ?? 60_000
    const timer = setTimeout(() => reject(new Error(`the host did not start within ${limit} ms\n${out}${err}`)), limit)
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString()
      const m = /ready in \d+ ms: (https?:\/\/\S+)/.exec(out)
      if (m?.[1]) {
        clearTimeout(timer)
        resolve(m[1])
      }
    })
    void exited.then((code) => {
      clearTimeout(timer)
      reject(new Error(`the host exited with code ${code} before it was ready\n${out}${err}`))
    })
  })
  return {
    child,
    url,
    port: Number(new URL(url).port),
    dataDir,
    stderr: () => err,
    waitForStderr: (pattern) =>
      new Promise((resolve) => {
        const check = () => {
          if (!pattern.test(err)) return
          watchers.delete(check)
          resolve()
        }
        watchers.add(check)
        check()
      }),
    exited,
    cleanup: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGKILL')
        await exited
      }
      if (ownDir) fs.rmSync(dataDir, { recursive: true, force: true })
    },
  }
}

/** Whether `/healthz` answers 200 (the host is alive and serving). */
export async function healthy(url: string): Promise<boolean> {
  try {
    return (await fetch(`${url}/healthz`)).status === 200
  } catch {
    return false
  }
}
