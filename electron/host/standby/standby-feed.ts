import fs from 'node:fs'
import type { IncomingMessage, ServerResponse } from 'node:http'
import os from 'node:os'
import path from 'node:path'
import type { Kysely } from 'kysely'
import { z } from 'zod'
import type { ApiErrorShape } from '@shared/contract/common'
import type { Clock } from '../clock'
import { feedProcedure } from '../db/change-feed'
import { callProcedure } from '../db/procedures'
import { recoveryRecordPath } from '../db/recovery-key'
import type { DB } from '../db/schema'
import { copyDatabase } from '../domains/backup/backup-file'
import type { DeviceRegistry } from '../pairing/device-registry'
import { STANDBY_PATHS } from './standby-protocol'

/** A standby that has not pulled for a week no longer holds the feed back: it re-seeds when it comes back. */
export const STANDBY_HOLD_MS = 7 * 24 * 60 * 60 * 1000
/** How often acknowledgements are written and change_log pruned behind the slowest standby. */
export const PRUNE_EVERY_MS = 30 * 1000
/** change_log rows deleted per transaction (a short write: calls go on between slices). */
const PRUNE_SLICE = 5_000

/** Where a standby stands, as the admin sees it (设置 › 终端配对, 系统状态). */
export interface StandbyState {
  deviceId: number
  /** the last change it has applied (what it asked after) */
  ackedSeq: number
  /** when the admin made it a standby (a standby that never pulled holds the feed a week from then) */
  allowedAt: string
  lastPullAt: string | null
  address: string | null
}

export interface StandbyFeedOptions {
  writer: Kysely<DB>
  reader: Kysely<DB>
  registry: DeviceRegistry
  /** the live database file and its key now (a seed is a copy under the same key) */
  file: string
  keyHex: () => string
  schemaVersion: () => number
  clock: Clock
  log: (msg: string, err?: unknown) => void
}

const AfterQuery = z.strictObject({ after: z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER) })

/**
 * The host's side of the standby (issue #18 item 9): which paired devices the admin made standbys,
 * the three routes only they may use (the seed copy, its recovery record, the changes after a
 * cursor), and the pruning of change_log behind the slowest standby.
 */
export class StandbyFeed {
  private readonly standbys = new Map<number, StandbyState>()
  private dirty = new Set<number>()

  private constructor(private readonly opts: StandbyFeedOptions) {}

  static async open(opts: StandbyFeedOptions): Promise<StandbyFeed> {
    const feed = new StandbyFeed(opts)
    const rows = await opts.writer
      .selectFrom('standby_feeds')
      .innerJoin('paired_devices', 'paired_devices.id', 'standby_feeds.device_id')
      .select(['device_id', 'acked_seq', 'allowed_at', 'last_pull_at', 'standby_feeds.address'])
      .where('paired_devices.revoked_at', 'is', null)
      .execute()
    for (const r of rows) feed.standbys.set(r.device_id, { deviceId: r.device_id, ackedSeq: r.acked_seq, allowedAt: r.allowed_at, lastPullAt: r.last_pull_at, address: r.address })
    return feed
  }

  /** The standby of a device, if the admin made it one. */
  stateOf(deviceId: number): StandbyState | null {
    return this.standbys.get(deviceId) ?? null
  }

  /** The device's row in standby_feeds was written (on) or deleted (off), the call committed. */
  changed(deviceId: number, state: StandbyState | null): void {
    if (state) this.standbys.set(deviceId, state)
    else this.standbys.delete(deviceId)
  }

  /** Answers `/standby/…` for a paired device the admin made a standby; false for any other path. */
  serve(req: IncomingMessage, res: ServerResponse, pathname: string): boolean {
    const route = Object.entries(STANDBY_PATHS).find(([, p]) => p === pathname)?.[0]
    if (!route) return false
    if (req.method !== 'GET') {
      refuse(res, 405, { code: 'VALIDATION', message: 'use GET' })
      return true
    }
    // the device's own secret, from loopback too: the whole database goes to a standby and nobody else
    const deviceId = this.opts.registry.deviceOf(req.headers)
    if (deviceId === null) {
      refuse(res, 403, { code: 'FORBIDDEN', reason: 'device_not_paired', message: 'only a paired device the admin made a standby may follow the host' })
      return true
    }
    const state = this.standbys.get(deviceId)
    if (!state) {
      refuse(res, 403, { code: 'FORBIDDEN', reason: 'not_a_standby', message: 'this paired device is not a standby: the admin marks it under 设置 › 终端配对' })
      return true
    }
    const address = req.socket.remoteAddress ?? null
    const work = route === 'changes' ? this.changes(req, res, state, address) : route === 'seed' ? this.seed(res, state, address) : this.recovery(res)
    work.catch((err: unknown) => {
      this.opts.log('standby: a request failed', err)
      if (!res.headersSent) refuse(res, 500, { code: 'INTERNAL', message: 'internal error' })
      else res.destroy()
    })
    return true
  }

  private async changes(req: IncomingMessage, res: ServerResponse, state: StandbyState, address: string | null): Promise<void> {
    const query = AfterQuery.safeParse(Object.fromEntries(new URL(req.url ?? '/', 'http://x').searchParams))
    if (!query.success) return refuse(res, 400, { code: 'VALIDATION', field: 'after', message: 'after must be a change number (0 or more)' })
    const now = this.opts.clock.now().toISOString()
    const batch = await callProcedure(this.opts.reader, feedProcedure, { after: query.data.after, schemaVersion: this.opts.schemaVersion(), now })
    // asking after N says every change up to N is applied there
    this.standbys.set(state.deviceId, { ...state, ackedSeq: query.data.after, lastPullAt: now, address })
    this.dirty.add(state.deviceId)
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' })
    res.end(JSON.stringify(batch))
  }

  /** A copy of the database from one snapshot, under the same key (the standby opens it with the recovery key typed there). */
  private async seed(res: ServerResponse, state: StandbyState, address: string | null): Promise<void> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keyuan-seed-'))
    const copy = path.join(dir, 'seed.db')
    try {
      await copyDatabase(this.opts.file, this.opts.keyHex(), copy)
      this.standbys.set(state.deviceId, { ...state, lastPullAt: this.opts.clock.now().toISOString(), address })
      this.dirty.add(state.deviceId)
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(fs.statSync(copy).size), 'cache-control': 'no-store' })
      await new Promise<void>((resolve, reject) => {
        const stream = fs.createReadStream(copy)
        stream.on('error', reject)
        res.on('close', () => resolve())
        stream.pipe(res)
      })
    } finally {
      fs.rmSync(dir, { recursive: true, force: true })
    }
  }

  /** The recovery record beside the database: the key wrapped by the recovery key, useless without it. */
  private async recovery(res: ServerResponse): Promise<void> {
    const record = await fs.promises.readFile(recoveryRecordPath(this.opts.file), 'utf8')
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' })
    res.end(record)
  }

  /**
   * Writes the standbys' acknowledgements and deletes change_log rows every standby that pulled
   * this week has applied (all but the newest when there is none: the feed's numbering goes on).
   */
  async prune(): Promise<number> {
    const now = this.opts.clock.now()
    const dirty = [...this.dirty]
    this.dirty = new Set()
    if (dirty.length > 0) {
      await this.opts.writer.transaction().execute(async (trx) => {
        for (const id of dirty) {
          const s = this.standbys.get(id)
          if (s) await trx.updateTable('standby_feeds').set({ acked_seq: s.ackedSeq, last_pull_at: s.lastPullAt, address: s.address }).where('device_id', '=', id).execute()
        }
      })
    }
    const head = await feedHead(this.opts.writer)
    const holding = [...this.standbys.values()].filter((s) => now.getTime() - Date.parse(s.lastPullAt ?? s.allowedAt) < STANDBY_HOLD_MS)
    const floor = Math.min(head - 1, ...holding.map((s) => s.ackedSeq))
    let deleted = 0
    for (;;) {
      const r = await this.opts.writer
        .deleteFrom('change_log')
        .where('seq', 'in', (eb) => eb.selectFrom('change_log').select('seq').where('seq', '<=', floor).orderBy('seq').limit(PRUNE_SLICE))
        .executeTakeFirst()
      const n = Number(r.numDeletedRows)
      deleted += n
      if (n < PRUNE_SLICE) break
    }
    return deleted
  }

  /** Prunes every PRUNE_EVERY_MS (unref'd); returns the stop, which writes the acknowledgements once more. */
  startPruning(everyMs = PRUNE_EVERY_MS): () => Promise<void> {
    let running: Promise<unknown> = Promise.resolve()
    const run = () => (running = this.prune().catch((err: unknown) => this.opts.log('standby: could not prune the change log', err)))
    const timer = setInterval(() => void run(), everyMs)
    timer.unref()
    void run()
    return async () => {
      clearInterval(timer)
      await running
      await run()
    }
  }
}

function refuse(res: ServerResponse, status: number, error: ApiErrorShape): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' })
  res.end(JSON.stringify({ ok: false, error }))
}

/** The feed's head: the newest change number (0 before the first write). */
export async function feedHead(db: Kysely<DB>): Promise<number> {
  const r = await db.selectFrom('change_log').select((eb) => eb.fn.max('seq').as('head')).executeTakeFirst()
  return Number(r?.head ?? 0)
}
