import type { Selectable } from 'kysely'
import type { PairedDevice } from '@shared/contract/devices'
import { ApiFailure } from '../../api/api-failure'
import type { HandlersFactory } from '../../api/handler'
import type { DB, PairedDevicesTable } from '../../db/schema'
import type { Kysely } from 'kysely'
import type { DeviceRegistry } from '../../pairing/device-registry'
import { clearStandby, findDevice, findStandby, listDevices, revokeDevice, setStandby, signedInFrom, syncFeedTriggers } from './devices.repository'
import { feedHead, type StandbyFeed } from '../../standby/standby-feed'

async function shown(db: Kysely<DB>, row: Selectable<PairedDevicesTable>, registry: DeviceRegistry | null, nowIso: string, standby: StandbyFeed | null): Promise<PairedDevice> {
  // what the gate saw since the host started is newer than what was last written
  const live = registry?.lastSeen(row.id)
  const address = live?.address ?? row.address
  return {
    id: row.id,
    name: row.name,
    kind: row.kind,
    address,
    pairedAt: row.paired_at,
    lastSeenAt: live?.at ?? row.last_seen_at,
    signedIn: row.revoked_at === null && address !== null ? await signedInFrom(db, address, nowIso) : null,
    revokedAt: row.revoked_at,
    standby: await standbyOf(db, row.id, standby),
  }
}

/** A standby's progress: what the gate saw since the host started, else what was last written. */
async function standbyOf(db: Kysely<DB>, deviceId: number, feed: StandbyFeed | null): Promise<PairedDevice['standby']> {
  const live = feed?.stateOf(deviceId)
  if (live) return { ackedSeq: live.ackedSeq, lastPullAt: live.lastPullAt }
  const row = await findStandby(db, deviceId)
  return row ? { ackedSeq: row.acked_seq, lastPullAt: row.last_pull_at } : null
}

const CLOSED = { code: null, expiresAt: null, attemptsLeft: 0, lockedUntil: null }

/** 设置 › 终端配对: the admin lists paired terminals and browsers, opens a pairing code, and revokes a device. */
export const devicesHandlers: HandlersFactory<'devices'> = (deps) => ({
  'devices.list': async (_input, ctx) => {
    const pairing = deps.devices
    const now = ctx.clock.now().toISOString()
    const rows = await listDevices(ctx.db)
    const devices = await Promise.all(rows.map((r) => shown(ctx.db, r, pairing?.registry ?? null, now, pairing?.standby ?? null)))
    return { devices, pairing: pairing?.window.state() ?? CLOSED, lan: deps.tls() !== null, feedHead: await feedHead(ctx.db) }
  },
  'devices.openPairing': async (_input, ctx) => {
    // on loopback a code can be opened but not used (nothing reaches /pair); the page offers it only with `lan`
    ctx.auditTarget('pairing')
    return deps.devices?.window.open() ?? CLOSED
  },
  'devices.closePairing': async (_input, ctx) => {
    ctx.auditTarget('pairing')
    return deps.devices?.window.close() ?? CLOSED
  },
  'devices.revoke': async ({ id }, ctx) => {
    const row = await findDevice(ctx.db, id)
    if (!row) throw new ApiFailure('NOT_FOUND', `no paired device ${id}`, 'id')
    ctx.auditTarget(`device:${id}`)
    const now = ctx.clock.now().toISOString()
    if (await revokeDevice(ctx.db, id, ctx.session!.staffId, now)) {
      // an unpaired standby follows no more: with none left, writes stop feeding the change log
      await syncFeedTriggers(ctx.db)
      // the row is written first: a device whose sockets are cut cannot reconnect before it is refused
      const registry = deps.devices?.registry
      if (registry) ctx.afterCommit(() => registry.revoked(id))
    }
    return shown(ctx.db, (await findDevice(ctx.db, id))!, deps.devices?.registry ?? null, now, deps.devices?.standby ?? null)
  },
  'devices.setStandby': async ({ id, standby }, ctx) => {
    const row = await findDevice(ctx.db, id)
    if (!row) throw new ApiFailure('NOT_FOUND', `no paired device ${id}`, 'id')
    // a browser cannot follow the host, and an unpaired device must pair again first
    if (standby && row.kind !== 'terminal') throw new ApiFailure('VALIDATION', 'only a paired terminal PC can be a standby host', 'id', 'standby_not_terminal')
    if (standby && row.revoked_at !== null) throw new ApiFailure('CONFLICT', 'this device was unpaired: pair it again first', 'id', 'device_revoked')
    ctx.auditTarget(`device:${id}`)
    const now = ctx.clock.now().toISOString()
    const feed = deps.devices?.standby ?? null
    if (standby) {
      // it holds the feed from here on: the seed it fetches next is newer
      const head = await feedHead(ctx.db)
      const state = await setStandby(ctx.db, id, head, now)
      // the feed's triggers from here on, in this transaction: every later write is after `head`
      await syncFeedTriggers(ctx.db)
      ctx.afterCommit(() => feed?.changed(id, state))
    } else {
      await clearStandby(ctx.db, id)
      // the last standby gone, writes stop feeding the change log (its newest row keeps the numbering)
      await syncFeedTriggers(ctx.db)
      ctx.afterCommit(() => feed?.changed(id, null))
    }
    const shownRow = await shown(ctx.db, row, deps.devices?.registry ?? null, now, null)
    return shownRow
  },
})
