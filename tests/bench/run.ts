import os from 'node:os'
import { performance } from 'node:perf_hooks'
import { apiOverhead } from './api-overhead.bench'
import { backupBench } from './backup.bench'
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
import { procStat } from '../helpers/proc-stat'

/**
 * Runs the benchmarks: `npm run bench` for all, `npm run bench -- api cold` for those whose
 * name contains one of the words. Prints figures; never fails on a missed target.
 */
const ALL: Benchmark[] = [apiOverhead, encryptedVsPlain, coldStart, clientsBench, schedulerBench, jobsBench, boardBench, terminalsBench, exportBench, clientImportBench, reportsBench, standbyBench, backupBench]

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

/** How many processes above this one the bench watches: tsx's launcher, the `sh -c` npm runs scripts with, npm. */
const LAUNCHERS = 3

/**
 * `npm run bench` is npm -> sh -> tsx -> this process, and tsx's child outlives tsx: killing npm,
 * its sh or tsx left this bench, and the host it spawned, working on behind whoever stopped it.
 * So the bench ends once one of those is gone; its hosts follow it (stopWithTest). Linux only.
 */
function endWithLaunchers(): void {
  const chain: Array<{ pid: number; started: string }> = []
  for (let pid = process.ppid; pid > 1 && chain.length < LAUNCHERS; ) {
    const s = procStat(pid)
    if (!s) break
    chain.push({ pid, started: s.started })
    pid = s.ppid
  }
  if (chain.length === 0) return
  const timer = setInterval(() => {
    const gone = chain.find((c) => {
      const s = procStat(c.pid)
      return !s || s.state === 'Z' || s.started !== c.started
    })
    if (!gone) return
    clearInterval(timer)
    console.error(`\nbench: the launching process ${gone.pid} exited: ending the bench (its hosts stop with it)`)
    process.exit(130)
  }, 500)
  timer.unref()
}

if (process.platform === 'linux') endWithLaunchers()
void main()
