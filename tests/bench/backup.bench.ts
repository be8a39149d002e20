/**
 * Backup and restore of the clients benchmark's book (100,000 clients, 1,000,000 follow-ups):
 * `npm run bench -- backup` (issue #18's proof: "backup of a 100,000-client database: time,
 * size; restore + verify: time, result").
 *
 * - backup.create through the API, timed until backup.list no longer shows it running (copy,
 *   checks, checksum, manifest, rotation), against the same copy made raw in the same run: one
 *   `VACUUM INTO` on a keyed connection to the same file (what the product's copy step is);
 * - backup.restore of that backup through the API (checksum, copy, open with the key,
 *   integrity_check, schema, audit chain, swap), against its raw core in the same run: the file
 *   copied and `PRAGMA integrity_check` on the copy.
 *
 * The machine's load is printed beside them; printed, never asserted.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import Database from 'better-sqlite3-multiple-ciphers'
import { ManualClock } from '../../electron/host/clock'
import { unlockConnection } from '../../electron/host/db/connection-setup'
import { resolveHeadlessKey } from '../../electron/host/db/key-file'
import { startHost, type Host } from '../../electron/host/host'
import { ADMIN_PASSWORD, copyOfClientsData, NOW } from './clients.bench'
import { fmtMs, fmtRatio, printTable, type Benchmark, type SummaryRow } from './lib/stats'

const MB = 1024 * 1024
const load = () => os.loadavg().map((l) => l.toFixed(2)).join(' ')

/** Raw VACUUM INTO on a keyed connection to the live file: the copy alone, as the product makes it. */
function rawCopy(file: string, keyHex: string, target: string): number {
  const sqlite = new Database(file, { readonly: true })
  try {
    unlockConnection(sqlite, keyHex)
    const t0 = performance.now()
    sqlite.prepare('VACUUM INTO ?').run(target)
    return performance.now() - t0
  } finally {
    sqlite.close()
  }
}

/** Raw core of a restore's check: the file copied, then integrity_check on the copy. */
function rawVerify(file: string, keyHex: string, scratch: string): { ms: number; result: string } {
  const t0 = performance.now()
  fs.copyFileSync(file, scratch)
  const sqlite = new Database(scratch, { readonly: true })
  try {
    unlockConnection(sqlite, keyHex)
    const rows = sqlite.prepare('PRAGMA integrity_check(5)').all() as Array<{ integrity_check: string }>
    return { ms: performance.now() - t0, result: rows.map((r) => r.integrity_check).join('; ') }
  } finally {
    sqlite.close()
    fs.rmSync(scratch, { force: true })
  }
}

/** Clients in the live file, read on a connection of its own (after a restore swapped it). */
function countClients(file: string, keyHex: string): number {
  const sqlite = new Database(file, { readonly: true })
  try {
    unlockConnection(sqlite, keyHex)
    return (sqlite.prepare('SELECT count(*) AS n FROM clients').get() as { n: number }).n
  } finally {
    sqlite.close()
  }
}

/** backup.create, then backup.list until it is done; the new backup's name and size. */
async function timedBackup(host: Host, admin: ReturnType<Host['client']>): Promise<{ ms: number; name: string; bytes: number }> {
  const t0 = performance.now()
  await admin.call('backup.create', {})
  for (;;) {
    const list = await admin.call('backup.list', {})
    if (list.running === null) {
      if (list.lastFailure) throw new Error(`backup failed: ${JSON.stringify(list.lastFailure)}`)
      const newest = list.backups[0]
      if (!newest) throw new Error('backup.list shows no backup after backup.create')
      return { ms: performance.now() - t0, name: newest.name, bytes: newest.bytes }
    }
    await new Promise((r) => setTimeout(r, 50))
  }
}

export const backupBench: Benchmark = {
  name: 'backup',
  description: 'backup and restore + verify of the clients benchmark book (100,000 clients) through the API vs raw VACUUM INTO / copy + integrity_check on the same file',
  async run(): Promise<SummaryRow[]> {
    const copy = await copyOfClientsData('backup')
    const env = { KEYUAN_ADMIN_PASSWORD: ADMIN_PASSWORD }
    const { keyHex } = resolveHeadlessKey(copy, env)
    const file = path.join(copy, 'keyuan.db')
    const host = await startHost({ dataDir: copy, noServer: true, port: 0, schedulerIntervalMs: 0, clock: new ManualClock(NOW), env })
    try {
      const admin = host.client()
      await admin.call('auth.login', { username: 'admin', password: ADMIN_PASSWORD })
      const clients = (host.database.sqlite.prepare('SELECT count(*) AS n FROM clients').get() as { n: number }).n
      const fileBytes = fs.statSync(file).size
      console.log(`book: ${clients.toLocaleString('en')} clients, ${(fileBytes / MB).toFixed(0)} MB; load ${load()}`)

      const rawTarget = path.join(copy, 'raw-copy.db')
      const rawCopyMs = rawCopy(file, keyHex, rawTarget)
      fs.rmSync(rawTarget, { force: true })
      console.log(`raw VACUUM INTO: ${fmtMs(rawCopyMs)}; load ${load()}`)
      const backup = await timedBackup(host, admin)
      console.log(`backup.create → done: ${fmtMs(backup.ms)}, ${(backup.bytes / MB).toFixed(1)} MB; load ${load()}`)

      const kept = path.join(copy, 'backups', backup.name)
      const raw = rawVerify(kept, keyHex, path.join(copy, 'raw-verify.db'))
      console.log(`raw copy + integrity_check: ${fmtMs(raw.ms)} (${raw.result}); load ${load()}`)
      const t0 = performance.now()
      const report = await admin.call('backup.restore', { name: backup.name })
      const restoreMs = performance.now() - t0
      console.log(`backup.restore: ${fmtMs(restoreMs)}, integrity ${report.integrity}, ${report.auditChecked} audit rows checked; load ${load()}`)
      const restoredClients = countClients(file, keyHex)

      printTable(
        ['measure', 'API', 'raw baseline', 'ratio', 'result'],
        [
          ['backup of the book', fmtMs(backup.ms), fmtMs(rawCopyMs), fmtRatio(backup.ms / rawCopyMs), `${(backup.bytes / MB).toFixed(1)} MB`],
          ['restore + verify', fmtMs(restoreMs), fmtMs(raw.ms), fmtRatio(restoreMs / raw.ms), `integrity ${report.integrity}, audit ${report.auditChecked} rows, ${restoredClients.toLocaleString('en')} clients`],
        ],
      )
      return [
        { bench: 'backup', measure: `backup of ${clients.toLocaleString('en')} clients`, value: `${fmtMs(backup.ms)}, ${(backup.bytes / MB).toFixed(1)} MB`, baseline: `raw VACUUM INTO ${fmtMs(rawCopyMs)}`, ratio: fmtRatio(backup.ms / rawCopyMs), target: '-', met: null },
        { bench: 'backup', measure: 'restore + verify', value: `${fmtMs(restoreMs)}, integrity ${report.integrity}`, baseline: `raw copy + integrity_check ${fmtMs(raw.ms)}`, ratio: fmtRatio(restoreMs / raw.ms), target: '-', met: null },
      ]
    } finally {
      await host.close()
      fs.rmSync(copy, { recursive: true, force: true })
    }
  },
}
