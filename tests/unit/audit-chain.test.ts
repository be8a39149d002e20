import fs from 'node:fs'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openDatabase, type OpenedDatabase } from '../../electron/host/db/open'
import { appendAudit, auditHash, GENESIS_HASH, verifyAudit } from '../../electron/host/domains/audit/audit.repository'
import { tempDir } from '../helpers/temp-host'

let dir: string
let store: OpenedDatabase
const entry = (i: number) => ({
  at: `2026-11-25T00:00:${String(i).padStart(2, '0')}.000Z`,
  actorId: 1,
  actorName: '管理员',
  action: 'staff.update',
  target: `staff:${i}`,
  detail: JSON.stringify({ i }),
  address: '127.0.0.1',
})

beforeEach(() => {
  dir = tempDir('keyuan-audit-')
  store = openDatabase(path.join(dir, 'keyuan.db'), 'd4'.repeat(32))
})
afterEach(async () => {
  await store.close()
  fs.rmSync(dir, { recursive: true, force: true })
})

describe('audit hash chain', () => {
  it('links each row to the previous one', async () => {
    for (let i = 1; i <= 5; i++) await appendAudit(store.db, entry(i))
    const rows = store.sqlite.prepare('SELECT prev_hash, hash FROM audit_log ORDER BY id').all() as Array<{
      prev_hash: string
      hash: string
    }>
    expect(rows[0]!.prev_hash).toBe(GENESIS_HASH)
    expect(rows[0]!.hash).toBe(auditHash(GENESIS_HASH, entry(1)))
    for (let i = 1; i < rows.length; i++) expect(rows[i]!.prev_hash).toBe(rows[i - 1]!.hash)
    expect(await verifyAudit(store.db)).toEqual({ ok: true, checked: 5, firstBrokenId: null })
  })

  it('reports the first row whose content was changed behind its back', async () => {
    for (let i = 1; i <= 5; i++) await appendAudit(store.db, entry(i))
    // an attacker with the key drops the guard and edits row 3
    store.sqlite.exec('DROP TRIGGER audit_no_update')
    store.sqlite.prepare(`UPDATE audit_log SET detail = '{"i":99}' WHERE id = 3`).run()
    expect(await verifyAudit(store.db)).toEqual({ ok: false, checked: 2, firstBrokenId: 3 })
  })

  it('reports a deleted row as a break at its successor', async () => {
    for (let i = 1; i <= 4; i++) await appendAudit(store.db, entry(i))
    store.sqlite.exec('DROP TRIGGER audit_no_delete')
    store.sqlite.prepare('DELETE FROM audit_log WHERE id = 2').run()
    expect((await verifyAudit(store.db)).firstBrokenId).toBe(3)
  })
})
