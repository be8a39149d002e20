import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import Database from 'better-sqlite3-multiple-ciphers'
import { Random } from '../../electron/host/demo/random'
import {
  fmtMs,
  fmtRatio,
  fmtStats,
  median,
  printTable,
  summarize,
  verdict,
  type Benchmark,
  type SummaryRow,
} from './lib/stats'

const ROWS = 100_000
const LOOKUPS = 20_000
const LOOKUP_WARMUP = 2_000
const ROUNDS = 5
const LOOKUP_PASSES = 2
const TARGET_RATIO = 1.3

type Sqlite = InstanceType<typeof Database>
type Variant = 'plain' | 'encrypted'
type Row = [string, string, string, string, string, string, number, number, number, number, number, string, string, string, string]

// A client-book row as the clients domain will store it: money in fen, areas in 0.01 m².
const SCHEMA = `
  CREATE TABLE clients (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    phone TEXT NOT NULL UNIQUE,
    gender TEXT NOT NULL,
    source TEXT NOT NULL,
    intent TEXT NOT NULL,
    district TEXT NOT NULL,
    budget_min_fen INTEGER NOT NULL,
    budget_max_fen INTEGER NOT NULL,
    area_min INTEGER NOT NULL,
    area_max INTEGER NOT NULL,
    owner_id INTEGER NOT NULL,
    status TEXT NOT NULL,
    notes TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 0
  ) STRICT;
  CREATE INDEX clients_owner ON clients(owner_id, updated_at);
`
const INSERT = `INSERT INTO clients (name, phone, gender, source, intent, district, budget_min_fen, budget_max_fen,
  area_min, area_max, owner_id, status, notes, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`
const LOOKUP = 'SELECT id, name, phone, owner_id, status, updated_at FROM clients WHERE phone = ?'

/** A seeded generator (the demo's mulberry32) so every run inserts and looks up the same data. */
function seeded(seed: number): () => number {
  const r = new Random(seed)
  return () => r.next()
}

function generateRows(n: number, rand: () => number): Row[] {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!
  const surnames = ['王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周', '徐', '孙', '马', '朱', '胡', '郭']
  const given = ['伟', '芳', '娜', '敏', '静', '丽', '强', '磊', '军', '洋', '勇', '艳', '杰', '娟', '涛', '明', '超', '秀英']
  const districts = ['浦东新区', '徐汇区', '长宁区', '静安区', '普陀区', '虹口区', '杨浦区', '闵行区', '宝山区', '嘉定区']
  const notePhrases = ['想要学区房', '预算可以再谈', '周末看房', '需要电梯', '首套', '改善型', '急售客户介绍', '考虑地铁沿线', '已看过三套', '等年终奖']
  const prefixes = ['130', '131', '132', '133', '135', '136', '137', '138', '139', '150', '151', '158', '159', '177', '186', '188', '199']
  const phones = new Set<string>()
  const rows: Row[] = []
  const base = Date.UTC(2024, 0, 1)
  while (rows.length < n) {
    const phone = pick(prefixes) + String(Math.floor(rand() * 1e8)).padStart(8, '0')
    if (phones.has(phone)) continue
    phones.add(phone)
    const budget = (100 + Math.floor(rand() * 900)) * 10_000 * 100
    const area = (40 + Math.floor(rand() * 160)) * 100
    const created = base + Math.floor(rand() * 700 * 86_400_000)
    const notes = Array.from({ length: 2 + Math.floor(rand() * 4) }, () => pick(notePhrases)).join('，')
    rows.push([
      pick(surnames) + pick(given),
      phone,
      rand() < 0.5 ? 'male' : 'female',
      pick(['walk_in', 'referral', 'web', 'phone', 'old_client']),
      rand() < 0.8 ? 'buy' : 'rent',
      pick(districts),
      budget,
      Math.round(budget * 1.2),
      area,
      area + 2000,
      1 + Math.floor(rand() * 30),
      pick(['new', 'following', 'viewing', 'negotiating', 'closed', 'lost']),
      notes,
      new Date(created).toISOString(),
      new Date(created + Math.floor(rand() * 30 * 86_400_000)).toISOString(),
    ])
  }
  return rows
}

/** Opens a store with openDatabase's pragmas; without a key the file stays plain SQLite. */
function openStore(file: string, keyHex: string | null): Sqlite {
  const sqlite = new Database(file)
  if (keyHex) {
    sqlite.pragma(`cipher='sqlcipher'`)
    sqlite.pragma('legacy=4')
    sqlite.pragma(`key="x'${keyHex}'"`)
  }
  sqlite.prepare('SELECT count(*) FROM sqlite_master').get()
  sqlite.pragma('journal_mode = WAL')
  sqlite.pragma('synchronous = NORMAL')
  sqlite.pragma('foreign_keys = ON')
  sqlite.pragma('busy_timeout = 5000')
  sqlite.pragma('temp_store = MEMORY')
  return sqlite
}

function isPlainSqliteFile(file: string): boolean {
  const head = Buffer.alloc(16)
  const fd = fs.openSync(file, 'r')
  try {
    fs.readSync(fd, head, 0, 16, 0)
  } finally {
    fs.closeSync(fd)
  }
  return head.toString('latin1') === 'SQLite format 3\0'
}

interface Built {
  dir: string
  file: string
  keyHex: string | null
  rowsMs: number
  commitMs: number
  cpuMs: number
  fileBytes: number
}

/** CPU time of this process in ms: steadier than wall time when other tenants compete for the cores. */
function cpuMs(): number {
  const u = process.cpuUsage()
  return (u.user + u.system) / 1000
}

/** Inserts all rows in one transaction into a new file; times the statements and the COMMIT apart. */
function build(variant: Variant, rows: readonly Row[]): Built {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `keyuan-bench-${variant}-`))
  const file = path.join(dir, 'bench.db')
  const keyHex = variant === 'encrypted' ? randomBytes(32).toString('hex') : null
  const sqlite = openStore(file, keyHex)
  try {
    sqlite.exec(SCHEMA)
    const insert = sqlite.prepare(INSERT)
    const begin = sqlite.prepare('BEGIN')
    const commit = sqlite.prepare('COMMIT')
    const c0 = cpuMs()
    const t0 = performance.now()
    begin.run()
    for (const r of rows) insert.run(r)
    const t1 = performance.now()
    // COMMIT writes the pages to the WAL and, past 1000 pages, checkpoints them into the file.
    commit.run()
    const t2 = performance.now()
    const c2 = cpuMs()
    sqlite.close()
    if (isPlainSqliteFile(file) !== (variant === 'plain')) throw new Error(`the ${variant} file has the wrong header`)
    return { dir, file, keyHex, rowsMs: t1 - t0, commitMs: t2 - t1, cpuMs: c2 - c0, fileBytes: fs.statSync(file).size }
  } catch (err) {
    if (sqlite.open) sqlite.close()
    fs.rmSync(dir, { recursive: true, force: true })
    throw err
  }
}

/** Times each lookup of one pass; throws if a phone is not found. */
function lookupPass(lookup: Database.Statement, phones: readonly string[]): number[] {
  const samples = new Array<number>(phones.length)
  for (let i = 0; i < phones.length; i++) {
    const t = performance.now()
    const found = lookup.get(phones[i])
    samples[i] = performance.now() - t
    if (!found) throw new Error(`phone ${phones[i]} not found`)
  }
  return samples
}

interface RoundResult {
  insertMs: number
  rowsMs: number
  commitMs: number
  insertCpuMs: number
  /** ms of each full pass of LOOKUPS lookups. */
  passMs: number[]
  passCpuMs: number[]
  lookupSamples: number[]
  fileBytes: number
}

/** Builds both files, then runs their lookup passes interleaved on fresh connections. */
function runRound(round: number, rows: readonly Row[], lookups: readonly string[], warmup: readonly string[]) {
  // Alternate which goes first so neither always gets the quieter half of a round.
  const order: Variant[] = round % 2 === 0 ? ['plain', 'encrypted'] : ['encrypted', 'plain']
  const built = new Map<Variant, Built>()
  const opened = new Map<Variant, Sqlite>()
  try {
    for (const v of order) built.set(v, build(v, rows))
    const result = new Map<Variant, RoundResult>()
    const statements = new Map<Variant, Database.Statement>()
    for (const v of order) {
      const b = built.get(v)!
      // A fresh connection: lookups start from a cold page cache, as after an app start.
      const sqlite = openStore(b.file, b.keyHex)
      opened.set(v, sqlite)
      const lookup = sqlite.prepare(LOOKUP)
      for (const p of warmup) lookup.get(p)
      statements.set(v, lookup)
      result.set(v, {
        insertMs: b.rowsMs + b.commitMs,
        rowsMs: b.rowsMs,
        commitMs: b.commitMs,
        insertCpuMs: b.cpuMs,
        passMs: [],
        passCpuMs: [],
        lookupSamples: [],
        fileBytes: b.fileBytes,
      })
    }
    for (let pass = 0; pass < LOOKUP_PASSES; pass++) {
      for (const v of pass % 2 === 0 ? order : [...order].reverse()) {
        const r = result.get(v)!
        const c0 = cpuMs()
        const t0 = performance.now()
        const samples = lookupPass(statements.get(v)!, lookups)
        r.passMs.push(performance.now() - t0)
        r.passCpuMs.push(cpuMs() - c0)
        r.lookupSamples.push(...samples)
      }
    }
    return { plain: result.get('plain')!, encrypted: result.get('encrypted')! }
  } finally {
    for (const s of opened.values()) s.close()
    for (const b of built.values()) fs.rmSync(b.dir, { recursive: true, force: true })
  }
}

async function run(): Promise<SummaryRow[]> {
  const rand = seeded(20261125)
  const rows = generateRows(ROWS, rand)
  const sample = (n: number) => Array.from({ length: n }, () => rows[Math.floor(rand() * rows.length)]![1])
  const lookups = sample(LOOKUPS)
  const warmup = sample(LOOKUP_WARMUP)

  const results: Record<Variant, RoundResult[]> = { plain: [], encrypted: [] }
  for (let r = 0; r < ROUNDS; r++) {
    const round = runRound(r, rows, lookups, warmup)
    results.plain.push(round.plain)
    results.encrypted.push(round.encrypted)
    await new Promise((resolve) => setImmediate(resolve))
  }

  const fig = (v: Variant) => ({
    insert: median(results[v].map((x) => x.insertMs)),
    rows: median(results[v].map((x) => x.rowsMs)),
    commit: median(results[v].map((x) => x.commitMs)),
    insertCpu: median(results[v].map((x) => x.insertCpuMs)),
    lookupTotal: median(results[v].flatMap((x) => x.passMs)),
    lookupCpu: median(results[v].flatMap((x) => x.passCpuMs)),
    lookup: summarize(results[v].flatMap((x) => x.lookupSamples)),
    mb: results[v][0]!.fileBytes / 1024 / 1024,
  })
  const plain = fig('plain')
  const enc = fig('encrypted')
  const insertRatio = enc.insert / plain.insert
  const lookupRatio = enc.lookupTotal / plain.lookupTotal

  console.log(
    `${ROWS} rows in one transaction, then ${LOOKUPS} lookups by phone on fresh connections;` +
      ` ${ROUNDS} rounds x ${LOOKUP_PASSES} interleaved lookup passes, medians\n`,
  )
  printTable(
    ['variant', 'insert 100k', 'statements', 'COMMIT', 'rows/s', `${LOOKUPS / 1000}k lookups`, 'lookup p50', 'lookup p95', 'lookup mean', 'file'],
    (['plain', 'encrypted'] as const).map((v) => {
      const f = v === 'plain' ? plain : enc
      return [
        v,
        fmtMs(f.insert),
        fmtMs(f.rows),
        fmtMs(f.commit),
        Math.round(ROWS / (f.insert / 1000)).toLocaleString('en'),
        fmtMs(f.lookupTotal),
        fmtMs(f.lookup.p50),
        fmtMs(f.lookup.p95),
        fmtMs(f.lookup.mean),
        `${f.mb.toFixed(1)} MB`,
      ]
    }),
  )
  const perRound = (v: Variant) =>
    results[v].map((x) => `${fmtMs(x.insertMs)} / ${x.passMs.map((m) => fmtMs(m)).join(' ')}`).join('  |  ')
  console.log(`\nper round, insert / lookup passes:`)
  console.log(`  plain      ${perRound('plain')}\n  encrypted  ${perRound('encrypted')}`)
  console.log(
    `\nencrypted/plain: insert ${fmtRatio(insertRatio)} (target ≤ ${TARGET_RATIO}x: ${verdict(insertRatio <= TARGET_RATIO)};` +
      ` statements ${fmtRatio(enc.rows / plain.rows)}, COMMIT ${fmtRatio(enc.commit / plain.commit)}),` +
      ` lookups ${fmtRatio(lookupRatio)} (target ≤ ${TARGET_RATIO}x: ${verdict(lookupRatio <= TARGET_RATIO)}),` +
      ` lookup p95 ${fmtRatio(enc.lookup.p95 / plain.lookup.p95)}`,
  )
  console.log(
    `CPU time encrypted/plain (less sensitive to other tenants): insert ${fmtRatio(enc.insertCpu / plain.insertCpu)}` +
      ` (${fmtMs(enc.insertCpu)} vs ${fmtMs(plain.insertCpu)}), lookups ${fmtRatio(enc.lookupCpu / plain.lookupCpu)}` +
      ` (${fmtMs(enc.lookupCpu)} vs ${fmtMs(plain.lookupCpu)})`,
  )

  return [
    {
      bench: 'sqlite',
      measure: `insert ${ROWS / 1000}k rows, 1 tx (median)`,
      value: fmtMs(enc.insert),
      baseline: `plain ${fmtMs(plain.insert)}`,
      ratio: fmtRatio(insertRatio),
      target: `≤ ${TARGET_RATIO}x`,
      met: insertRatio <= TARGET_RATIO,
    },
    {
      bench: 'sqlite',
      measure: `${LOOKUPS / 1000}k lookups by phone (median pass)`,
      value: fmtMs(enc.lookupTotal),
      baseline: `plain ${fmtMs(plain.lookupTotal)}`,
      ratio: fmtRatio(lookupRatio),
      target: `≤ ${TARGET_RATIO}x`,
      met: lookupRatio <= TARGET_RATIO,
    },
    {
      bench: 'sqlite',
      measure: 'CPU time: insert / 20k lookups',
      value: `${fmtMs(enc.insertCpu)} / ${fmtMs(enc.lookupCpu)}`,
      baseline: `plain ${fmtMs(plain.insertCpu)} / ${fmtMs(plain.lookupCpu)}`,
      ratio: `${fmtRatio(enc.insertCpu / plain.insertCpu)} / ${fmtRatio(enc.lookupCpu / plain.lookupCpu)}`,
      target: '',
      met: null,
    },
    {
      bench: 'sqlite',
      measure: 'one lookup, p50/p95/mean',
      value: fmtStats(enc.lookup),
      baseline: `plain ${fmtMs(plain.lookup.p95)} p95`,
      ratio: fmtRatio(enc.lookup.p95 / plain.lookup.p95),
      target: '',
      met: null,
    },
  ]
}

/** What SQLCipher encryption costs a bulk insert and indexed lookups, against plain SQLite. */
export const encryptedVsPlain: Benchmark = {
  name: 'encrypted-vs-plain',
  description: 'SQLCipher-encrypted vs plain SQLite: 100k-row insert and indexed lookups',
  run,
}
