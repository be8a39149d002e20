import fs from 'node:fs'
import https from 'node:https'
import os from 'node:os'
import path from 'node:path'
import { systemClock, type Clock } from '../clock'
import { applyFeed, FeedBatch, standbyCursor } from '../db/change-feed'
import { acquireHostLock, type HostLock } from '../db/host-lock'
import { DB_FILE_NAME, resolveHeadlessKey } from '../db/key-file'
import { openDatabase, type OpenedDatabase } from '../db/open'
import { recoverDataFolder } from '../db/recover'
import { recoveryRecordPath } from '../db/recovery-key'
import { checkDataFolder } from '../domains/health/data-folder-check'
import { loadPairedHost, pairWithHost, savePairedHost, type PairedHost } from '../pairing/pair-client'
import { deviceCookie, pinnedAgent } from '../pairing/pinned-tls'
import { PROMOTED_FILE, STANDBY_FILE, STANDBY_PATHS, STANDBY_PULL_MS } from './standby-protocol'

export { PROMOTED_FILE, STANDBY_FILE }
/** A pull that takes longer is given up (the host is gone or stuck) and tried again. */
const PULL_TIMEOUT_MS = 15_000
/** A seed larger than this is not a branch database (100,000 clients are a few hundred MB). */
const MAX_SEED_BYTES = 16 * 1024 * 1024 * 1024

/** A standby's step that did not happen, for the console (zh and en in the message). */
export class StandbyError extends Error {
  override name = 'StandbyError'
  constructor(
    readonly reason: 'standby_not_allowed' | 'standby_unreachable' | 'standby_refused' | 'standby_not_a_standby' | 'standby_check_failed' | 'standby_reseed',
    message: string,
  ) {
    super(message)
  }
}

interface Got {
  status: number
  body: Buffer
}

/** One GET to the host over the pinned link, with the device's secret; the body to a file when `to` is given. */
function get(paired: PairedHost, agent: https.Agent, pathname: string, to?: string): Promise<Got> {
  return new Promise((resolve, reject) => {
    const req = https.get(new URL(pathname, paired.url), { agent, headers: deviceCookie(paired.token), timeout: PULL_TIMEOUT_MS }, (res) => {
      const status = res.statusCode ?? 0
      if (to && status === 200) {
        const out = fs.createWriteStream(to, { mode: 0o600 })
        let size = 0
        res.on('data', (c: Buffer) => {
          size += c.length
          if (size > MAX_SEED_BYTES) req.destroy(new Error('the seed is larger than any branch database'))
        })
        res.pipe(out)
        out.on('finish', () => resolve({ status, body: Buffer.alloc(0) }))
        out.on('error', reject)
        res.on('error', reject)
        return
      }
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => resolve({ status, body: Buffer.concat(chunks) }))
      res.on('error', reject)
    })
    req.on('timeout', () => req.destroy(new Error('the host did not answer')))
    req.on('error', reject)
  })
}

function refusal(got: Got): StandbyError {
  let reason = ''
  try {
    reason = String((JSON.parse(got.body.toString('utf8')) as { error?: { reason?: string } }).error?.reason ?? '')
  } catch {
    reason = ''
  }
  if (reason === 'not_a_standby') {
    return new StandbyError('standby_not_allowed', 'the host has not made this PC a standby yet: the admin marks it under 设置 › 终端配对 (主机尚未将本机设为备机)')
  }
  return new StandbyError('standby_refused', `the host refused (HTTP ${got.status}${reason ? `, ${reason}` : ''}): pair this PC again (主机拒绝了请求，请重新配对)`)
}

/** Pairs this PC with the host as a would-be standby (the admin opened a code) and keeps the pairing in the data folder. */
export async function pairStandby(dataDir: string, address: string, code: string, clock: Clock = systemClock): Promise<PairedHost> {
  const paired = await pairWithHost({ address, code, name: `standby ${os.hostname()}`.slice(0, 60), clock })
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 })
  savePairedHost(path.join(dataDir, STANDBY_FILE), paired)
  return paired
}

/** The host this data folder follows, or null when it is no standby. */
export function followedHost(dataDir: string): PairedHost | null {
  return loadPairedHost(path.join(dataDir, STANDBY_FILE))
}

/**
 * Fetches a copy of the host's database and its recovery record over the pinned link and opens it
 * with the recovery key typed on this PC (the database key never crosses the network; a stolen
 * device secret yields only ciphertext). The copy's newest change is where following starts.
 */
export async function seedStandby(opts: { dataDir: string; paired: PairedHost; typedKey: () => Promise<string>; keyFile?: string; env: NodeJS.ProcessEnv }): Promise<{ seq: number }> {
  const agent = pinnedAgent(opts.paired)
  const dir = fs.mkdtempSync(path.join(opts.dataDir, '.seed-'))
  try {
    const seed = path.join(dir, DB_FILE_NAME)
    const recovery = await get(opts.paired, agent, STANDBY_PATHS.recovery)
    if (recovery.status !== 200) throw refusal(recovery)
    const copied = await get(opts.paired, agent, STANDBY_PATHS.seed, seed)
    if (copied.status !== 200) throw refusal(copied)
    fs.writeFileSync(recoveryRecordPath(seed), recovery.body, { mode: 0o600 })
    await recoverDataFolder({ source: seed, dataDir: opts.dataDir, keyFile: opts.keyFile, env: opts.env, typedKey: await opts.typedKey() })
  } finally {
    agent.destroy()
    fs.rmSync(dir, { recursive: true, force: true })
  }
  const { keyHex } = resolveHeadlessKey(opts.dataDir, opts.env, opts.keyFile)
  const db = openDatabase(path.join(opts.dataDir, DB_FILE_NAME), keyHex)
  try {
    // the copy's own change_log says how far it reaches; the standby keeps none of its own
    const seq = Number(db.sqlite.prepare('SELECT coalesce(max(seq), 0) FROM change_log').pluck().get())
    db.sqlite.transaction(() => {
      db.sqlite.prepare('DELETE FROM change_log').run()
      db.sqlite.prepare(`INSERT INTO standby_cursor (id, host_url, seq, pulled_at) VALUES (1, ?, ?, ?)`).run(opts.paired.url, seq, new Date().toISOString())
    })()
    return { seq }
  } finally {
    await db.close()
  }
}

export interface FollowerOptions {
  dataDir: string
  paired: PairedHost
  keyFile?: string
  env: NodeJS.ProcessEnv
  intervalMs?: number
  clock?: Clock
  log: (msg: string, err?: unknown) => void
  /** after each applied batch (tests, the console) */
  onApplied?: (state: { seq: number; changes: number; at: string }) => void
}

/**
 * Keeps the standby's copy refreshed: every STANDBY_PULL_MS it asks the host for the changes after
 * its cursor and applies them in one transaction. It holds the data folder's lock, so a host (or a
 * promotion) cannot start on the folder while it follows.
 */
export class Follower {
  private timer: NodeJS.Timeout | null = null
  private running: Promise<void> = Promise.resolve()
  private stopped = false
  private unreachableSince: number | null = null
  private readonly agent: https.Agent
  private readonly clock: Clock

  private constructor(
    private readonly opts: FollowerOptions,
    private readonly lock: HostLock,
    private readonly db: OpenedDatabase,
  ) {
    this.agent = pinnedAgent(opts.paired)
    this.clock = opts.clock ?? systemClock
  }

  static open(opts: FollowerOptions): Follower {
    const clock = opts.clock ?? systemClock
    const lock = acquireHostLock(opts.dataDir, clock.now())
    try {
      const { keyHex } = resolveHeadlessKey(opts.dataDir, opts.env, opts.keyFile)
      const db = openDatabase(path.join(opts.dataDir, DB_FILE_NAME), keyHex)
      // a batch is consistent only once whole: its rows go in table by table
      db.sqlite.pragma('foreign_keys = OFF')
      return new Follower(opts, lock, db)
    } catch (err) {
      lock.release()
      throw err
    }
  }

  /** The last change applied, and when. */
  cursor(): { seq: number; pulledAt: string } | null {
    return standbyCursor(this.db.sqlite)
  }

  /** Pulls until stopped; a batch with more behind it is followed at once. */
  start(): void {
    const tick = () => {
      if (this.stopped) return
      this.running = this.pullAll().then(
        () => undefined,
        (err: unknown) => this.failed(err),
      )
      void this.running.then(() => {
        if (!this.stopped) this.timer = setTimeout(tick, this.opts.intervalMs ?? STANDBY_PULL_MS)
      })
    }
    tick()
  }

  /** One round: asks and applies until the host has nothing newer. */
  async pullAll(): Promise<number> {
    let applied = 0
    for (;;) {
      const cursor = this.cursor()?.seq ?? 0
      const got = await get(this.opts.paired, this.agent, `${STANDBY_PATHS.changes}?after=${cursor}`)
      if (got.status !== 200) throw refusal(got)
      const parsed = FeedBatch.safeParse(JSON.parse(got.body.toString('utf8')))
      if (!parsed.success) throw new StandbyError('standby_refused', `the host's answer is not a change batch: ${parsed.error.issues[0]?.message ?? ''}`)
      const batch = parsed.data
      if (batch.status === 'reseed') {
        throw new StandbyError('standby_reseed', `the host asks for a new copy (${batch.why}): stop this standby, move its data folder aside and set it up again (需要重新复制)`)
      }
      const at = this.clock.now().toISOString()
      applyFeed(this.db.sqlite, batch, this.opts.paired.url, at)
      const changes = batch.head - batch.after
      applied += changes
      if (this.unreachableSince !== null) this.opts.log('the host answers again: following')
      this.unreachableSince = null
      this.opts.onApplied?.({ seq: batch.head, changes, at })
      if (!batch.more) return applied
    }
  }

  private failed(err: unknown): void {
    if (err instanceof StandbyError) {
      this.opts.log(err.message)
      return
    }
    // a host that is gone: said once, then tried again every interval
    if (this.unreachableSince === null) {
      this.unreachableSince = Date.now()
      this.opts.log(`the host does not answer (${err instanceof Error ? err.message : String(err)}); if it is gone for good, promote this PC: npm run host -- --data ${this.opts.dataDir} --promote`)
    }
  }

  /** Stops after the pull in progress (its transaction commits or rolls back whole) and closes the database. */
  async stop(): Promise<void> {
    this.stopped = true
    if (this.timer) clearTimeout(this.timer)
    await this.running
    this.agent.destroy()
    await this.db.close()
    this.lock.release()
  }
}

/**
 * Makes a standby's data folder a host's: checks the copy (quick_check, the audit chain) and stops
 * it following (the pairing file is kept aside, the cursor deleted). The host then starts on it as
 * on any data folder. Refuses a folder that is no standby or whose copy does not check.
 */
export async function promoteDataFolder(opts: { dataDir: string; keyFile?: string; env: NodeJS.ProcessEnv; now: Date }): Promise<{ seq: number; pulledAt: string | null }> {
  const standbyFile = path.join(opts.dataDir, STANDBY_FILE)
  if (!fs.existsSync(standbyFile)) throw new StandbyError('standby_not_a_standby', `${opts.dataDir} is not a standby's data folder (no ${STANDBY_FILE}): nothing to promote`)
  const found = await checkDataFolder({ dataDir: opts.dataDir, keyFile: opts.keyFile, env: opts.env, now: opts.now })
  if (!found) throw new StandbyError('standby_not_a_standby', `${opts.dataDir} holds no database: it was never seeded`)
  if (found.integrity !== 'ok' || !found.audit.ok) {
    throw new StandbyError('standby_check_failed', `the standby's copy does not check (quick_check: ${found.integrity}; audit chain ${found.audit.ok ? 'ok' : `broken at ${found.audit.firstBrokenId}`}): not promoted (备机副本校验失败，未提升)`)
  }
  const lock = acquireHostLock(opts.dataDir, opts.now)
  try {
    const { keyHex } = resolveHeadlessKey(opts.dataDir, opts.env, opts.keyFile)
    const db = openDatabase(path.join(opts.dataDir, DB_FILE_NAME), keyHex)
    try {
      const cursor = standbyCursor(db.sqlite)
      db.sqlite.prepare('DELETE FROM standby_cursor').run()
      fs.renameSync(standbyFile, path.join(opts.dataDir, PROMOTED_FILE))
      return { seq: cursor?.seq ?? 0, pulledAt: cursor?.pulledAt ?? null }
    } finally {
      await db.close()
    }
  } finally {
    lock.release()
  }
}
