import fs from 'node:fs'
import path from 'node:path'
import Database from 'better-sqlite3-multiple-ciphers'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DB_FILE_NAME, resolveHeadlessKey } from '../../electron/host/db/key-file'
import { AUDIT_ANCHOR_FILE_NAME } from '../../electron/host/domains/audit/audit-anchor'
import { deriveAuditKeys } from '../../electron/host/domains/audit/audit-keys'
import { GENESIS_HASH, hmacLink } from '../../electron/host/domains/audit/audit.repository'
import type { Host } from '../../electron/host/host'
import type { ApiClient } from '@shared/contract/client'
import { adminClient, staffClient } from '../helpers/staff'
import { startTempHost } from '../helpers/temp-host'

let host: Host & { cleanup(): Promise<void> }
let admin: ApiClient
let manager: ApiClient
let agent: ApiClient
let desk: ApiClient

beforeAll(async () => {
  host = await startTempHost({ withServer: true })
  admin = await adminClient(host)
  manager = (await staffClient(host, admin, 'manager', 'mgr-audit')).client
  agent = (await staffClient(host, admin, 'agent', 'agent-audit')).client
  desk = (await staffClient(host, admin, 'front_desk', 'desk-audit')).client
})
afterAll(() => host.cleanup())

const allAuditText = () => (host.database.sqlite.prepare(`SELECT group_concat(detail || ' ' || coalesce(target, ''), '\n') FROM audit_log`).pluck().get() as string) ?? ''
const health = async () => (await (await fetch(`${host.url}/healthz`)).json()) as { status: string; audit: { ok: boolean; head: { id: number } | null; anchor: { status: string } | null } }

describe('the audit log through the host', () => {
  it('stores phones and ID numbers masked, with keyed hashes beside them', async () => {
    await agent.call('clients.create', {
      kind: 'person',
      name: '审计甲',
      phones: [{ number: '13812345678' }, { number: '021-62345678' }],
      sourceChannel: 'phone',
      address: '幸福路 8 号（身份证 11010519491231002X）',
    })
    const row = host.database.sqlite.prepare(`SELECT detail, number_keys FROM audit_log WHERE action = 'clients.create' ORDER BY id DESC LIMIT 1`).get() as { detail: string; number_keys: string }
    expect(row.detail).toContain('138****5678')
    expect(row.detail).toContain('021-****5678')
    expect(row.detail).toContain('110***********002X')
    expect(row.number_keys.split(' ')).toHaveLength(3)
    expect(allAuditText()).not.toContain('13812345678')
    expect(allAuditText()).not.toContain('62345678')
    expect(allAuditText()).not.toContain('19491231')
  })

  it('a 10,000-deep payload in a denied call leaves a row with the deep part replaced, and the host answers', async () => {
    let deep: unknown = { phone: '13912345678' }
    for (let i = 0; i < 10_000; i++) deep = { next: deep }
    const r = await host.dispatcher.dispatch('staff.create', deep, { token: desk.token })
    expect(r).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
    const row = host.database.sqlite.prepare(`SELECT detail FROM audit_log WHERE action = 'staff.create:FORBIDDEN' ORDER BY id DESC LIMIT 1`).pluck().get() as string
    expect(row).toContain('[too deep]')
    expect(row).not.toContain('13912345678')
    expect((await health()).status).toBe('ok')
    expect(await admin.call('audit.verify', {})).toMatchObject({ ok: true, anchor: { status: 'agrees' } })
  })

  it('an admin finds the rows of a number however it is typed; the search is audited; managers may not search by number', async () => {
    const found = await admin.call('audit.list', { number: '+86 138-1234-5678' })
    expect(found.rows.map((r) => r.action)).toContain('clients.create')
    expect(found.rows.every((r) => !r.detail.includes('13812345678'))).toBe(true)
    const byLandline = await admin.call('audit.list', { number: '02162345678' })
    expect(byLandline.rows.map((r) => r.action)).toContain('clients.create')
    const byId = await admin.call('audit.list', { number: '11010519491231002x' })
    expect(byId.rows.map((r) => r.action)).toContain('clients.create')
    // a number nobody entered: only the search itself mentions it
    expect((await admin.call('audit.list', { number: '13700000000' })).rows.map((r) => r.action)).toEqual(['audit.searchNumber'])

    const searches = host.database.sqlite.prepare(`SELECT detail FROM audit_log WHERE action = 'audit.searchNumber'`).pluck().all() as string[]
    expect(searches.length).toBe(4)
    expect(searches[0]).toBe('{"phone":"138****5678"}')
    expect(searches[2]).toBe('{"idNumber":"110***********002X"}')
    // the search of a number is found by that number too
    expect((await admin.call('audit.list', { number: '13812345678', action: 'audit.searchNumber' })).total).toBe(2)

    expect(await manager.try('audit.list', { number: '13812345678' })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', field: 'number' } })
    expect((await manager.call('audit.list', {})).total).toBeGreaterThan(0)
    expect(await admin.try('audit.list', { number: '1381234' })).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'number', reason: 'audit_number' } })
  })

  it('parallel writes move the anchor forward only, one line per head, ending at the head', async () => {
    await Promise.all(Array.from({ length: 30 }, (_, i) => admin.call('staff.create', { username: `par-${i}`, name: `并行${i}`, role: 'agent', password: 'staff-pass-123' })))
    const ids = fs
      .readFileSync(path.join(host.dataDir, AUDIT_ANCHOR_FILE_NAME), 'utf8')
      .trim()
      .split('\n')
      .map((l) => (JSON.parse(l) as { id: number }).id)
    for (let i = 1; i < ids.length; i++) expect(ids[i]!).toBeGreaterThan(ids[i - 1]!)
    const report = await admin.call('audit.verify', {})
    expect(report).toMatchObject({ ok: true, anchor: { status: 'agrees' } })
    expect(ids[ids.length - 1]).toBe(report.head?.id)
  })

  it('/healthz and audit.verify show the head and the anchor; a re-hashed edit made beside the host is reported', async () => {
    const ok = await admin.call('audit.verify', {})
    expect(ok).toMatchObject({ ok: true, firstBrokenId: null, anchor: { status: 'agrees', coversAll: true }, keyedFrom: 1 })
    expect(ok.head?.id).toBe(ok.anchor.last?.id)
    const h = await health()
    expect(h.audit).toMatchObject({ ok: true, anchor: { status: 'agrees' } })
    expect(h.audit.head?.id).toBeGreaterThan(0)

    // someone with the key opens the database beside the host, edits a row and re-links the chain
    const keyHex = resolveHeadlessKey(host.dataDir, {}).keyHex
    const side = new Database(path.join(host.dataDir, DB_FILE_NAME))
    side.pragma(`cipher='sqlcipher'`)
    side.pragma('legacy=4')
    side.pragma(`key="x'${keyHex}'"`)
    side.exec('DROP TRIGGER audit_no_update')
    side.prepare(`UPDATE audit_log SET detail = '{}' WHERE action = 'clients.create'`).run()
    type Row = { id: number; at: string; actor_id: number | null; actor_name: string | null; action: string; target: string | null; detail: string; address: string | null; number_keys: string }
    const rows = side.prepare('SELECT * FROM audit_log ORDER BY id').all() as Row[]
    let prev = GENESIS_HASH
    const key = deriveAuditKeys(keyHex).chain
    for (const r of rows) {
      const hash = hmacLink(key, prev, { at: r.at, actorId: r.actor_id, actorName: r.actor_name, action: r.action, target: r.target, detail: r.detail, address: r.address, numberKeys: r.number_keys })
      side.prepare('UPDATE audit_log SET prev_hash = ?, hash = ? WHERE id = ?').run(prev, hash, r.id)
      prev = hash
    }
    side.close()

    const report = await admin.call('audit.verify', {})
    expect(report).toMatchObject({ ok: false, firstBrokenId: null, anchor: { status: 'disagrees' } })
    expect((await health()).audit).toMatchObject({ ok: false, anchor: { status: 'disagrees' } })
    // writes go on; the anchor stays as evidence
    await admin.call('staff.create', { username: 'after-tamper', name: '后来', role: 'agent', password: 'staff-pass-123' })
    expect((await admin.call('audit.verify', {})).anchor.status).toBe('disagrees')
  })
})
