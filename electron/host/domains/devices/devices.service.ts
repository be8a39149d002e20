import type { Selectable } from 'kysely'
import type { PairedDevice } from '@shared/contract/devices'
import { ApiFailure } from '../../api/api-failure'
import type { HandlersFactory } from '../../api/handler'
import type { DB, PairedDevicesTable } from '../../db/schema'
import type { Kysely } from 'kysely'
import type { DeviceRegistry } from '../../pairing/device-registry'
import { findDevice, listDevices, revokeDevice, signedInFrom } from './devices.repository'

async function shown(db: Kysely<DB>, row: Selectable<PairedDevicesTable>, registry: DeviceRegistry | null, nowIso: string): Promise<PairedDevice> {
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
  }
}

const CLOSED = { code: null, expiresAt: null, attemptsLeft: 0, lockedUntil: null }

/** 设置 › 终端配对: the admin lists paired terminals and browsers, opens a pairing code, and revokes a device. */
export const devicesHandlers: HandlersFactory<'devices'> = (deps) => ({
  'devices.list': async (_input, ctx) => {
    const pairing = deps.devices
    const now = ctx.clock.now().toISOString()
    const rows = await listDevices(ctx.db)
    const devices = await Promise.all(rows.map((r) => shown(ctx.db, r, pairing?.registry ?? null, now)))
    return { devices, pairing: pairing?.window.state() ?? CLOSED, lan: deps.tls() !== null }
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
      // the row is written first: a device whose sockets are cut cannot reconnect before it is refused
      const registry = deps.devices?.registry
      if (registry) ctx.afterCommit(() => registry.revoked(id))
    }
    return shown(ctx.db, (await findDevice(ctx.db, id))!, deps.devices?.registry ?? null, now)
  },
})
