import path from 'node:path'
import { build } from 'esbuild'

const ROOT = path.resolve(__dirname, '..')
/** Where the run's bundle of the SQLite worker goes (git-ignored .tmp). */
const BUNDLE = path.join(ROOT, '.tmp', 'test-sqlite-worker', 'sqlite-worker.cjs')
/** The same for the thread of an import's dry run (check-thread.ts). */
const IMPORT_BUNDLE = path.join(ROOT, '.tmp', 'test-sqlite-worker', 'import-check-worker.cjs')

/**
 * Global setup of the unit and integration projects: bundles the SQLite worker thread's sources
 * once for the run and points the host at it (KEYUAN_SQLITE_WORKER_SCRIPT, see workerScript in
 * electron/host/db/worker-pool.ts), and the same for an import's check thread
 * (KEYUAN_IMPORT_WORKER_SCRIPT, check-thread.ts). Otherwise every worker thread of every test host registers tsx
 * and compiles the TypeScript again: about 0.8 s of CPU a thread, four threads a host, hundreds
 * of hosts a run. Libraries stay outside the bundle, loaded from node_modules as the host does.
 */
/**
 * One of the host's entries bundled as the product's build would (no keepNames, `@shared` resolved),
 * libraries left in node_modules: the test run's worker threads, and the benchmarks' host
 * (tests/bench/lib/built-host.ts).
 */
export function bundleHostEntry(entry: string, outfile: string) {
  return build({
    entryPoints: [path.join(ROOT, entry)],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    packages: 'external',
    alias: { '@shared': path.join(ROOT, 'shared') },
    sourcemap: 'inline',
    logLevel: 'warning',
  })
}

export default async function bundleSqliteWorker(): Promise<void> {
  await Promise.all([bundleHostEntry('electron/host/db/sqlite-worker.ts', BUNDLE), bundleHostEntry('electron/host/domains/imports/import-check-worker.ts', IMPORT_BUNDLE)])
  process.env.KEYUAN_SQLITE_WORKER_SCRIPT = BUNDLE
  process.env.KEYUAN_IMPORT_WORKER_SCRIPT = IMPORT_BUNDLE
}
