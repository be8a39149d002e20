import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import { applyFeed, ensureChangeTriggers, readFeed } from '../../electron/host/db/change-feed'
import { openDatabase, type OpenedDatabase } from '../../electron/host/db/open'
import type { ProcedureContext } from '../../electron/host/db/procedures'
import { fmtMs, fmtRatio, median, printTable, type Benchmark, type SummaryRow } from './lib/stats'

// The host's cost of the standby's feed (issue #18 item 9): write transactions with the feed's
// triggers vs the same without them (same run, same schema), and the cost of one pull of N
// changed rows (read on the host, applied on the standby). Small by default;
// KEYUAN_BENCH_STANDBY_ROWS=100000 for a full-size backlog.

const ROWS = Number(process.env.KEYUAN_BENCH_STANDBY_ROWS ?? 10_000)
const TX = 2_000
const ROUNDS = 3
/** the triggers may add at most this much to a small write transaction */
const TARGET_RATIO = 1.5
const KEY = 'c'.repeat(64)

const TABLE = `CREATE TABLE bench_rows (id INTEGER PRIMARY KEY, name TEXT NOT NULL, n INTEGER NOT NULL, at TEXT NOT NULL) STRICT`

function freshDb(dir: string, name: string, fed: boolean): OpenedDatabase {
  const db = openDatabase(path.join(dir, name), KEY)
  db.sqlite.exec(TABLE)
  if (fed) db.sqlite.transaction(() => ensureChangeTriggers(db.sqlite))()
  return db
}

/** TX transactions of 5 inserts and 1 update each (an API write's shape: a row, its history, an audit row). */
function writes(db: OpenedDatabase, from: number): number {
  const ins = db.sqlite.prepare('INSERT INTO bench_rows (name, n, at) VALUES (?, ?, ?)')
  const upd = db.sqlite.prepare('UPDATE bench_rows SET n = n + 1 WHERE id = ?')
  const tx = db.sqlite.transaction((i: number) => {
    for (let k = 0; k < 5; k++) ins.run(`客户${i}-${k}`, i, new Date().toISOString())
    upd.run(i + 1)
  })
  const t0 = performance.now()
  for (let i = from; i < from + TX; i++) tx(i)
  return performance.now() - t0
}

function contextOf(db: OpenedDatabase): ProcedureContext {
  return { prepare: (sql) => db.sqlite.prepare(sql), exec: (sql) => void db.sqlite.exec(sql), snapshot: (read) => db.sqlite.transaction(read).deferred() }
}

async function run(): Promise<SummaryRow[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keyuan-bench-standby-'))
  try {
    const fed = freshDb(dir, 'fed.db', true)
    const plain = freshDb(dir, 'plain.db', false)
    // the plain one has no triggers on its own table; the schema's own tables keep theirs (unused here)
    const fedMs: number[] = []
    const plainMs: number[] = []
    writes(fed, 0)
    writes(plain, 0)
    for (let r = 1; r <= ROUNDS; r++) {
      plainMs.push(writes(plain, r * TX))
      fedMs.push(writes(fed, r * TX))
    }
    const perTx = (ms: number) => (ms / TX) * 1000
    const ratio = median(fedMs) / median(plainMs)

    // a pull of ROWS changed rows: the host reads them in one snapshot, the standby applies them
    const standby = openDatabase(path.join(dir, 'standby.db'), KEY)
    standby.sqlite.exec(TABLE)
    standby.sqlite.pragma('foreign_keys = OFF')
    const seq = Number(fed.sqlite.prepare('SELECT max(seq) FROM change_log').pluck().get())
    standby.sqlite.prepare('INSERT INTO standby_cursor (id, host_url, seq, pulled_at) VALUES (1, ?, ?, ?)').run('bench', seq, 'bench')
    const ins = fed.sqlite.prepare('INSERT INTO bench_rows (name, n, at) VALUES (?, ?, ?)')
    fed.sqlite.transaction(() => {
      for (let i = 0; i < ROWS; i++) ins.run(`新客户${i}`, i, new Date().toISOString())
    })()
    const t0 = performance.now()
    const batch = readFeed(contextOf(fed), { after: seq, schemaVersion: fed.schemaVersion, now: new Date().toISOString(), limit: ROWS })
    const readMs = performance.now() - t0
    const bytes = JSON.stringify(batch).length
    if (batch.status !== 'changes') throw new Error(`the feed answered ${batch.status}`)
    const t1 = performance.now()
    applyFeed(standby.sqlite, batch, 'bench', new Date().toISOString())
    const applyMs = performance.now() - t1
    await Promise.all([fed.close(), plain.close(), standby.close()])

    printTable(
      ['measure', 'value'],
      [
        [`write tx (5 inserts + 1 update), no feed triggers`, `${perTx(median(plainMs)).toFixed(0)} µs`],
        [`write tx (5 inserts + 1 update), with feed triggers`, `${perTx(median(fedMs)).toFixed(0)} µs (${fmtRatio(ratio)})`],
        [`pull of ${ROWS} changed rows: read on the host (one snapshot)`, fmtMs(readMs)],
        [`pull of ${ROWS} changed rows: JSON size`, `${(bytes / 1024 / 1024).toFixed(1)} MB`],
        [`pull of ${ROWS} changed rows: apply on the standby (one transaction)`, fmtMs(applyMs)],
      ],
    )
    return [
      {
        bench: 'standby',
        measure: `write tx with feed triggers (median of ${ROUNDS} x ${TX})`,
        value: `${perTx(median(fedMs)).toFixed(0)} µs`,
        baseline: `${perTx(median(plainMs)).toFixed(0)} µs`,
        ratio: fmtRatio(ratio),
        target: `≤ ${TARGET_RATIO}x`,
        met: ratio <= TARGET_RATIO,
      },
      { bench: 'standby', measure: `pull read of ${ROWS} rows (host)`, value: fmtMs(readMs), baseline: '', ratio: '', target: '', met: null },
      { bench: 'standby', measure: `pull apply of ${ROWS} rows (standby)`, value: fmtMs(applyMs), baseline: '', ratio: '', target: '', met: null },
    ]
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
}

export const standbyBench: Benchmark = {
  name: 'standby',
  description: "the standby feed's cost on the host: write tx with vs without its triggers, one pull of N changes (read + apply)",
  run,
}
