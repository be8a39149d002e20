import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { ManualClock, type Clock } from '../../electron/host/clock'
import { startHost, type Host } from '../../electron/host/host'

export const ADMIN_PASSWORD = 'admin-test-pass'

export function tempDir(prefix = 'keyuan-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix))
}

/** A real host on a fresh encrypted database in a temp folder; `admin` / ADMIN_PASSWORD. */
export async function startTempHost(
  opts: { clock?: Clock; withServer?: boolean; rendererDir?: string; demo?: boolean; readers?: number; log?: (msg: string, err?: unknown) => void } = {},
): Promise<Host & { cleanup(): Promise<void> }> {
  const dataDir = tempDir()
  const host = await startHost({
    dataDir,
    clock: opts.clock ?? new ManualClock(new Date('2026-11-25T02:00:00Z')),
    noServer: !opts.withServer,
    rendererDir: opts.rendererDir ?? path.resolve(__dirname, '../../out/renderer'),
    demo: opts.demo ?? false,
    env: { KEYUAN_ADMIN_PASSWORD: ADMIN_PASSWORD },
    schedulerIntervalMs: 0,
    readers: opts.readers,
    log: opts.log,
  })
  return Object.assign(host, {
    cleanup: async () => {
      await host.close()
      fs.rmSync(dataDir, { recursive: true, force: true })
    },
  })
}
