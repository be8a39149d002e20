import { createRequire } from 'node:module'
import path from 'node:path'
import type { startHost as StartHost } from '../../../electron/host/host'
import { bundleHostEntry } from '../../worker-bundle'

const ROOT = path.resolve(__dirname, '..', '..', '..')
/** Where the run's bundle goes (git-ignored .tmp): the host and, beside it, its worker threads' scripts (threadScript finds them there). */
const OUT = path.join(ROOT, '.tmp', 'bench-host')

/** The host's code: as built (default) or from the sources through tsx (KEYUAN_BENCH_SOURCE=1). */
export const BENCH_HOST_CODE = process.env.KEYUAN_BENCH_SOURCE === '1' ? 'sources (tsx)' : 'built (esbuild bundle)'

let built: Promise<typeof StartHost> | null = null

/**
 * startHost as the product runs it, for benchmarks that hold a call's fixed cost against raw SQL.
 * The benches themselves run through tsx, which compiles with esbuild's keepNames: every closure a
 * call makes is named again (an Object.defineProperty each; the dispatcher makes about ten a call)
 * and every import is read through a getter. That is 10-15% of a 0.1 ms search's CPU that the
 * shipped bundle (electron-vite, no keepNames) does not pay. So the host and its worker are bundled
 * once a run the way the test run bundles its workers (tests/worker-bundle.ts bundleHostEntry);
 * libraries stay in node_modules, as in the product. KEYUAN_BENCH_SOURCE=1 runs the sources instead.
 */
export function benchStartHost(): Promise<typeof StartHost> {
  built ??= (async () => {
    if (process.env.KEYUAN_BENCH_SOURCE === '1') return (await import('../../../electron/host/host')).startHost
    await Promise.all(
      [
        ['electron/host/host.ts', 'host.cjs'],
        ['electron/host/db/sqlite-worker.ts', 'sqlite-worker.js'],
        ['electron/host/domains/imports/import-check-worker.ts', 'import-check-worker.js'],
      ].map(([entry, file]) => bundleHostEntry(entry!, path.join(OUT, file!))),
    )
    const hostModule = createRequire(__filename)(path.join(OUT, 'host.cjs')) as typeof import('../../../electron/host/host')
    return hostModule.startHost
  })()
  return built
}
