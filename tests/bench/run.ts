import os from 'node:os'
import { performance } from 'node:perf_hooks'
import { apiOverhead } from './api-overhead.bench'
import { boardBench } from './board.bench'
import { clientsBench } from './clients.bench'
import { clientImportBench } from './client-import.bench'
import { coldStart } from './cold-start.bench'
import { encryptedVsPlain } from './encrypted-vs-plain.bench'
import { exportBench } from './export.bench'
import { jobsBench } from './jobs.bench'
import { reportsBench } from './reports.bench'
import { schedulerBench } from './scheduler.bench'
import { standbyBench } from './standby.bench'
import { terminalsBench } from './terminals.bench'
import { fmtMs, printSummary, type Benchmark, type SummaryRow } from './lib/stats'

/**
 * Runs the benchmarks: `npm run bench` for all, `npm run bench -- api cold` for those whose
 * name contains one of the words. Prints figures; never fails on a missed target.
 */
const ALL: Benchmark[] = [apiOverhead, encryptedVsPlain, coldStart, clientsBench, schedulerBench, jobsBench, boardBench, terminalsBench, exportBench, clientImportBench, reportsBench, standbyBench]

async function main() {
  const words = process.argv.slice(2).map((w) => w.toLowerCase())
  if (words.includes('--help') || words.includes('-h')) {
    console.log('Usage: npm run bench [-- <name>...]\n')
    for (const b of ALL) console.log(`  ${b.name.padEnd(20)} ${b.description}`)
    return
  }
  const chosen = words.length === 0 ? ALL : ALL.filter((b) => words.some((w) => b.name.includes(w)))
  if (chosen.length === 0) {
    console.error(`no benchmark matches ${words.join(', ')}; known: ${ALL.map((b) => b.name).join(', ')}`)
    process.exitCode = 2
    return
  }

  const load = os.loadavg().map((l) => l.toFixed(2)).join(' ')
  console.log(`Keyuan benchmarks: node ${process.version}, ${os.cpus().length} cpus, load ${load}`)
  const rows: SummaryRow[] = []
  const failed: string[] = []
  for (const b of chosen) {
    console.log(`\n=== ${b.name}: ${b.description}\n`)
    const t0 = performance.now()
    try {
      rows.push(...(await b.run()))
    } catch (err) {
      failed.push(b.name)
      console.error(`${b.name} failed:`, err)
    }
    console.log(`\n(${b.name} took ${fmtMs(performance.now() - t0)})`)
  }

  console.log('\n=== summary (value: p50 / p95 / mean unless named; ratio = value / same-run baseline)\n')
  printSummary(rows)
  if (failed.length > 0) {
    console.error(`\nbenchmarks that did not complete: ${failed.join(', ')}`)
    process.exitCode = 1
  }
}

void main()
