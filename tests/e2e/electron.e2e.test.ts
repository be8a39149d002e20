import fs from 'node:fs'
import { createRequire } from 'node:module'
import os from 'node:os'
import path from 'node:path'
import { _electron } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { ensureBuilt, REPO_ROOT } from './support/built-host'

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
  console.warn(`[e2e] skipping the Electron smoke test: ${electron.missing} (install without ELECTRON_SKIP_BINARY_DOWNLOAD to run it)`)
}

describe.skipIf('missing' in electron)('Electron shell', () => {
  it('opens a window titled 客源', async () => {
    ensureBuilt()
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'keyuan-electron-'))
    const app = await _electron.launch({
      executablePath: 'path' in electron ? electron.path : undefined,
      args: [...(process.getuid?.() === 0 ? ['--no-sandbox'] : []), 'out/main/index.js'],
      cwd: REPO_ROOT,
      // userData under a temp XDG config folder, so the test never touches a real branch database
      env: { ...process.env, XDG_CONFIG_HOME: home, KEYUAN_ADMIN_PASSWORD: 'e2e-admin-pass' },
      timeout: 60_000,
    })
    try {
      const win = await app.firstWindow()
      await win.waitForLoadState('domcontentloaded')
      expect(await win.title()).toContain('客源')
    } finally {
      await app.close()
      fs.rmSync(home, { recursive: true, force: true })
    }
  })
})
