import fs from 'node:fs'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ApiClient } from '@shared/contract/client'
import { Dispatcher } from '../../electron/host/api/dispatcher'
import { inProcessTransport } from '../../electron/host/api/in-process-transport'
import { createHandlers } from '../../electron/host/api/handlers'
import { DB_FILE_NAME, resolveHeadlessKey } from '../../electron/host/db/key-file'
import { openDatabase } from '../../electron/host/db/open'
import { SignInGuard } from '../../electron/host/domains/auth/sign-in-guard'
import type { Host } from '../../electron/host/host'
import { ADMIN_PASSWORD, startTempHost } from '../helpers/temp-host'
import { adminClient, staffClient } from '../helpers/staff'

// Issue #15: a digit search answers without waiting for its clients.phoneLookup audit row; the
// row is written right after the answer (AuditQueue), before the host stops, and never lost silently.
let host: Host & { cleanup(): Promise<void> }
let manager: ApiClient
let owner: ApiClient
let secretId: number
let closed = false

const NUMBER = '13812345678'

beforeEach(async () => {
  closed = false
  host = await startTempHost()
  const admin = await adminClient(host)
  owner = (await staffClient(host, admin, 'agent', 'owner-a')).client
  manager = (await staffClient(host, admin, 'manager', 'mgr')).client
  secretId = (await owner.call('clients.create', { kind: 'person', name: '周密', phones: [{ number: NUMBER }], sourceChannel: 'phone' })).id
})
afterEach(async () => {
  if (closed) fs.rmSync(host.dataDir, { recursive: true, force: true })
  else await host.cleanup()
})

type LookupRow = { actor_name: string; target: string | null; detail: string }
const lookupsIn = (sqlite: Host['database']['sqlite']) =>
  (sqlite.prepare(`SELECT actor_name, target, detail FROM audit_log WHERE action = 'clients.phoneLookup' ORDER BY id`).all() as LookupRow[]).map((r) => ({
    actor: r.actor_name,
    target: r.target,
    detail: JSON.parse(r.detail) as Record<string, unknown>,
  }))

describe('a search’s phone-lookup rows are written after its answer', () => {
  it('the rows of digit and whole-number searches are there once written, who searched what', async () => {
    const digits = await manager.call('clients.search', { q: '5678' })
    expect(digits.hits.map((h) => h.id)).toEqual([secretId])
    const whole = await manager.call('clients.search', { q: NUMBER })
    expect(whole.hits.map((h) => h.id)).toEqual([secretId])
    await expect
      .poll(() => lookupsIn(host.database.sqlite))
      .toEqual([
        { actor: '测试manager', target: null, detail: { via: 'search', digits: '5678', clients: [secretId] } },
        { actor: '测试manager', target: `client:${secretId}`, detail: { via: 'search', phone: '138****5678' } },
      ])
    // the chain still verifies with the rows written in batches
    const admin = await adminClient(host)
    expect((await admin.call('audit.verify', {})).ok).toBe(true)
  })

  it('a host stopped right after the answer has written the row first', async () => {
    await manager.call('clients.search', { q: NUMBER })
    closed = true
    await host.close()
    const { keyHex } = resolveHeadlessKey(host.dataDir, { KEYUAN_ADMIN_PASSWORD: ADMIN_PASSWORD })
    const reopened = openDatabase(path.join(host.dataDir, DB_FILE_NAME), keyHex)
    try {
      expect(lookupsIn(reopened.sqlite)).toEqual([{ actor: '测试manager', target: `client:${secretId}`, detail: { via: 'search', phone: '138****5678' } }])
    } finally {
      await reopened.close()
    }
  })

  it('rows that cannot be written are logged, kept for the next try, and the search still answers', async () => {
    const logged: Array<{ msg: string; err: unknown }> = []
    // a dispatcher whose writer is a query-only reader: every audit write fails with SQLITE_READONLY
    const readOnly = new Dispatcher({
      db: { writer: host.pool.reader, reader: host.pool.reader },
      clock: host.clock,
      events: host.events,
      handlers: createHandlers({ guard: new SignInGuard(host.clock) }),
      auditLog: host.auditLog,
      log: (msg, err) => logged.push({ msg, err }),
    })
    const viaReadOnly = new ApiClient(inProcessTransport(readOnly), manager.token)
    expect((await viaReadOnly.call('clients.search', { q: '5678' })).hits.map((h) => h.id)).toEqual([secretId])
    await readOnly.drain()
    expect(logged.map((l) => l.msg)).toEqual(['could not write 1 audit row(s) (clients.phoneLookup); kept for the next try'])
    expect(String(logged[0]?.err)).toMatch(/readonly/i)
    // kept: the next try fails again, and says so again
    await readOnly.drain()
    expect(logged).toHaveLength(2)
    expect(lookupsIn(host.database.sqlite)).toEqual([])
    // the host answers, and its own searches are on record as ever
    expect((await manager.call('clients.search', { q: '5678' })).hits.map((h) => h.id)).toEqual([secretId])
    await expect.poll(() => lookupsIn(host.database.sqlite)).toHaveLength(1)
  })
})
