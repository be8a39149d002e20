import fs from 'node:fs'
import { createRequire } from 'node:module'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { _electron } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { ensureBuilt, REPO_ROOT } from './support/built-host'
import { ADMIN_PASSWORD, shot, signIn } from './support/pages'

/** The Electron binary, or why there is none (ELECTRON_SKIP_BINARY_DOWNLOAD leaves only the npm stub). */
function electronBinary(): { path: string } | { missing: string } {
  try {
    const bin: unknown = createRequire(import.meta.url)('electron')
    if (typeof bin === 'string' && fs.existsSync(bin)) return { path: bin }
    return { missing: `the Electron binary ${String(bin)} does not exist` }
  } catch (err) {
    return { missing: (err as Error).message }
  }
}

const electron = electronBinary()
if ('missing' in electron) {
  console.warn(`[e2e] skipping the Electron tests (window, first start, host restart): ${electron.missing} (install without ELECTRON_SKIP_BINARY_DOWNLOAD to run it)`)
}

/** A TCP port free on every address now (the app checks it again before its host listens). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer()
    probe.once('error', reject)
    probe.listen(0, '0.0.0.0', () => {
      const { port } = probe.address() as net.AddressInfo
      probe.close(() => resolve(port))
    })
  })
}

/**
 * Starts the built app with its user data under a temp XDG config folder (so it never touches a
 * real branch database), the key in a key file there (a CI machine has no OS keyring, and the
 * key-store dialog would wait for a click), and its host on a free LAN port (KEYUAN_LAN_PORT), not
 * 8640, where a host already running on this machine would make it stop at "port taken".
 */
async function launchDesktop(home: string) {
  const lanPort = await freePort()
  return _electron.launch({
    executablePath: 'path' in electron ? electron.path : undefined,
    args: [...(process.getuid?.() === 0 ? ['--no-sandbox'] : []), 'out/main/index.js'],
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      XDG_CONFIG_HOME: home,
      KEYUAN_ADMIN_PASSWORD: ADMIN_PASSWORD,
      KEYUAN_SCRYPT_COST: '1024',
      KEYUAN_DESKTOP_KEY_FILE: path.join(home, 'key', 'keyuan.key'),
      KEYUAN_LAN_PORT: String(lanPort),
    },
    timeout: 60_000,
  })
}

describe.skipIf('missing' in electron)('Electron shell', () => {
  it('opens a window titled 客源', async () => {
    ensureBuilt()
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'keyuan-electron-'))
    const app = await launchDesktop(home)
    try {
      const win = await app.firstWindow()
      await win.waitForLoadState('domcontentloaded')
      expect(await win.title()).toContain('客源')
    } finally {
      await app.close()
      fs.rmSync(home, { recursive: true, force: true })
    }
  })

  it('shows the first admin sign-in in the window on a new database, and restarts a host that dies while the window reconnects', async () => {
    ensureBuilt()
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'keyuan-electron-'))
    const app = await launchDesktop(home)
    try {
      const win = await app.firstWindow()
      await win.getByTestId('first-run').waitFor()
      expect(await win.getByTestId('first-run-password').innerText()).toBe(ADMIN_PASSWORD)
      await win.getByRole('button', { name: '我已记下，去登录' }).click()
      await signIn(win, 'admin', { password: ADMIN_PASSWORD })
      const url = win.url()

      // the host dies as a crash would (the utility process is listed under its serviceName)
      const hostPid = () => app.evaluate(({ app: electronApp }) => electronApp.getAppMetrics().find((m) => m.name === 'Keyuan host')?.pid ?? null)
      const pid = await hostPid()
      expect(pid).not.toBeNull()
      process.kill(pid!, 'SIGKILL')
      await win.getByTestId('connection-banner').waitFor()
      await shot(win, 'electron-host-restarting')

      // restarted on the same port: the same page, still signed in
      await win.getByTestId('connection-banner').waitFor({ state: 'detached', timeout: 60_000 })
      expect(win.url()).toBe(url)
      expect(await win.getByTestId('user-menu').innerText()).toContain('管理员')
      await expect.poll(hostPid).not.toBeNull()
      expect(await hostPid()).not.toBe(pid)
    } finally {
      await app.close()
      fs.rmSync(home, { recursive: true, force: true })
    }
  })
})
