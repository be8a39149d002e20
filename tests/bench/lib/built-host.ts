import { createRequire } from 'node:module'
import path from 'node:path'
import { build } from 'esbuild'
import type { startHost as StartHost } from '../../../electron/host/host'

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
 * once a run with the same esbuild settings as the test run's worker (tests/worker-bundle.ts);
 * libraries stay in node_modules, as in the product. KEYUAN_BENCH_SOURCE=1 runs the sources instead.
 */
export function benchStartHost(): Promise<typeof StartHost> {
  built ??= (async () => {
    if (process.env.KEYUAN_BENCH_SOURCE === '1') return (await import('../../../electron/host/host')).startHost
    for (const [entry, file] of [
      ['electron/host/host.ts', 'host.cjs'],
      ['electron/host/db/sqlite-worker.ts', 'sqlite-worker.js'],
      ['electron/host/domains/imports/import-check-worker.ts', 'import-check-worker.js'],
    ] as const) {
      await build({
        entryPoints: [path.join(ROOT, entry)],
        outfile: path.join(OUT, file),
        bundle: true,
        platform: 'node',
        format: 'cjs',
        target: 'node20',
        packages: 'external',
        alias: { '@shared': path.join(ROOT, 'shared') },
        logLevel: 'warning',
      })
    }
    const hostModule = createRequire(__filename)(path.join(OUT, 'host.cjs')) as typeof import('../../../electron/host/host')
    return hostModule.startHost
  })()
  return built
}
