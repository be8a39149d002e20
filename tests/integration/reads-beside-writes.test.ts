import { unitSheetBase64 } from '../helpers/unit-sheet'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ApiClient } from '@shared/contract/client'
import { Dispatcher } from '../../electron/host/api/dispatcher'
import type { HandlerContext, Handlers } from '../../electron/host/api/handler'
import { createHandlers } from '../../electron/host/api/handlers'
import { inProcessTransport } from '../../electron/host/api/in-process-transport'
import { SignInGuard } from '../../electron/host/domains/auth/sign-in-guard'
import { findStaffById, insertStaff } from '../../electron/host/domains/staff/staff.repository'
import type { Host } from '../../electron/host/host'
import { adminClient, staffClient } from '../helpers/staff'
import { holdWriter, sideConnection } from '../helpers/beside-the-host'
import { startTempHost } from '../helpers/temp-host'

let host: Host & { cleanup(): Promise<void> }
let admin: ApiClient
let agent: ApiClient
let other: ApiClient
let clientId: number

beforeAll(async () => {
  host = await startTempHost()
  admin = await adminClient(host)
  agent = (await staffClient(host, admin, 'agent', 'rw-agent')).client
  other = (await staffClient(host, admin, 'agent', 'rw-other')).client
  clientId = (await agent.call('clients.create', { kind: 'person', name: '并读', phones: [{ number: '13822223333' }], sourceChannel: 'walk_in' })).id
})
afterAll(() => host.cleanup())

describe('reads beside writes', () => {
  it('reads are answered while the writer is stuck inside a statement; the write goes on after', async () => {
    // another program holds the write lock: the writer's thread waits inside BEGIN IMMEDIATE (busy_timeout)
    const side = sideConnection(host)
    side.exec('BEGIN IMMEDIATE')
    const order: string[] = []
    let writeDone = false
    const write = admin.try('staff.create', { username: 'rw-late', name: '迟到', role: 'agent', password: 'staff-pass-123' }).then((r) => {
      writeDone = true
      order.push('write')
      return r
    })
    try {
      const [found, me, ping] = await Promise.all([agent.call('clients.search', { q: '并读' }), agent.call('auth.whoami', {}), agent.call('system.ping', {})])
      order.push('reads')
      expect(found.hits.map((h) => h.id)).toContain(clientId)
      expect(me.username).toBe('rw-agent')
      expect(ping.pong).toBe(true)
      // the write is still waiting for the lock
      expect(writeDone).toBe(false)
    } finally {
      side.exec('COMMIT')
      side.close()
    }
    expect(await write).toMatchObject({ ok: true })
    expect(order).toEqual(['reads', 'write'])
  })

  it('reads are answered while a transaction holds the writer; writes queue behind it', async () => {
    const release = await holdWriter(host)
    const queued = agent.call('followups.create', { clientId, channel: 'phone', content: '排队的跟进' })
    let followUpDone = false
    void queued.then(() => (followUpDone = true))
    const client = await agent.call('clients.get', { id: clientId })
    const list = await agent.call('followups.list', { clientId })
    expect(client.name).toBe('并读')
    expect(list.rows.some((f) => f.content === '排队的跟进')).toBe(false)
    expect(followUpDone).toBe(false)
    await release()
    await queued
    expect((await agent.call('followups.list', { clientId })).rows.some((f) => f.content === '排队的跟进')).toBe(true)
  })

  it('a caller reads its own write at once, every time, while others keep the writer busy', async () => {
    let busy = true
    // other work for the writer: follow-ups by another agent and full scheduler passes, without pause
    const otherClient = (await other.call('clients.create', { kind: 'person', name: '旁人', phones: [{ number: '13822224444' }], sourceChannel: 'walk_in' })).id
    const background = (async () => {
      let n = 0
      while (busy) {
        await Promise.all([other.call('followups.create', { clientId: otherClient, channel: 'phone', content: `忙${n++}` }), host.scheduler.runOnce()])
      }
      return n
    })()
    try {
      for (let i = 0; i < 60; i++) {
        await agent.call('prefs.set', { key: 'grid.cols', value: i })
        expect((await agent.call('prefs.get', { key: 'grid.cols' })).value).toBe(i)
        const note = `第${i}次跟进`
        await agent.call('followups.create', { clientId, channel: 'phone', content: note })
        expect((await agent.call('followups.list', { clientId, limit: 5 })).rows[0]?.content).toBe(note)
        const need = await agent.call('needs.create', { clientId, kind: 'residential', regions: [`片区${i}`] })
        expect((await agent.call('needs.list', { clientId })).needs.map((r) => r.id)).toContain(need.id)
      }
    } finally {
      busy = false
    }
    expect(await background).toBeGreaterThan(0)
  })

  it('a writer worker that dies under a call: that call gets DB_IO, saying nothing inside; calls waiting for the writer are served by its replacement', async () => {
    // a handler that holds the writer between two statements, as any handler does while it works
    let release!: () => void
    const gate = new Promise<void>((r) => (release = r))
    let entered!: () => void
    const inside = new Promise<void>((r) => (entered = r))
    const handlers = {
      ...createHandlers({ guard: new SignInGuard(host.clock) }),
      'staff.reactivate': async (_input: unknown, ctx: HandlerContext) => {
        await insertStaff(ctx.db, { username: 'rw-lost', name: '丢失', role: 'agent', team: null, region: null, phone: null, passwordHash: 'x', now: 'now' })
        entered()
        await gate
        return findStaffById(ctx.db, 1) as never
      },
    } as Handlers
    const d = new Dispatcher({ db: host.pool, clock: host.clock, events: host.events, handlers, auditLog: host.auditLog, log: () => {} })
    const c = new ApiClient(inProcessTransport(d), admin.token)
    const [writer] = host.pool.connections('writer')
    const stuck = c.try('staff.reactivate', { id: 1 })
    await inside
    const waiting = admin.try('staff.create', { username: 'rw-after', name: '之后', role: 'agent', password: 'staff-pass-123' })
    // ended between two statements: ending a thread inside one would abort the process (see SqliteWorkerPool)
    await writer!.worker.terminate()
    release()
    const r = await stuck
    expect(r).toMatchObject({ ok: false, error: { code: 'DB_IO' } })
    expect(JSON.stringify(r)).not.toMatch(/worker|SQLITE|INSERT|keyuan\.db/)
    expect(await waiting).toMatchObject({ ok: true })
    expect(host.pool.connections('writer')).toHaveLength(1)
    expect(host.pool.connections('writer')[0]).not.toBe(writer)
    const names = host.database.sqlite.prepare(`SELECT username FROM staff WHERE username LIKE 'rw-%'`).pluck().all()
    expect(names).toContain('rw-after')
    expect(names).not.toContain('rw-lost')
  })

  it('pushes go out after the commit: a listener sees the change from another connection', async () => {
    const manager = (await staffClient(host, admin, 'manager', 'rw-mgr')).client
    const projectId = (await manager.call('projects.create', { name: '推送楼盘', district: '浦东' })).id
    const seen: Array<{ unitIds: number[]; committed: number }> = []
    const check = host.database.sqlite.prepare(`SELECT count(*) FROM unit_transactions WHERE unit_id = ? AND live = 1`).pluck()
    const off = host.events.onEvent((e) => {
      if (e.name !== 'board.changed') return
      const { unitIds } = e.payload as { unitIds: number[] }
      seen.push({ unitIds, committed: check.get(unitIds[0]) as number })
    })
    try {
      const fileBase64 = await unitSheetBase64([{ building: '1号楼', floor: 1, number: '101', layout: '2室', area: 80, orientation: '南', listPrice: 3_000_000 }])
      await manager.call('units.import', { projectId, fileBase64 })
      const unitId = (await manager.call('board.get', { projectId })).units[0]!.id
      await manager.call('units.hold', { unitId, reason: '领导保留' })
      expect(seen).toEqual([{ unitIds: [unitId], committed: 1 }])
    } finally {
      off()
    }
  })
})
