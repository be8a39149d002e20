// `npm test`: type-check, lint, build, then every vitest project (unit, integration, e2e);
// ends with one line `N passed, N failed`.
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'

const root = path.resolve(import.meta.dirname, '..')
const bin = (name) => path.join(root, 'node_modules', '.bin', name)
/** Runs a step with its output shown as it comes (asynchronously: a step beside it is timed and heard meanwhile). */
const run = (label, cmd, args) =>
  new Promise((resolve) => {
    const t = Date.now()
    spawn(cmd, args, { cwd: root, stdio: 'inherit' }).on('close', (code) => {
      console.log(`${label}: ${code === 0 ? 'ok' : 'FAILED'} (${((Date.now() - t) / 1000).toFixed(1)} s)`)
      resolve(code === 0)
    })
  })
/** Runs a step with its output held back, then prints it whole: steps run side by side stay readable. */
const runQuiet = (label, cmd, args) =>
  new Promise((resolve) => {
    const t = Date.now()
    const child = spawn(cmd, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    child.stdout.on('data', (d) => (out += d))
    child.stderr.on('data', (d) => (out += d))
    child.on('close', (code) => {
      if (out.trim() !== '') process.stdout.write(out.endsWith('\n') ? out : `${out}\n`)
      console.log(`${label}: ${code === 0 ? 'ok' : 'FAILED'} (${((Date.now() - t) / 1000).toFixed(1)} s)`)
      resolve(code === 0)
    })
  })

// type-check (one project per layer, tsconfig.json lists them; incremental, declarations go to
// .tmp/tsbuild), lint and build (when stale) are independent: side by side they take the time of
// the longest instead of the sum. The type-check of a clean clone outlasts the other two by about
// a minute on one core, so the unit and integration tests (which need neither its output nor the
// build) start beside its end, and its verdict is taken before the browser tests.
const typecheck = runQuiet('typecheck', bin('tsc'), ['-b', 'tsconfig.json'])
const [lintOk, buildOk] = await Promise.all([
  runQuiet('lint', bin('eslint'), ['--max-warnings=0', '.']),
  runQuiet('build', process.execPath, [path.join(root, 'scripts/build-if-stale.mjs')]),
])
if (!buildOk) {
  await typecheck
  process.exit(1)
}
let ok = lintOk
// unit + integration first, then the browser tests on their own: run side by side on a
// 2-core machine, the Chromium tests starve and time out
const extra = process.argv.slice(2)
let passed = 0
let failed = 0
let skipped = 0
for (const [label, projects] of [
  ['vitest (unit, integration)', ['--project', 'unit', '--project', 'integration', '--project', 'integration-isolated']],
  ['vitest (e2e)', ['--project', 'e2e', '--project', 'e2e-alone']],
]) {
  // the type-check's verdict once the unit and integration tests are done (its output and time are
  // printed when it ends, among theirs)
  if (label === 'vitest (e2e)') ok = (await typecheck) && ok
  const report = path.join(root, '.tmp', `vitest-report-${projects.length}.json`)
  fs.mkdirSync(path.dirname(report), { recursive: true })
  fs.rmSync(report, { force: true })
  ok = (await run(label, bin('vitest'), ['run', ...projects, '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...extra])) && ok
  if (fs.existsSync(report)) {
    const r = JSON.parse(fs.readFileSync(report, 'utf8'))
    passed += r.numPassedTests
    failed += r.numFailedTests
    skipped += r.numPendingTests + (r.numTodoTests ?? 0)
  }
}
if (!ok && failed === 0) failed = 1 // a type, lint or build failure counts
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`)
process.exit(ok && failed === 0 ? 0 : 1)
