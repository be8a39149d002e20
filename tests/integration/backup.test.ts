import fs from 'node:fs'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { ManualClock } from '../../electron/host/clock'
import { resolveHeadlessKey } from '../../electron/host/db/key-file'
import { openBackup, describeDatabase, integrityOf, sha256Of } from '../../electron/host/domains/backup/backup-file'
import { adminClient, STAFF_PASSWORD } from '../helpers/staff'
import { startTempHost, tempDir } from '../helpers/temp-host'

type TempHost = Awaited<ReturnType<typeof startTempHost>>
let host: TempHost | null = null
afterEach(async () => {
  await host?.cleanup()
  host = null
})

describe('backups', () => {
  it('a backup taken while writes go on is one consistent, encrypted snapshot with its checksum and manifest', async () => {
    host = await startTempHost()
    const admin = await adminClient(host)
    const second = tempDir('keyuan-second-')
    await admin.call('backup.setSettings', { everyHours: 24, secondFolder: second })
    const writes = (async () => {
      for (let i = 0; i < 40; i++) await admin.call('staff.create', { username: `writer${i}`, name: `写${i}`, role: 'agent', team: null, password: STAFF_PASSWORD })
    })()
    const started = await admin.call('backup.create', {})
    expect(started.running.phase).toBe('copying')
    const manifest = (await host.backups.whenDone())!
    await writes
    expect(manifest).not.toBeNull()
    const file = path.join(host.backups.folder, manifest.name)
    // encrypted: no plain SQLite header; checksum file and manifest agree with the bytes
    expect(fs.readFileSync(file).subarray(0, 15).toString('latin1')).not.toBe('SQLite format 3')
    expect(await sha256Of(file)).toBe(manifest.sha256)
    expect(fs.readFileSync(`${file}.sha256`, 'utf8')).toBe(`${manifest.sha256}  ${manifest.name}\n`)
    const opened = await openBackup(file, resolveHeadlessKey(host.dataDir, {}).keyHex)
    try {
      expect(await integrityOf(opened.db)).toBe('ok')
      const described = await describeDatabase(opened.db)
      // what the manifest says is what the copy holds, and the copy's audit chain links
      expect(described).toEqual({ schemaVersion: manifest.schemaVersion, counts: manifest.counts, auditHead: manifest.auditHead })
      expect((await host.auditLog.verifyChainOf(opened.db)).firstBrokenId).toBeNull()
    } finally {
      await opened.close()
    }
    // between none and all of the concurrent writes, each staff row with its audit row
    expect(manifest.counts.staff).toBeGreaterThanOrEqual(1)
    expect(manifest.counts.staff).toBeLessThanOrEqual(41)
    // the second folder has the same files: the backup, its manifest, its recovery record (#18 item 3) and checksum
    expect(fs.readdirSync(second).sort()).toEqual([manifest.name, `${manifest.name}.manifest.json`, `${manifest.name}.recovery.json`, `${manifest.name}.sha256`])
    // a second folder must be a full path to an existing folder
    for (const secondFolder of ['relative/dir', path.join(second, 'missing')]) {
      expect(await admin.try('backup.setSettings', { everyHours: 24, secondFolder })).toMatchObject({ ok: false, error: { code: 'VALIDATION', reason: 'backup_folder' } })
    }
    const listed = await admin.call('backup.list', {})
    expect(listed.backups.map((b) => [b.name, b.copied])).toEqual([[manifest.name, true]])
    expect(listed.running).toBeNull()
    // the host kept serving, and the backup is in the audit log
    expect((await admin.call('staff.list', {})).total).toBe(41)
    expect(host.database.sqlite.prepare(`SELECT count(*) FROM audit_log WHERE action = 'backup.create'`).pluck().get()).toBe(1)
    fs.rmSync(second, { recursive: true, force: true })
  })

  it('rotation keeps the newest of the last 7 days, 4 weeks and 12 months; a scheduled backup is taken when due', async () => {
    const clock = new ManualClock(new Date('2026-11-25T02:00:00Z'))
    host = await startTempHost({ clock })
    // 16 days, one scheduled backup a day: 2026-11-25 (Wed) to 2026-12-10 (Thu)
    for (let d = 0; d < 16; d++) {
      await host.backups.tick()
      expect(await host.backups.whenDone()).not.toBeNull()
      // not due again the same day
      await host.backups.tick()
      expect(host.backups.progress()).toBeNull()
      clock.advance(24 * 3_600_000)
    }
    const admin = await adminClient(host)
    const kept = (await admin.call('backup.list', {})).backups.map((b) => b.name.slice(7, 15))
    // 7 daily (Dec 4 to 10); weekly: Dec 10 and Dec 6 (kept already), Nov 29 (week of Nov 23); monthly: Dec 10, Nov 30
    expect(kept).toEqual(['20261210', '20261209', '20261208', '20261207', '20261206', '20261205', '20261204', '20261130', '20261129'])
    // each kept backup: the file, its checksum, manifest and recovery record (the dropped ones lose all four)
    expect(fs.readdirSync(host.backups.folder)).toHaveLength(9 * 4)
  })

  it('of backups taken in the same second the newest is kept, each time', async () => {
    host = await startTempHost()
    const admin = await adminClient(host)
    for (let i = 0; i < 3; i++) {
      host.backups.start('manual')
      const m = (await host.backups.whenDone())!
      expect((await admin.call('backup.list', {})).backups.map((b) => b.name)).toEqual([m.name])
    }
  })

  it('a backup that cannot be written fails in words, changes nothing, and the host still answers', async () => {
    host = await startTempHost()
    const admin = await adminClient(host)
    // the backups folder cannot be made: a file holds its name
    fs.writeFileSync(host.backups.folder, 'not a folder')
    await admin.call('backup.create', {})
    expect(await host.backups.whenDone()).toBeNull()
    const listed = await admin.call('backup.list', {})
    expect(listed).toMatchObject({ backups: [], running: null, lastFailure: { reason: 'not_writable' } })
    expect(JSON.stringify(listed)).not.toContain(host.dataDir)
    expect((await admin.call('staff.list', {})).total).toBe(1)
    // once it can be written, the next backup succeeds and the failure is cleared
    fs.rmSync(host.backups.folder)
    await admin.call('backup.create', {})
    expect(await host.backups.whenDone()).not.toBeNull()
    expect((await admin.call('backup.list', {})).lastFailure).toBeNull()
  })

  it('an agent (or a manager) can neither list nor take nor set backups, and the host still answers', async () => {
    host = await startTempHost()
    const admin = await adminClient(host)
    for (const role of ['agent', 'manager'] as const) {
      await admin.call('staff.create', { username: role, name: role, role, team: null, password: STAFF_PASSWORD })
      const c = host.client()
      await c.call('auth.login', { username: role, password: STAFF_PASSWORD })
      for (const [m, input] of [['backup.list', {}], ['backup.create', {}], ['backup.setSettings', { everyHours: 1, secondFolder: '/tmp' }], ['backup.restore', { name: 'keyuan-20261125-100000.db' }]] as const) {
        expect(await c.try(m, input as never)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
      }
      expect(await c.call('system.ping', {})).toMatchObject({ pong: true })
    }
    expect(host.backups.progress()).toBeNull()
    expect(fs.existsSync(host.backups.folder)).toBe(false)
  })
})
