import fs from 'node:fs'
import path from 'node:path'
import { sql } from 'kysely'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { DB_FILE_NAME } from '../../electron/host/db/key-file'
import type { Host } from '../../electron/host/host'
import type { ApiClient } from '@shared/contract/client'
import { adminClient } from '../helpers/staff'
import { sideConnection } from '../helpers/beside-the-host'
import { startTempHost } from '../helpers/temp-host'

let host: Host & { cleanup(): Promise<void> }
let admin: ApiClient
let n = 0
const newStaff = () => ({ username: `err-${++n}`, name: `错误${n}`, role: 'agent' as const, password: 'staff-pass-123' })
const staffCount = () => host.database.sqlite.prepare('SELECT count(*) FROM staff').pluck().get() as number
const healthz = async () => (await fetch(`${host.url}/healthz`)).status

beforeAll(async () => {
  host = await startTempHost({ withServer: true })
  admin = await adminClient(host)
})
afterAll(() => host.cleanup())
/** A pragma on the writer's connection (in its worker): the one that writes for every call. */
const writerPragma = (pragma: string) => sql.raw(`PRAGMA ${pragma}`).execute(host.pool.writer)

afterEach(async () => {
  await writerPragma('busy_timeout = 5000')
  await writerPragma('query_only = 0')
  await writerPragma('max_page_count = 4294967294')
})

describe('storage errors reach the caller named, and the host goes on', () => {
  it('a write lock held by another connection: DB_BUSY, nothing saved', async () => {
    // the host waits only briefly here so the test does not wait its 5 s
    await writerPragma('busy_timeout = 50')
    const side = sideConnection(host)
    side.exec('BEGIN IMMEDIATE')
    const before = staffCount()
    try {
      const r = await admin.try('staff.create', newStaff())
      expect(r).toMatchObject({ ok: false, error: { code: 'DB_BUSY' } })
      expect(JSON.stringify(r)).not.toMatch(/SQLITE|INSERT|keyuan\.db/)
    } finally {
      side.exec('ROLLBACK')
      side.close()
    }
    expect(staffCount()).toBe(before)
    expect((await admin.try('staff.create', newStaff())).ok).toBe(true)
    expect(await healthz()).toBe(200)
  })

  it('a full disk (the database may not grow): DISK_FULL over HTTP with 507, nothing half-written', async () => {
    const pages = host.database.sqlite.pragma('page_count', { simple: true }) as number
    await writerPragma(`max_page_count = ${pages}`)
    const before = staffCount()
    let full: Response | null = null
    let saved = 0
    // the pages on hand still take a few rows; bounded, the database cannot grow
    for (let i = 0; i < 200 && !full; i++) {
      const res = await fetch(`${host.url}/api/staff.create`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${admin.token}` },
        body: JSON.stringify({ ...newStaff(), name: `满${'盘'.repeat(30)}` }),
      })
      if (res.status === 200) saved++
      else full = res
    }
    expect(full?.status).toBe(507)
    expect(await full?.json()).toMatchObject({ ok: false, error: { code: 'DISK_FULL' } })
    // the refused write left neither its row nor its audit row
    expect(staffCount() - before).toBe(saved)
    const q = (sql: string) => host.database.sqlite.prepare(sql).pluck().get() as number
    expect(q(`SELECT count(*) FROM audit_log WHERE action = 'staff.create' AND target IN (SELECT 'staff:' || id FROM staff WHERE username LIKE 'err-%')`)).toBe(
      q(`SELECT count(*) FROM staff WHERE username LIKE 'err-%'`),
    )
    await writerPragma('max_page_count = 4294967294')
    expect((await admin.try('staff.create', newStaff())).ok).toBe(true)
    expect(await healthz()).toBe(200)
    expect(await admin.call('audit.verify', {})).toMatchObject({ ok: true })
  })

  it('a database that cannot be written: DB_READ_ONLY', async () => {
    await writerPragma('query_only = 1')
    expect(await admin.try('staff.create', newStaff())).toMatchObject({ ok: false, error: { code: 'DB_READ_ONLY' } })
    await writerPragma('query_only = 0')
    expect((await admin.try('staff.create', newStaff())).ok).toBe(true)
    expect(await healthz()).toBe(200)
  })

  it('a damaged page on disk: DB_IO, saying nothing of the file; the host answers and works again once the file is restored', async () => {
    const file = path.join(host.dataDir, DB_FILE_NAME)
    const sqlite = host.database.sqlite
    // everything into the main file and out of the page cache, so the next read goes to the disk
    sqlite.pragma('wal_checkpoint(TRUNCATE)')
    sqlite.pragma('shrink_memory')
    const original = fs.readFileSync(file)
    const damaged = Buffer.from(original)
    for (let i = 4096; i < damaged.length; i++) damaged[i]! ^= 0x5a
    fs.writeFileSync(file, damaged)
    try {
      const r = await admin.try('staff.list', {})
      expect(r).toMatchObject({ ok: false, error: { code: 'DB_IO' } })
      expect(JSON.stringify(r)).not.toMatch(/SQLITE|malformed|keyuan\.db|\//)
      expect(await healthz()).toBe(200)
    } finally {
      fs.writeFileSync(file, original)
      sqlite.pragma('shrink_memory')
    }
    expect((await admin.try('staff.list', {})).ok).toBe(true)
  })
})
