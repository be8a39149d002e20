import WebSocket from 'ws'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ManualClock } from '../../electron/host/clock'
import { LATEST_SCHEMA_VERSION } from '../../electron/host/db/migrate'
import { checkDataFolder, formatDataFolderCheck } from '../../electron/host/domains/health/data-folder-check'
import type { Host } from '../../electron/host/host'
import type { ApiClient } from '@shared/contract/client'
import { adminClient, staffClient } from '../helpers/staff'
import { startTempHost } from '../helpers/temp-host'

const DAY = 24 * 3_600_000

/** Moves the clock on; the admin signs in again (a session ends after hours without a call). */
async function later(ms: number) {
  clock.advance(ms)
  admin = await adminClient(host)
}
const clock = new ManualClock(new Date('2026-11-25T02:00:00Z'))
let host: Host & { cleanup(): Promise<void> }
let admin: ApiClient

beforeAll(async () => {
  host = await startTempHost({ clock, withServer: true })
  admin = await adminClient(host)
})
afterAll(() => host.cleanup())

describe('设置 › 系统状态 (health.status)', () => {
  it('shows the database size, schema, integrity, audit chain, terminals and scheduler, to the admin alone', async () => {
    await host.health.checkIntegrity()
    const ws = new WebSocket(host.url!.replace(/^http/, 'ws') + '/ws')
    await new Promise((r, j) => ws.once('open', r).once('error', j))
    try {
      const r = await admin.call('health.status', {})
      expect(r.database.bytes).toBeGreaterThan(0)
      expect(r.schemaVersion).toBe(LATEST_SCHEMA_VERSION)
      expect(r.integrity).toEqual({ status: 'ok', checkedAt: clock.now().toISOString() })
      expect(r.audit.ok).toBe(true)
      expect(r.terminals).toBe(1)
      // every connection the host runs is open; none was replaced
      expect(r.connections).toMatchObject({ writer: { open: 1, starting: 0 }, readers: { open: r.connections.readers.wanted, starting: 0 }, checkpointer: true, restarts: 0 })
      expect(r.connections.readers.wanted).toBeGreaterThanOrEqual(1)
      // the scheduler's timer is off in tests: nothing is overdue
      expect(r.scheduler).toMatchObject({ intervalMs: 0, overdueMs: 0 })
      expect(JSON.stringify(r)).not.toContain(host.dataDir)
    } finally {
      ws.close()
    }
    const manager = (await staffClient(host, admin, 'manager', 'health-mgr')).client
    expect(await manager.try('health.status', {})).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
  })

  it('warns the admins once a day while the newest backup is older than two days; a backup ends it', async () => {
    // a new branch with no backup yet is not warned in its first two days
    expect((await admin.call('health.status', {})).backup).toMatchObject({ lastAt: null, stale: false })
    expect(await host.health.warnIfBackupStale()).toBe(0)

    await later(3 * DAY)
    expect((await admin.call('health.status', {})).backup).toMatchObject({ lastAt: null, stale: true })
    expect(await host.health.warnIfBackupStale()).toBe(1)
    // the next hour's look does not warn again the same day
    await later(3_600_000)
    expect(await host.health.warnIfBackupStale()).toBe(0)
    const notices = await admin.call('notifications.list', {})
    expect(notices.rows.filter((n) => n.title.key === 'notice.backupStale')).toHaveLength(1)
    expect(notices.rows[0]!.body.key).toBe('notice.backupNone')

    host.backups.start('manual')
    const taken = await host.backups.whenDone()
    expect(taken).not.toBeNull()
    await later(5 * 3_600_000)
    expect((await admin.call('health.status', {})).backup).toMatchObject({ lastName: taken!.name, ageHours: 5, stale: false })

    await later(2 * DAY)
    expect((await admin.call('health.status', {})).backup).toMatchObject({ ageHours: 53, stale: true })
    expect(await host.health.warnIfBackupStale()).toBe(1)
    const latest = (await admin.call('notifications.list', {})).rows[0]!
    expect(latest.body).toEqual({ key: 'notice.backupAge', params: { days: 2 } })
    expect((await admin.call('system.ping', {})).pong).toBe(true)
  })
})

describe('npm run host -- --check', () => {
  it('reads the data folder beside the running host: size, schema, integrity, audit chain, last backup', async () => {
    const found = await checkDataFolder({ dataDir: host.dataDir, env: {}, now: clock.now() })
    expect(found).toMatchObject({ schemaVersion: LATEST_SCHEMA_VERSION, integrity: 'ok', audit: { ok: true } })
    expect(found!.database.bytes).toBeGreaterThan(0)
    expect(found!.backup.lastName).toMatch(/^keyuan-/)
    const text = formatDataFolderCheck(found!)
    for (const line of ['database size:', 'schema version:', 'integrity:       ok', 'audit chain:     ok', 'last backup:']) expect(text).toContain(line)
    // the branch still answers
    expect((await admin.call('system.ping', {})).pong).toBe(true)
  })
})
