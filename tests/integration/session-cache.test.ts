import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ManualClock } from '../../electron/host/clock'
import { SignInWrites, writesSignIns } from '../../electron/host/db/sign-in-writes'
import type { Host } from '../../electron/host/host'
import { adminClient, staffClient } from '../helpers/staff'
import { startTempHost } from '../helpers/temp-host'

// The dispatcher keeps sessions between calls while the writer has changed nothing in staff or
// sessions. Each way a session can change must be seen by the very next call.

let host: Host & { cleanup(): Promise<void> }
let clock: ManualClock

beforeAll(async () => {
  clock = new ManualClock(new Date('2026-11-02T01:00:00.000Z'))
  host = await startTempHost({ clock })
})
// a held read is let go before the host closes, even if a test stopped before letting it go
let letGo = () => {}
afterAll(async () => {
  letGo()
  await host.cleanup()
})

/** Messages posted to the reader workers while `fn` runs. */
async function readerMessages(fn: () => Promise<unknown>): Promise<number> {
  let n = 0
  const restore: Array<() => void> = []
  for (const c of host.pool.connections('reader')) {
    const post = c.worker.postMessage.bind(c.worker)
    c.worker.postMessage = (m: unknown) => {
      n++
      post(m)
    }
    restore.push(() => {
      c.worker.postMessage = post
    })
  }
  try {
    await fn()
  } finally {
    for (const r of restore) r()
  }
  return n
}

describe('sessions kept between calls', () => {
  it('a second call of the same session does not read it again', async () => {
    const admin = await adminClient(host)
    await admin.call('clients.regionTree', {})
    const first = await readerMessages(() => admin.call('clients.regionTree', {}))
    // the ping reads nothing, and its session is kept: no reader hears of it at all
    expect(await readerMessages(() => admin.call('system.ping', {}))).toBe(0)
    const admin2 = await adminClient(host)
    // a new session is read once (one message more), then kept
    expect(await readerMessages(() => admin2.call('clients.regionTree', {}))).toBe(first + 1)
    expect(await readerMessages(() => admin2.call('clients.regionTree', {}))).toBe(first)
  })

  it('the ping is answered while every reader is held by a long read', async () => {
    const admin = await adminClient(host)
    await admin.call('system.ping', {})
    const gate = new Promise<void>((r) => (letGo = r))
    const held = host.pool.connections('reader').map(() =>
      host.pool.reader.transaction().execute(async (trx) => {
        await trx.selectFrom('staff').select('id').execute()
        await gate
      }),
    )
    // were the ping to wait for a reader, it would never be answered (the test times out)
    expect(await admin.call('system.ping', {})).toMatchObject({ pong: true })
    letGo()
    await Promise.all(held)
  })

  it('a changed role counts from the next call', async () => {
    const admin = await adminClient(host)
    const { client, staff } = await staffClient(host, admin, 'agent', 'sc-role')
    expect((await client.try('staff.list', {})).ok).toBe(false)
    await client.call('auth.whoami', {})
    await admin.call('staff.update', { id: staff.id, version: staff.version, role: 'manager' })
    expect((await client.call('auth.whoami', {})).role).toBe('manager')
    expect((await client.try('staff.list', {})).ok).toBe(true)
  })

  it('a deactivated account is refused at its next call', async () => {
    const admin = await adminClient(host)
    const { client, staff } = await staffClient(host, admin, 'agent', 'sc-off')
    await client.call('auth.whoami', {})
    await client.call('auth.whoami', {})
    // a search from a kept session is answered at once (Dispatcher.answerAtOnce): refused the same way
    await client.call('clients.search', { q: 'zw' })
    await admin.call('staff.deactivate', { id: staff.id })
    const r = await client.try('auth.whoami', {})
    expect(r.ok ? 'ok' : r.error.code).toMatch(/ACCOUNT_DISABLED|UNAUTHENTICATED/)
    const s = await client.try('clients.search', { q: 'zw' })
    expect(s.ok ? 'ok' : s.error.code).toMatch(/ACCOUNT_DISABLED|UNAUTHENTICATED/)
  })

  it('a signed-out session is refused at its next call; the same person signed in elsewhere goes on', async () => {
    const admin = await adminClient(host)
    const { client } = await staffClient(host, admin, 'agent', 'sc-out')
    const other = host.client()
    await other.call('auth.login', { username: 'sc-out', password: 'staff-pass-123' })
    await client.call('auth.whoami', {})
    await other.call('auth.whoami', {})
    await client.call('clients.search', { q: 'zw' })
    const token = client.token
    await client.call('auth.logout', {})
    const again = host.client()
    again.token = token
    expect(await again.try('auth.whoami', {})).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } })
    expect(await again.try('clients.search', { q: 'zw' })).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } })
    expect((await other.call('auth.whoami', {})).username).toBe('sc-out')
  })

  it('a kept session still expires on time', async () => {
    const admin = await adminClient(host)
    const { client } = await staffClient(host, admin, 'agent', 'sc-exp')
    const me = await client.call('auth.whoami', {})
    await client.call('auth.whoami', {})
    await client.call('clients.search', { q: 'zw' })
    expect(me.username).toBe('sc-exp')
    clock.advance(30 * 24 * 3600_000)
    expect(await client.try('clients.search', { q: 'zw' })).toMatchObject({ ok: false, error: { code: 'SESSION_EXPIRED' } })
    expect(await client.try('auth.whoami', {})).toMatchObject({ ok: false, error: { code: 'SESSION_EXPIRED' } })
  })

  it('a change written on the writer by any statement counts once committed, not before; a rolled-back one changes nothing', async () => {
    const admin = await adminClient(host)
    const { client, staff } = await staffClient(host, admin, 'agent', 'sc-raw')
    await client.call('auth.whoami', {})
    let seenInside: string | null = null
    const undone = await host.pool.writer
      .transaction()
      .execute(async (trx) => {
        await sql`UPDATE staff SET active = 0 WHERE id = ${staff.id}`.execute(trx)
        // not committed yet: the call reads the committed row (still active) and may keep it
        const r = await client.try('auth.whoami', {})
        seenInside = r.ok ? 'ok' : r.error.code
        throw new Error('undo')
      })
      .catch((e: unknown) => e)
    expect(undone).toBeInstanceOf(Error)
    expect(seenInside).toBe('ok')
    expect((await client.try('auth.whoami', {})).ok).toBe(true)
    await host.pool.writer.transaction().execute((trx) => sql`UPDATE staff SET active = 0 WHERE id = ${staff.id}`.execute(trx))
    expect(await client.try('auth.whoami', {})).toMatchObject({ ok: false, error: { code: 'ACCOUNT_DISABLED' } })
  })
})

describe('SignInWrites: what counts as a change to who is signed in', () => {
  it('counts writes naming staff or sessions once their transaction ends; never reads, never other tables', () => {
    const w = new SignInWrites()
    w.ran('select * from "staff" where "id" = ?')
    w.ran('insert into "follow_ups" ("staff_id", "content") values (?, ?)')
    expect(w.generation).toBe(0)
    w.ran('update "sessions" set "revoked_at" = ? where "token_hash" = ?')
    expect(w.generation).toBe(1)
    w.began()
    w.ran('UPDATE staff SET active = 0 WHERE id = ?')
    w.ran('insert into "audit_log" ("action") values (?)')
    expect(w.generation).toBe(1)
    w.ran('commit')
    expect(w.generation).toBe(2)
    w.began()
    w.ran('delete from sessions where staff_id = ?')
    w.ran('rollback')
    expect(w.generation).toBe(3)
    w.began()
    w.ran('INSERT INTO sessions (token_hash) VALUES (?)')
    w.lost()
    expect(w.generation).toBe(4)
    w.began()
    w.ran('update "clients" set "owner_id" = ?')
    w.ran('commit')
    expect(w.generation).toBe(4)
  })

  it('a write counts by its target table: reading staff to write elsewhere does not count', () => {
    for (const sql of [
      'update "staff" set "role" = ? where "id" = ?',
      'UPDATE OR IGNORE staff SET active = 0',
      'insert into "sessions" ("token_hash") values (?)',
      'INSERT OR REPLACE INTO staff (id) VALUES (?)',
      'REPLACE INTO sessions (token_hash) VALUES (?)',
      'delete from "sessions" where "staff_id" = ?',
      'WITH x AS (SELECT id FROM clients) UPDATE staff SET active = 0 WHERE id IN (SELECT id FROM x)',
      'DROP TABLE staff',
      'ALTER TABLE sessions ADD COLUMN x',
    ]) {
      expect(writesSignIns(sql), sql).toBe(true)
    }
    for (const sql of [
      'select "s".* from "sessions" as "s" inner join "staff" on "staff"."id" = "s"."staff_id"',
      `INSERT INTO tasks (staff_id, client_id) SELECT m.id, c.id FROM clients c JOIN staff m ON m.role = 'manager'`,
      'UPDATE tasks SET status = ? WHERE EXISTS (SELECT 1 FROM staff WHERE staff.id = tasks.staff_id)',
      'insert into "notifications" ("staff_id") values (?)',
      'update "clients" set "owner_id" = ? where "owner_id" in (select "id" from "staff")',
      'delete from "search_terms" where "client_id" = ?',
    ]) {
      expect(writesSignIns(sql), sql).toBe(false)
    }
  })
})
