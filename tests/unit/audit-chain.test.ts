import fs from 'node:fs'
import path from 'node:path'
import Database from 'better-sqlite3-multiple-ciphers'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ManualClock } from '../../electron/host/clock'
import { migrate, MIGRATIONS } from '../../electron/host/db/migrate'
import { openDatabase, type OpenedDatabase } from '../../electron/host/db/open'
import { AUDIT_ANCHOR_FILE_NAME, AuditAnchor } from '../../electron/host/domains/audit/audit-anchor'
import { deriveAuditKeys } from '../../electron/host/domains/audit/audit-keys'
import { AuditLog } from '../../electron/host/domains/audit/audit-log'
import { GENESIS_HASH, hmacLink, sha256Link, verifyChain, type AuditEntry } from '../../electron/host/domains/audit/audit.repository'
import { tempDir } from '../helpers/temp-host'

const KEY = 'd4'.repeat(32)
const keys = deriveAuditKeys(KEY)
const clock = new ManualClock(new Date('2026-11-25T02:00:00Z'))
let dir: string
let store: OpenedDatabase
let log: AuditLog
const anchorFile = () => path.join(dir, AUDIT_ANCHOR_FILE_NAME)
const newLog = () => new AuditLog(keys, new AuditAnchor(anchorFile()), clock)
const record = (i: number) => ({
  at: `2026-11-25T00:00:${String(i).padStart(2, '0')}.000Z`,
  actorId: 1,
  actorName: '管理员',
  action: 'staff.update',
  target: `staff:${i}`,
  detail: { i },
  address: '127.0.0.1',
})
const entry = (i: number): AuditEntry => ({ ...record(i), detail: JSON.stringify({ i }), numberKeys: '' })

/** Appends n rows, each in its own committed transaction, the anchor moving after each. */
async function appendRows(from: number, to: number) {
  for (let i = from; i <= to; i++) {
    await store.db.transaction().execute((trx) => log.append(trx, record(i)))
    await log.afterCommit(store.db)
  }
}

type Row = { id: number; at: string; actor_id: number; actor_name: string; action: string; target: string; detail: string; address: string; prev_hash: string; hash: string; number_keys: string }
const rows = () => store.sqlite.prepare('SELECT * FROM audit_log ORDER BY id').all() as Row[]

/** What an attacker holding the database key does: edit a row, then re-link every row after it with the derived key. */
function editAndRehash(id: number, detail: string) {
  store.sqlite.exec('DROP TRIGGER audit_no_update')
  store.sqlite.prepare('UPDATE audit_log SET detail = ? WHERE id = ?').run(detail, id)
  let prev = GENESIS_HASH
  for (const r of rows()) {
    const e: AuditEntry = { at: r.at, actorId: r.actor_id, actorName: r.actor_name, action: r.action, target: r.target, detail: r.detail, address: r.address, numberKeys: r.number_keys }
    const hash = hmacLink(deriveAuditKeys(KEY).chain, prev, e)
    store.sqlite.prepare('UPDATE audit_log SET prev_hash = ?, hash = ? WHERE id = ?').run(prev, hash, r.id)
    prev = hash
  }
}

beforeEach(() => {
  dir = tempDir('keyuan-audit-')
  store = openDatabase(path.join(dir, 'keyuan.db'), KEY)
  log = newLog()
})
afterEach(async () => {
  log.close()
  await store.close()
  fs.rmSync(dir, { recursive: true, force: true })
})

describe('audit hash chain', () => {
  it('links each row to the previous one', async () => {
    await appendRows(1, 5)
    const all = rows()
    expect(all[0]!.prev_hash).toBe(GENESIS_HASH)
    expect(all[0]!.hash).toBe(hmacLink(keys.chain, GENESIS_HASH, entry(1)))
    for (let i = 1; i < all.length; i++) expect(all[i]!.prev_hash).toBe(all[i - 1]!.hash)
    expect(await verifyChain(store.db, keys.chain)).toEqual({ ok: true, checked: 5, firstBrokenId: null })
  })

  it('reports the first row whose content was changed behind its back', async () => {
    await appendRows(1, 5)
    // an attacker with the key drops the guard and edits row 3
    store.sqlite.exec('DROP TRIGGER audit_no_update')
    store.sqlite.prepare(`UPDATE audit_log SET detail = '{"i":99}' WHERE id = 3`).run()
    expect(await verifyChain(store.db, keys.chain)).toEqual({ ok: false, checked: 2, firstBrokenId: 3 })
  })

  it('reports a deleted row as a break at its successor', async () => {
    await appendRows(1, 4)
    store.sqlite.exec('DROP TRIGGER audit_no_delete')
    store.sqlite.prepare('DELETE FROM audit_log WHERE id = 2').run()
    expect((await verifyChain(store.db, keys.chain)).firstBrokenId).toBe(3)
  })

  it('masks numbers in the target as in the detail, and hashes them for the search', async () => {
    await store.db.transaction().execute((trx) => log.append(trx, { ...record(1), target: 'lookup:13812345678', detail: { mobile: '13912345678' } }))
    const r = rows()[0]!
    expect(r.target).toBe('lookup:138****5678')
    expect(r.detail).toBe('{"mobile":"139****5678"}')
    expect(r.number_keys.split(' ')).toHaveLength(2)
    expect(store.sqlite.prepare('SELECT count(*) FROM audit_number WHERE audit_id = ?').pluck().get(r.id)).toBe(2)
    expect(r.number_keys.split(' ')).toContain(log.searchKey('138 1234 5678')?.key)
  })

  it('cannot be re-linked without the key: a chain re-hashed with plain SHA-256 or another key breaks', async () => {
    await appendRows(1, 3)
    expect((await verifyChain(store.db, deriveAuditKeys('e5'.repeat(32)).chain)).firstBrokenId).toBe(1)
  })
})

describe('audit anchor', () => {
  it('a clean chain verifies, and the anchor agrees with its head', async () => {
    await appendRows(1, 5)
    const head = rows()[4]!
    const report = await log.verify(store.db)
    expect(report).toMatchObject({ ok: true, checked: 5, firstBrokenId: null, keyedFrom: 1 })
    expect(report.head).toEqual({ id: 5, hash: head.hash, at: head.at })
    expect(report.anchor).toEqual({ status: 'agrees', last: report.head, from: 1, coversAll: true })
    // one line per commit, appended
    expect(fs.readFileSync(anchorFile(), 'utf8').trim().split('\n')).toHaveLength(5)
    expect(log.health()).toMatchObject({ ok: true, head: report.head, anchor: { status: 'agrees' }, lastVerify: { ok: true, checked: 5 } })
  })

  it('an edit followed by re-hashing the whole chain with the derived key is caught by the anchor', async () => {
    await appendRows(1, 5)
    editAndRehash(3, '{"i":99}')
    // the chain alone cannot tell: every link is right for the key
    expect(await verifyChain(store.db, keys.chain)).toEqual({ ok: true, checked: 5, firstBrokenId: null })
    const report = await log.verify(store.db)
    expect(report.ok).toBe(false)
    expect(report.anchor.status).toBe('disagrees')
    expect(report.anchor.last?.id).toBe(5)
    // a host started afterwards (a fresh reader of the anchor file) sees the same
    const restarted = newLog()
    expect((await restarted.verify(store.db)).anchor.status).toBe('disagrees')
    restarted.close()
  })

  it('dropping the last rows is caught (the anchor is ahead), and later writes do not paper over it', async () => {
    await appendRows(1, 5)
    store.sqlite.exec('DROP TRIGGER audit_no_delete')
    store.sqlite.prepare('DELETE FROM audit_log WHERE id > 3').run()
    expect(await verifyChain(store.db, keys.chain)).toEqual({ ok: true, checked: 3, firstBrokenId: null })
    const report = await log.verify(store.db)
    expect(report).toMatchObject({ ok: false, anchor: { status: 'ahead', last: { id: 5 } }, head: { id: 3 } })
    expect(log.health().ok).toBe(false)

    const before = fs.readFileSync(anchorFile(), 'utf8')
    await appendRows(6, 7)
    expect(fs.readFileSync(anchorFile(), 'utf8')).toBe(before)
    expect((await log.verify(store.db)).ok).toBe(false)
  })

  it('catches up at start when the process stopped between a commit and its anchor line', async () => {
    await appendRows(1, 2)
    // a row committed, then the process died before afterCommit
    await store.db.transaction().execute((trx) => log.append(trx, record(3)))
    const restarted = newLog()
    expect((await restarted.catchUp(store.db)).status).toBe('agrees')
    expect((await restarted.verify(store.db)).anchor).toMatchObject({ status: 'agrees', last: { id: 3 } })
    restarted.close()
  })

  it('reports a missing anchor file, then starts a new one that says it does not cover the earlier rows', async () => {
    await appendRows(1, 3)
    log.close()
    fs.rmSync(anchorFile())
    log = newLog()
    expect((await log.verify(store.db)).anchor.status).toBe('missing')
    expect((await log.verify(store.db)).ok).toBe(false)
    expect((await log.catchUp(store.db)).status).toBe('missing')
    expect((await log.verify(store.db)).anchor).toMatchObject({ status: 'agrees', from: 3, coversAll: false })
  })

  it('ignores a torn last line (a crash in the middle of a write)', async () => {
    await appendRows(1, 2)
    fs.appendFileSync(anchorFile(), '{"id":3,"hash":"ab')
    expect(new AuditAnchor(anchorFile()).last()?.id).toBe(2)
    expect((await log.verify(store.db)).anchor.status).toBe('agrees')
  })
})

describe('an existing SHA-256 chain', () => {
  it('keeps its rows as they were, continues keyed, and verify walks both', async () => {
    log.close()
    await store.close()
    fs.rmSync(dir, { recursive: true, force: true })
    dir = tempDir('keyuan-audit-legacy-')
    const file = path.join(dir, 'keyuan.db')
    // a database as the previous version left it: schema 6, three plain SHA-256 links
    const old = new Database(file)
    old.pragma(`cipher='sqlcipher'`)
    old.pragma('legacy=4')
    old.pragma(`key="x'${KEY}'"`)
    old.pragma('journal_mode = WAL')
    migrate(old, MIGRATIONS.filter((m) => m.version <= 6))
    let prev = GENESIS_HASH
    for (let i = 1; i <= 3; i++) {
      const e = entry(i)
      const hash = sha256Link(prev, e)
      old
        .prepare('INSERT INTO audit_log (at, actor_id, actor_name, action, target, detail, address, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)')
        .run(e.at, e.actorId, e.actorName, e.action, e.target, e.detail, e.address, prev, hash)
      prev = hash
    }
    const legacy = old.prepare('SELECT id, prev_hash, hash FROM audit_log ORDER BY id').all()
    old.close()

    store = openDatabase(file, KEY)
    log = newLog()
    expect(store.sqlite.prepare('SELECT id, prev_hash, hash FROM audit_log ORDER BY id').all()).toEqual(legacy)
    expect(store.sqlite.prepare('SELECT DISTINCT alg FROM audit_log').pluck().all()).toEqual(['sha256'])
    expect((await log.verify(store.db)).anchor.status).toBe('none')

    await appendRows(4, 6)
    const all = rows()
    expect(all[3]!.prev_hash).toBe(all[2]!.hash)
    expect(store.sqlite.prepare('SELECT alg FROM audit_log ORDER BY id').pluck().all()).toEqual(['sha256', 'sha256', 'sha256', 'hmac-sha256', 'hmac-sha256', 'hmac-sha256'])
    expect(await log.verify(store.db)).toMatchObject({ ok: true, checked: 6, firstBrokenId: null, keyedFrom: 4, anchor: { status: 'agrees', from: 4, coversAll: true } })

    // an old row edited is still caught by its plain link
    store.sqlite.exec('DROP TRIGGER audit_no_update')
    store.sqlite.prepare(`UPDATE audit_log SET detail = '{"i":42}' WHERE id = 2`).run()
    expect((await verifyChain(store.db, keys.chain)).firstBrokenId).toBe(2)
  })

  it('refuses a keyed row turned back into a plain one (a downgrade re-linked with SHA-256)', async () => {
    await appendRows(1, 3)
    store.sqlite.exec('DROP TRIGGER audit_no_update')
    let prev = rows()[0]!.hash
    for (const r of rows().slice(1)) {
      const e: AuditEntry = { at: r.at, actorId: r.actor_id, actorName: r.actor_name, action: r.action, target: r.target, detail: r.detail, address: r.address }
      const hash = sha256Link(prev, e)
      store.sqlite.prepare(`UPDATE audit_log SET alg = 'sha256', prev_hash = ?, hash = ? WHERE id = ?`).run(prev, hash, r.id)
      prev = hash
    }
    expect(await verifyChain(store.db, keys.chain)).toEqual({ ok: false, checked: 1, firstBrokenId: 2 })
  })
})
