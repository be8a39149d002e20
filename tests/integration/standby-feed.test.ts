import fs from 'node:fs'
import https from 'node:https'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { applyFeed, feedTables, FeedBatch } from '../../electron/host/db/change-feed'
import { resolveHeadlessKey } from '../../electron/host/db/key-file'
import { openDatabase, type OpenedDatabase } from '../../electron/host/db/open'
import { startHost, type Host } from '../../electron/host/host'
import { deviceCookie } from '../../electron/host/pairing/pinned-tls'
import { STANDBY_PATHS } from '../../electron/host/standby/standby-protocol'
import { ADMIN_PASSWORD, tempDir } from '../helpers/temp-host'

// The host's side of the standby (issue #18 item 9) through the real LAN server: every table is
// fed, the routes refuse everyone but a paired standby, and a seed plus the changes after it
// rebuild the host's tables exactly (updates, deletes, composite and WITHOUT ROWID keys included).

let host: Host
let dataDir: string

beforeAll(async () => {
  dataDir = tempDir('keyuan-standby-feed-')
  host = await startHost({ dataDir, bind: '127.0.0.1', tls: true, port: 0, rendererDir: dataDir, env: { KEYUAN_ADMIN_PASSWORD: ADMIN_PASSWORD }, schedulerIntervalMs: 0, readers: 1 })
})
afterAll(async () => {
  await host.close()
  fs.rmSync(dataDir, { recursive: true, force: true })
})

function get(pathname: string, token: string | null, to?: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = https.get(new URL(pathname, host.url!), { ca: host.tls!.caPem, headers: token ? deviceCookie(token) : {} }, (res) => {
      if (to && res.statusCode === 200) {
        const out = fs.createWriteStream(to)
        res.pipe(out)
        out.on('finish', () => resolve({ status: 200, body: '' }))
        return
      }
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }))
    })
    req.on('error', reject)
  })
}

/** The feed's triggers the database has now. */
function feedTriggers(): string[] {
  return host.database.sqlite.prepare(`SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'keyuan_feed_%'`).pluck().all() as string[]
}

const feedHeadNow = () => Number(host.database.sqlite.prepare('SELECT coalesce(max(seq), 0) FROM change_log').pluck().get())

const reasonOf = (body: string) => (JSON.parse(body) as { error: { reason?: string } }).error.reason

/** Every fed table's rows in key order, as plain JSON (for comparing two databases). */
function contents(db: OpenedDatabase): Record<string, string> {
  const out: Record<string, string> = {}
  for (const t of feedTables(db.sqlite)) {
    out[t.name] = JSON.stringify(db.sqlite.prepare(`SELECT * FROM "${t.name}" ORDER BY ${t.key.map((k) => `"${k}"`).join(', ')}`).raw().all())
  }
  return out
}

describe('the change feed', () => {
  it('feeds nothing while no standby is registered, and has no virtual table it could not feed', () => {
    const sqlite = host.database.sqlite
    // every write of a branch without a standby would pay for a change_log row per row written
    expect(feedTriggers()).toEqual([])
    const tables = feedTables(sqlite)
    expect(tables.length).toBeGreaterThan(50)
    const all = sqlite.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`).pluck().all() as string[]
    expect(all.filter((n) => !tables.some((t) => t.name === n)).sort()).toEqual(['change_log', 'schema_version', 'standby_cursor', 'standby_feeds'])
    // a virtual table (FTS) would need its own handling: none may appear unnoticed
    expect(sqlite.prepare(`SELECT count(*) FROM sqlite_master WHERE sql LIKE 'CREATE VIRTUAL%'`).pluck().get()).toBe(0)
    // the WITHOUT ROWID tables are fed by their primary key
    expect(tables.find((t) => t.name === 'search_terms')?.key).toEqual(['term', 'client_id', 'field', 'pos'])
  })

  it('serves a paired standby only, and a seed plus the changes after it rebuild every table exactly', async () => {
    const admin = host.client()
    await admin.call('auth.login', { username: 'admin', password: ADMIN_PASSWORD })
    const changes = (after: number | string) => `${STANDBY_PATHS.changes}?after=${after}`

    // nobody unpaired, from loopback too
    const none = await get(changes(0), null)
    expect([none.status, reasonOf(none.body)]).toEqual([403, 'device_not_paired'])
    // a paired terminal the admin has not made a standby
    const terminal = await host.pairing.registry.pair('备机', 'terminal', '127.0.0.1')
    for (const p of [changes(0), STANDBY_PATHS.seed, STANDBY_PATHS.recovery]) {
      const r = await get(p, terminal.token)
      expect([r.status, reasonOf(r.body)]).toEqual([403, 'not_a_standby'])
    }
    // a browser cannot be one
    const browser = await host.pairing.registry.pair('浏览器', 'browser', '127.0.0.1')
    await expect(admin.call('devices.setStandby', { id: browser.id, standby: true })).rejects.toMatchObject({ error: { code: 'VALIDATION', reason: 'standby_not_terminal', field: 'id' } })
    const made = await admin.call('devices.setStandby', { id: terminal.id, standby: true })
    expect(made.standby).toMatchObject({ lastPullAt: null })
    // from the call's own transaction on, an insert, update and delete trigger on every fed table
    const triggers = new Set(feedTriggers())
    const lacking = feedTables(host.database.sqlite)
      .filter((t) => !['i', 'u', 'd'].every((op) => triggers.has(`keyuan_feed_${op}_${t.name}`)))
      .map((t) => t.name)
    expect(lacking).toEqual([])
    expect(triggers.size).toBeGreaterThan(150)
    const bad = await get(changes('x'), terminal.token)
    expect([bad.status, (JSON.parse(bad.body) as { error: { field: string } }).error.field]).toEqual([400, 'after'])

    // the seed, opened with the key its recovery record wraps (here: the host's own key file)
    const copyDir = tempDir('keyuan-standby-copy-')
    try {
      const seedFile = path.join(copyDir, 'keyuan.db')
      expect((await get(STANDBY_PATHS.seed, terminal.token, seedFile)).status).toBe(200)
      const recovery = await get(STANDBY_PATHS.recovery, terminal.token)
      expect(JSON.parse(recovery.body)).toHaveProperty('kdf')
      const copy = openDatabase(seedFile, resolveHeadlessKey(dataDir, {}).keyHex)
      try {
        copy.sqlite.pragma('foreign_keys = OFF')
        const seeded = Number(copy.sqlite.prepare('SELECT max(seq) FROM change_log').pluck().get())
        copy.sqlite.prepare('INSERT INTO standby_cursor (id, host_url, seq, pulled_at) VALUES (1, ?, ?, ?)').run(host.url, seeded, 'seed')

        // writes of every kind after the seed: inserts with their trigger-made rows, an update that
        // rewrites search_terms (WITHOUT ROWID), deletes, composite keys (user_prefs)
        await admin.call('staff.create', { username: 'sb-mgr', name: '备机店长', role: 'manager', password: 'standby-mgr-pass-4471' })
        const manager = host.client()
        await manager.call('auth.login', { username: 'sb-mgr', password: 'standby-mgr-pass-4471' })
        const c1 = await manager.call('clients.create', { kind: 'person', name: '张备机', phones: [{ number: '13700001111' }], sourceChannel: 'walk_in' })
        const c2 = await manager.call('clients.create', { kind: 'person', name: '李备机', phones: [{ number: '13700002222' }], sourceChannel: 'walk_in' })
        await manager.call('clients.update', { id: c1.id, version: c1.version, name: '王备机', phones: [{ number: '13700003333' }] })
        await admin.call('devices.revoke', { id: browser.id })
        expect(c2.id).toBeGreaterThan(c1.id)

        const batch = FeedBatch.parse(JSON.parse((await get(changes(seeded), terminal.token)).body))
        expect(batch.status).toBe('changes')
        if (batch.status !== 'changes') return
        expect(batch.more).toBe(false)
        applyFeed(copy.sqlite, batch, host.url!, 'now')
        expect(contents(copy)).toEqual(contents(host.database))
        // the standby's position is what the host holds the feed for
        expect(host.standby.stateOf(terminal.id)).toMatchObject({ ackedSeq: seeded })

        // a batch applied twice is refused: the cursor moved
        expect(() => applyFeed(copy.sqlite, batch, host.url!, 'again')).toThrow(/follows change/)
        // a cursor the host pruned past: re-seed
        await host.standby.prune()
        const again = FeedBatch.parse(JSON.parse((await get(changes(0), terminal.token)).body))
        expect(again).toMatchObject({ status: 'reseed', why: 'pruned' })
      } finally {
        await copy.close()
      }
    } finally {
      fs.rmSync(copyDir, { recursive: true, force: true })
    }

    // revoked: refused again
    await admin.call('devices.revoke', { id: terminal.id })
    const revoked = await get(changes(0), terminal.token)
    expect([revoked.status, reasonOf(revoked.body)]).toEqual([403, 'device_not_paired'])
    // it was the last standby: the triggers went with it, and a write feeds nothing
    expect(feedTriggers()).toEqual([])
    const head = feedHeadNow()
    await admin.call('staff.create', { username: 'sb-after', name: '备机之后', role: 'agent', password: 'standby-after-pass-9127' })
    expect(feedHeadNow()).toBe(head)

    // made a standby again (paired anew): the numbering goes on from the head the log kept
    const again = await host.pairing.registry.pair('备机二', 'terminal', '127.0.0.1')
    const remade = await admin.call('devices.setStandby', { id: again.id, standby: true })
    expect(remade.standby?.ackedSeq).toBeGreaterThanOrEqual(head)
    expect(feedTriggers().length).toBe(triggers.size)
    await admin.call('devices.setStandby', { id: again.id, standby: false })
    expect(feedTriggers()).toEqual([])
  }, 120_000)
})
