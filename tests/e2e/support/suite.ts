import fs from 'node:fs'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll } from 'vitest'
import { ensureBuilt, startBuiltHost, type BuiltHost } from './built-host'
import { e2eBrowser } from './shared-browser'
import { SHOTS } from './pages'

/** What the tests of one e2e file share: a built host on a fresh data folder, and one Chromium. */
export interface E2eSuite {
  host: BuiltHost
  browser: Browser
}

/**
 * Starts the built host and Chromium before the file's tests (then `setUp`, e.g. demo data
 * through the API) and stops both after them. The fields are set once `beforeAll` has run.
 */
export function builtHostSuite(opts: Parameters<typeof startBuiltHost>[0], setUp?: (suite: E2eSuite) => Promise<void>): E2eSuite {
  const suite = {} as E2eSuite
  beforeAll(async () => {
    ensureBuilt()
    fs.mkdirSync(SHOTS, { recursive: true })
    suite.host = await startBuiltHost(opts)
    suite.browser = await e2eBrowser()
    await setUp?.(suite)
  })
  afterAll(async () => {
    await suite.browser?.close()
    await suite.host?.stop()
  })
  return suite
}
