import crypto from 'node:crypto'
import type { IncomingHttpHeaders } from 'node:http'
import type { Kysely } from 'kysely'
import type { ApiErrorShape } from '@shared/contract/common'
import type { Clock } from '../clock'
import type { DB } from '../db/schema'
import type { AuditLog } from '../domains/audit/audit-log'

/** The cookie a paired device sends with every LAN call (a browser keeps it, a terminal sets it itself). */
export const DEVICE_COOKIE = 'keyuan_device'
/** last-seen times reach the database at most this often (a call must not write). */
export const LAST_SEEN_FLUSH_MS = 60 * 1000
const TOKEN_FORMAT = /^[A-Za-z0-9_-]{43}$/

/** Whether a call may go on: the device it came from (null: the host PC itself), or the refusal. */
export type Admission = { ok: true; deviceId: number | null } | { ok: false; status: number; error: ApiErrorShape }

/** A new device's secret and the hash the database keeps. */
function newDeviceToken(): { token: string; hash: string } {
  const token = crypto.randomBytes(32).toString('base64url')
  return { token, hash: hashDeviceToken(token) }
}

function hashDeviceToken(token: string): string {
  return crypto.createHash('sha256').update(token).digest('hex')
}

/** The device secret a request carries in its Cookie header, or null. */
export function deviceTokenOf(headers: IncomingHttpHeaders): string | null {
  for (const part of (headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=')
    if (eq > 0 && part.slice(0, eq).trim() === DEVICE_COOKIE) {
      const value = part.slice(eq + 1).trim()
      return TOKEN_FORMAT.test(value) ? value : null
    }
  }
  return null
}

/** Whether an address is the host PC itself (its own window needs no pairing). */
export function isLoopbackAddress(address: string): boolean {
  return address === '::1' || /^(::ffff:)?127\.\d+\.\d+\.\d+$/.test(address)
}

export interface DeviceRegistryOptions {
  db: Kysely<DB>
  auditLog: AuditLog
  clock: Clock
  /** false in tests that play LAN PCs from 127.0.0.1; true in production. */
  exemptLoopback: boolean
  log?: (msg: string, err?: unknown) => void
}

interface KnownToken {
  id: number
  revoked: boolean
}

/**
 * The paired devices as the LAN server checks them on each call: every device's token hash in
 * memory (the check is synchronous and touches no database), the connections each device holds
 * (so revoking ends them at once), and when each was last seen (written in batches).
 */
export class DeviceRegistry {
  private readonly tokens = new Map<string, KnownToken>()
  private readonly seen = new Map<number, { address: string; at: string }>()
  private readonly dirty = new Set<number>()
  private readonly connections = new Map<number, Set<() => void>>()

  private constructor(private readonly opts: DeviceRegistryOptions) {}

  /** Reads every device's token hash (revoked ones too, so they are refused as revoked). */
  static async open(opts: DeviceRegistryOptions): Promise<DeviceRegistry> {
    const registry = new DeviceRegistry(opts)
    const rows = await opts.db.selectFrom('paired_devices').select(['id', 'token_hash', 'revoked_at']).execute()
    for (const r of rows) registry.tokens.set(r.token_hash, { id: r.id, revoked: r.revoked_at !== null })
    return registry
  }

  /**
   * The gate of every LAN call (`POST /api/…` and the `/ws` upgrade): a paired device's cookie, or
   * the host PC itself. Pages, `/tls` and `/pair` stay open: an unpaired PC must reach them to pair.
   */
  admit(headers: IncomingHttpHeaders, address: string): Admission {
    if (this.opts.exemptLoopback && isLoopbackAddress(address)) return { ok: true, deviceId: null }
    const token = deviceTokenOf(headers)
    const known = token === null ? undefined : this.tokens.get(hashDeviceToken(token))
    if (!known) {
      return { ok: false, status: 403, error: { code: 'FORBIDDEN', reason: 'device_not_paired', message: 'this PC is not paired with the host: pair it first (the admin opens a code under 设置 › 终端配对)' } }
    }
    if (known.revoked) {
      return { ok: false, status: 403, error: { code: 'FORBIDDEN', reason: 'device_revoked', message: 'this PC was unpaired by the admin: pair it again to use it' } }
    }
    this.seen.set(known.id, { address, at: this.opts.clock.now().toISOString() })
    this.dirty.add(known.id)
    return { ok: true, deviceId: known.id }
  }

  /** The live paired device a request's cookie names, or null: no exemption for loopback (the standby routes ask this). */
  deviceOf(headers: IncomingHttpHeaders): number | null {
    const token = deviceTokenOf(headers)
    const known = token === null ? undefined : this.tokens.get(hashDeviceToken(token))
    return known && !known.revoked ? known.id : null
  }

  /** Holds a connection of a device (an HTTP keep-alive socket, a WebSocket): `end` is called when the device is revoked. */
  track(deviceId: number | null, end: () => void, onClosed: (forget: () => void) => void): void {
    if (deviceId === null) return
    let set = this.connections.get(deviceId)
    if (!set) this.connections.set(deviceId, (set = new Set()))
    set.add(end)
    onClosed(() => {
      set.delete(end)
      if (set.size === 0 && this.connections.get(deviceId) === set) this.connections.delete(deviceId)
    })
  }

  /** Records a new device (and its audit row) and returns its id and the secret only it will hold. */
  async pair(name: string, kind: 'terminal' | 'browser', address: string): Promise<{ id: number; token: string }> {
    const { token, hash } = newDeviceToken()
    const at = this.opts.clock.now().toISOString()
    const id = await this.opts.db.transaction().execute(async (trx) => {
      const row = await trx
        .insertInto('paired_devices')
        .values({ name, kind, token_hash: hash, address, paired_at: at, last_seen_at: at })
        .returning('id')
        .executeTakeFirstOrThrow()
      await this.opts.auditLog.append(trx, { at, actorId: null, actorName: null, action: 'devices.pair', target: `device:${row.id}`, detail: { name, kind }, address })
      return row.id
    })
    await this.opts.auditLog.afterCommit(this.opts.db)
    this.tokens.set(hash, { id, revoked: false })
    return { id, token }
  }

  /** The device was revoked (its row is written): every later call is refused and its connections end now. */
  revoked(deviceId: number): void {
    for (const t of this.tokens.values()) if (t.id === deviceId) t.revoked = true
    const ends = this.connections.get(deviceId)
    this.connections.delete(deviceId)
    for (const end of ends ?? []) end()
  }

  /** Where and when a device last called, if it did since the host started. */
  lastSeen(deviceId: number): { address: string; at: string } | undefined {
    return this.seen.get(deviceId)
  }

  /** Open connections of a device (the admin page, tests). */
  connectionsOf(deviceId: number): number {
    return this.connections.get(deviceId)?.size ?? 0
  }

  /** Writes the last-seen times changed since the last flush. */
  async flush(): Promise<void> {
    const ids = [...this.dirty]
    this.dirty.clear()
    if (ids.length === 0) return
    await this.opts.db.transaction().execute(async (trx) => {
      for (const id of ids) {
        const s = this.seen.get(id)
        if (s) await trx.updateTable('paired_devices').set({ last_seen_at: s.at, address: s.address }).where('id', '=', id).execute()
      }
    })
  }

  /** Flushes every LAST_SEEN_FLUSH_MS (unref'd); returns the stop, which flushes once more. */
  startFlushing(everyMs = LAST_SEEN_FLUSH_MS): () => Promise<void> {
    const run = () => this.flush().catch((err: unknown) => this.opts.log?.('could not write when devices were last seen', err))
    const timer = setInterval(() => void run(), everyMs)
    timer.unref()
    return async () => {
      clearInterval(timer)
      await run()
    }
  }
}
