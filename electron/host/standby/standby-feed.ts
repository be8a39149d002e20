import crypto from 'node:crypto'
import fs from 'node:fs'
import type { IncomingMessage, ServerResponse } from 'node:http'
import os from 'node:os'
import path from 'node:path'
import type { Kysely } from 'kysely'
import { z } from 'zod'
import type { ApiErrorShape } from '@shared/contract/common'
import { STANDBY_STALE_MS, type StandbyHealth } from '@shared/contract/health'
import type { Clock } from '../clock'
import { feedProcedure } from '../db/change-feed'
import { callProcedure } from '../db/procedures'
import { recoveryRecordPath } from '../db/recovery-key'
import type { DB } from '../db/schema'
import type { AuditLog } from '../domains/audit/audit-log'
import { copyDatabase } from '../domains/backup/backup-file'
import type { DeviceRegistry } from '../pairing/device-registry'
import { CertificateRequestError, type ServerNames } from '../tls/branch-ca'
import { STANDBY_PATHS, StandbyCertificateRequest, type StandbyCertificateAnswer } from './standby-protocol'

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
  /** the branch CA, to sign a standby's certificate (null without TLS, or on a promoted standby that holds no CA key) */
  ca?: () => StandbyCertificateSigner | null
  /** a signed standby certificate is audited like the pairing it builds on */
  auditLog?: AuditLog
}

/** What the feed needs of the host's TLS (BranchTls) to certify a standby. */
export interface StandbyCertificateSigner {
  signStandby(csrPem: string, names: ServerNames): string
  ownNames(): Set<string>
}

/** A CSR and its names are a few KB; more is not a standby. */
const MAX_CSR_BODY = 16 * 1024
/** Names every PC has: a certificate naming them claims nothing of the host's. */
const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '::1'])

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

  /**
   * Where the standbys are, for the terminals (system.standby): the address each last pulled from,
   * a v4-mapped address as plain v4, v6 in brackets (a standby is another PC: it pulls over the LAN).
   */
  addresses(): string[] {
    const out = new Set<string>()
    for (const s of this.standbys.values()) {
      if (!s.address) continue
      const a = s.address.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, '')
      out.add(a.includes(':') ? `[${a}]` : a)
    }
    return [...out]
  }

  /** Each standby's lag for the health page: changes behind the head, seconds since its last pull, and whether that is too long. */
  async health(db: Kysely<DB>, now: Date): Promise<StandbyHealth[]> {
    if (this.standbys.size === 0) return []
    const head = await feedHead(db)
    const names = new Map(
      (await db.selectFrom('paired_devices').select(['id', 'name']).where('id', 'in', [...this.standbys.keys()]).execute()).map((r) => [r.id, r.name] as const),
    )
    return [...this.standbys.values()].map((s) => {
      const since = now.getTime() - Date.parse(s.lastPullAt ?? s.allowedAt)
      return {
        deviceId: s.deviceId,
        name: names.get(s.deviceId) ?? '',
        address: s.address,
        lastPullAt: s.lastPullAt,
        lagChanges: Math.max(0, head - s.ackedSeq),
        lagSeconds: Math.max(0, Math.floor(since / 1000)),
        stale: since > STANDBY_STALE_MS,
      }
    })
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
    const method = route === 'certificate' ? 'POST' : 'GET'
    if (req.method !== method) {
      refuse(res, 405, { code: 'VALIDATION', message: `use ${method}` })
      return true
    }
    // the device's own secret, from loopback too: the whole database goes to a standby and nobody else
    const deviceId = this.opts.registry.deviceOf(req.headers)
    if (deviceId === null) {
      refuse(res, 403, { code: 'FORBIDDEN', reason: 'device_not_paired', message: 'only a paired device the admin made a standby may follow the host' })
      return true
    }
    if (route === 'where') {
      // every paired PC may know where to go on when the host is gone (nothing else: an address)
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' })
      res.end(JSON.stringify({ addresses: this.addresses() }))
      return true
    }
    const state = this.standbys.get(deviceId)
    if (!state) {
      refuse(res, 403, { code: 'FORBIDDEN', reason: 'not_a_standby', message: 'this paired device is not a standby: the admin marks it under 设置 › 终端配对' })
      return true
    }
    const address = req.socket.remoteAddress ?? null
    const work =
      route === 'changes' ? this.changes(req, res, state, address) : route === 'seed' ? this.seed(res, state, address) : route === 'certificate' ? this.certificate(req, res, state) : this.recovery(res)
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

  /**
   * Signs the standby's CSR with the branch CA, so that once promoted it serves a certificate the
   * terminals' pin accepts without pairing again. Only for a device the admin made a standby (the
   * caller checked); the names are the standby's own, less any the host's certificate covers (a
   * standby may not pose as the live host), loopback excepted.
   */
  private async certificate(req: IncomingMessage, res: ServerResponse, state: StandbyState): Promise<void> {
    // a standby's own client sends no Origin; a page in a browser always does
    if (req.headers.origin !== undefined) return refuse(res, 403, { code: 'FORBIDDEN', message: 'calls from web pages are refused here' })
    const body = await readBody(req, MAX_CSR_BODY)
    if (body === null) return refuse(res, 413, { code: 'VALIDATION', field: 'csr', message: 'the certificate request is too long' })
    let json: unknown
    try {
      json = JSON.parse(body)
    } catch {
      return refuse(res, 400, { code: 'VALIDATION', field: 'csr', message: 'the body is not JSON' })
    }
    const parsed = StandbyCertificateRequest.safeParse(json)
    if (!parsed.success) {
      const issue = parsed.error.issues[0]
      return refuse(res, 400, { code: 'VALIDATION', field: String(issue?.path[0] ?? 'csr'), message: issue?.message ?? 'invalid request' })
    }
    const signer = this.opts.ca?.() ?? null
    if (!signer) return refuse(res, 409, { code: 'CONFLICT', reason: 'no_branch_ca', message: "this host holds no branch CA key: it cannot certify a standby" })
    const own = signer.ownNames()
    const allowed = (n: string) => LOOPBACK_NAMES.has(n.toLowerCase()) || !own.has(n.toLowerCase())
    const names = { dns: [...new Set(parsed.data.dns.map((d) => d.toLowerCase()))].filter(allowed), ips: [...new Set(parsed.data.ips)].filter(allowed) }
    let certPem: string
    try {
      certPem = signer.signStandby(parsed.data.csr, names)
    } catch (err) {
      if (err instanceof CertificateRequestError) return refuse(res, 400, { code: 'VALIDATION', field: 'csr', message: err.message })
      throw err
    }
    const signed = new crypto.X509Certificate(certPem)
    const auditLog = this.opts.auditLog
    if (auditLog) {
      const detail = { names: [...names.dns, ...names.ips], serial: signed.serialNumber, expiresAt: new Date(signed.validTo).toISOString() }
      const at = this.opts.clock.now().toISOString()
      await this.opts.writer.transaction().execute((trx) =>
        auditLog.append(trx, { at, actorId: null, actorName: null, action: 'devices.standbyCertificate', target: `device:${state.deviceId}`, detail, address: req.socket.remoteAddress ?? null }),
      )
      await auditLog.afterCommit(this.opts.writer)
    }
    this.opts.log(`standby: signed a server certificate for standby device ${state.deviceId} (${[...names.dns, ...names.ips].join(', ')}) with the branch CA`)
    const answer: StandbyCertificateAnswer = { certPem, ...names }
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' })
    res.end(JSON.stringify(answer))
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

/** The request's body as text, or null when it is longer than `max` bytes. */
function readBody(req: IncomingMessage, max: number): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    req.on('data', (c: Buffer) => {
      size += c.length
      if (size <= max) chunks.push(c)
    })
    req.on('end', () => resolve(size > max ? null : Buffer.concat(chunks).toString('utf8')))
    req.on('error', reject)
  })
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
