import fs from 'node:fs'
import path from 'node:path'
import Database from 'better-sqlite3-multiple-ciphers'
import { afterEach, describe, expect, it } from 'vitest'
import type { BackupManifest } from '@shared/contract/backup'
import { unlockConnection } from '../../electron/host/db/connection-setup'
import { DB_FILE_NAME, resolveHeadlessKey } from '../../electron/host/db/key-file'
import { sha256Of } from '../../electron/host/domains/backup/backup-file'
import { adminClient, STAFF_PASSWORD } from '../helpers/staff'
import { startTempHost } from '../helpers/temp-host'

type TempHost = Awaited<ReturnType<typeof startTempHost>>
const hosts: TempHost[] = []
afterEach(async () => {
  for (const h of hosts.splice(0)) await h.cleanup()
})

async function newHost(): Promise<TempHost> {
  const h = await startTempHost()
  hosts.push(h)
  return h
}

async function backupOf(host: TempHost): Promise<BackupManifest> {
  host.backups.start('manual')
  const m = await host.backups.whenDone()
  if (!m) throw new Error('the backup failed')
  return m
}

const staffNames = async (admin: Awaited<ReturnType<typeof adminClient>>) => (await admin.call('staff.list', {})).rows.map((r) => r.username).sort()

/** The files of the data folder beside the database (a refusal must leave none behind). */
const dataFiles = (host: TempHost) => fs.readdirSync(host.dataDir).filter((f) => f.startsWith(DB_FILE_NAME)).sort()

/** Changes a kept backup with SQL under the key, then writes its checksum and manifest again (so only the deeper checks can catch it). */
function rewriteBackup(host: TempHost, m: BackupManifest, sql: string): Promise<void> {
  const file = path.join(host.backups.folder, m.name)
  const db = new Database(file)
  unlockConnection(db, resolveHeadlessKey(host.dataDir, {}).keyHex)
  db.exec(sql)
  db.close()
  return sha256Of(file).then((sha256) => {
    fs.writeFileSync(`${file}.sha256`, `${sha256}  ${m.name}\n`)
    fs.writeFileSync(`${file}.manifest.json`, JSON.stringify({ ...m, sha256, bytes: fs.statSync(file).size }))
  })
}

describe('restore', () => {
  it('round trip: the restored data is served, the replaced database is kept aside, the report says what came back', async () => {
    const host = await newHost()
    const admin = await adminClient(host)
    await admin.call('staff.create', { username: 'before', name: '之前', role: 'agent', team: null, password: STAFF_PASSWORD })
    const m = await backupOf(host)
    await admin.call('staff.create', { username: 'after', name: '之后', role: 'agent', team: null, password: STAFF_PASSWORD })
    expect(await staffNames(admin)).toEqual(['admin', 'after', 'before'])
    // a session begun after the backup (and kept in the dispatcher's memory) is not in the restored database
    const afterAgent = host.client()
    await afterAgent.call('auth.login', { username: 'after', password: STAFF_PASSWORD })
    await afterAgent.call('system.ping', {})

    // a call made while the connections are closed for the swap waits, then is answered
    const [report, during] = await Promise.all([admin.call('backup.restore', { name: m.name }), admin.try('staff.list', {})])
    expect(during.ok).toBe(true)
    expect(report).toMatchObject({ restored: { name: m.name, counts: { staff: 2 } }, integrity: 'ok' })
    expect(report.auditChecked).toBeGreaterThan(0)
    // the host serves the restored data: the staff member made after the backup is gone
    expect(await staffNames(admin)).toEqual(['admin', 'before'])
    expect(await afterAgent.try('system.ping', {})).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } })
    expect(host.database.sqlite.prepare(`SELECT count(*) FROM staff WHERE username = 'after'`).pluck().get()).toBe(0)
    // the replaced database is kept, opens with the key and still holds what came after
    const kept = new Database(path.join(host.dataDir, report.keptAs), { readonly: true })
    unlockConnection(kept, resolveHeadlessKey(host.dataDir, {}).keyHex)
    expect(kept.prepare(`SELECT count(*) FROM staff WHERE username = 'after'`).pluck().get()).toBe(1)
    kept.close()
    // audited in the restored database, and its chain (with a fresh anchor) verifies
    expect(host.database.sqlite.prepare(`SELECT count(*) FROM audit_log WHERE action = 'backup.restored'`).pluck().get()).toBe(1)
    expect(await admin.call('audit.verify', {})).toMatchObject({ ok: true, firstBrokenId: null, anchor: { status: 'agrees' } })
    // writes go on after it
    await admin.call('staff.create', { username: 'later', name: '再后', role: 'agent', team: null, password: STAFF_PASSWORD })
    expect(await staffNames(admin)).toEqual(['admin', 'before', 'later'])
  })

  it('a backup with one byte changed is refused by its checksum, and nothing changes', async () => {
    const host = await newHost()
    const admin = await adminClient(host)
    const m = await backupOf(host)
    await admin.call('staff.create', { username: 'after', name: '之后', role: 'agent', team: null, password: STAFF_PASSWORD })
    const file = path.join(host.backups.folder, m.name)
    const bytes = fs.readFileSync(file)
    bytes[bytes.length - 100] = bytes[bytes.length - 100]! ^ 0x01
    fs.writeFileSync(file, bytes)
    const before = dataFiles(host)
    expect(await admin.try('backup.restore', { name: m.name })).toMatchObject({ ok: false, error: { code: 'VALIDATION', reason: 'backup_checksum', field: 'backup' } })
    expect(dataFiles(host)).toEqual(before)
    expect(await staffNames(admin)).toEqual(['admin', 'after'])
  })

  it('a backup made under another key is refused, and nothing changes', async () => {
    const host = await newHost()
    const other = await newHost()
    const admin = await adminClient(host)
    const foreign = await backupOf(other)
    fs.mkdirSync(host.backups.folder, { recursive: true })
    for (const suffix of ['', '.sha256', '.manifest.json']) fs.copyFileSync(path.join(other.backups.folder, foreign.name + suffix), path.join(host.backups.folder, foreign.name + suffix))
    const before = dataFiles(host)
    const r = await admin.try('backup.restore', { name: foreign.name })
    expect(r).toMatchObject({ ok: false, error: { code: 'VALIDATION', reason: 'backup_wrong_key' } })
    // the refusal names no file or path
    expect(JSON.stringify(r)).not.toContain(host.dataDir)
    expect(dataFiles(host)).toEqual(before)
    expect(await admin.call('system.ping', {})).toMatchObject({ pong: true })
  })

  it('a backup from a newer schema, or with a broken audit chain, is refused (checksums rewritten to match)', async () => {
    const host = await newHost()
    const admin = await adminClient(host)
    const newer = await backupOf(host)
    await rewriteBackup(host, newer, `INSERT INTO schema_version (version, name, applied_at) VALUES (9999, 'from-the-future', '2030-01-01T00:00:00Z')`)
    expect(await admin.try('backup.restore', { name: newer.name })).toMatchObject({ ok: false, error: { reason: 'backup_too_new' } })
    await admin.call('staff.create', { username: 'mover', name: '动', role: 'agent', team: null, password: STAFF_PASSWORD })
    const broken = await backupOf(host)
    await rewriteBackup(host, broken, `DROP TRIGGER audit_no_update; UPDATE audit_log SET detail = '{}' WHERE id = (SELECT max(id) FROM audit_log WHERE action = 'staff.create')`)
    expect(await admin.try('backup.restore', { name: broken.name })).toMatchObject({ ok: false, error: { reason: 'backup_audit_broken' } })
    expect(await staffNames(admin)).toEqual(['admin', 'mover'])
    expect(fs.readdirSync(host.dataDir).filter((f) => f.includes('before-restore'))).toEqual([])
  })

  it('a name that is not a kept backup is refused; a path is not even parsed', async () => {
    const host = await newHost()
    const admin = await adminClient(host)
    expect(await admin.try('backup.restore', { name: 'keyuan-20261125-100000.db' })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } })
    expect(await admin.try('backup.restore', { name: '../keyuan.db' })).toMatchObject({ ok: false, error: { code: 'VALIDATION' } })
  })
})
