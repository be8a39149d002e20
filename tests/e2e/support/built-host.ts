import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { stopWithTest } from '../../helpers/host-process'

export const REPO_ROOT = path.resolve(__dirname, '../../..')
const HOST_JS = path.join(REPO_ROOT, 'out/main/host.js')
const RENDERER_HTML = path.join(REPO_ROOT, 'out/renderer/index.html')

/** Builds the app once when there is no build yet (the test scripts normally build first). */
export function ensureBuilt(): void {
  if (fs.existsSync(HOST_JS) && fs.existsSync(RENDERER_HTML)) return
  const r = spawnSync('npx', ['electron-vite', 'build'], { cwd: REPO_ROOT, stdio: 'inherit' })
  if (r.status !== 0) throw new Error('npx electron-vite build failed; see the output above')
}

export interface BuiltHost {
  url: string
  dataDir: string
  /** stops the host process (SIGTERM) and keeps its data folder: to clients, the host is gone */
  stopProcess(): Promise<void>
  /** starts the host process again on the same port and data folder, after stopProcess */
  restart(): Promise<void>
  stop(): Promise<void>
}

/** Runs the real built host (`node out/main/host.js`) on a fresh data folder and a free port. */
export async function startBuiltHost(opts: {
  adminPassword: string
  demo?: boolean
  /** with demo: how many demo clients (100000 is a full-size branch; its first start takes a while). */
  demoClients?: number
  /** how long the first start may take; 30 s unless said. */
  startTimeoutMs?: number
}): Promise<BuiltHost> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'keyuan-e2e-'))
  const demo = opts.demo ? ['--demo', ...(opts.demoClients !== undefined ? ['--demo-clients', String(opts.demoClients)] : [])] : []
  // a fresh key file in the temp folder, whatever key the developer's shell may carry
  const { KEYUAN_DB_KEY: _ignored, ...env } = process.env
  const run = async (port: string) => {
    const child = spawn(process.execPath, [HOST_JS, '--data', dataDir, '--port', port, ...demo], {
      cwd: REPO_ROOT,
      // stops with this test process however that ends (a cut-short run left 100k demo hosts working);
      // cheaper password hashing keeps sign-ins quick on a loaded CI machine (the cost itself is unit-tested)
      env: { ...env, ...stopWithTest(), KEYUAN_ADMIN_PASSWORD: opts.adminPassword, KEYUAN_SCRYPT_COST: '1024' },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    return { child, url: await readyUrl(child, opts.startTimeoutMs ?? 30_000) }
  }
  let { child, url } = await run('0')
  const stopProcess = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return
    const exited = new Promise((done) => child.once('exit', done))
    child.kill('SIGTERM')
    await exited
  }
  return {
    url,
    dataDir,
    stopProcess,
    restart: async () => {
      await stopProcess()
      const again = await run(new URL(url).port)
      child = again.child
      url = again.url
    },
    stop: async () => {
      await stopProcess()
      fs.rmSync(dataDir, { recursive: true, force: true })
    },
  }
}

function readyUrl(child: ChildProcess, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = ''
    let err = ''
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`the host did not start within ${timeoutMs / 1000} s\n${out}${err}`))
    }, timeoutMs)
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString()
      const m = /ready in \d+ ms: (http:\/\/\S+)/.exec(out)
      if (m?.[1]) {
        clearTimeout(timer)
        resolve(m[1])
      }
    })
    child.stderr?.on('data', (d: Buffer) => {
      err += d.toString()
    })
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`the host exited with code ${code} before it was ready\n${out}${err}`))
    })
  })
}
