import fs from 'node:fs'
import { describe, expect, it } from 'vitest'
import { ApiClient } from '@shared/contract/client'
import { Dispatcher } from '../../electron/host/api/dispatcher'
import type { HandlerContext, Handlers } from '../../electron/host/api/handler'
import { createHandlers } from '../../electron/host/api/handlers'
import { inProcessTransport } from '../../electron/host/api/in-process-transport'
import { resolveHeadlessKey } from '../../electron/host/db/key-file'
import { SignInGuard } from '../../electron/host/domains/auth/sign-in-guard'
import { findStaffById } from '../../electron/host/domains/staff/staff.repository'
import type { Host } from '../../electron/host/host'
import { adminClient } from '../helpers/staff'
import { startTempHost } from '../helpers/temp-host'

/** Every line the host logged, with the error's name, message and stack as an operator's console shows them. */
function capture() {
  const lines: string[] = []
  const log = (msg: string, err?: unknown) => {
    lines.push(err instanceof Error ? `${msg} ${err.name}: ${err.message}\n${err.stack ?? ''}` : err === undefined ? msg : `${msg} ${String(err)}`)
  }
  return { lines, log }
}

/** A gate a handler waits at between two statements, as any handler does while it works. */
function gate() {
  let open!: () => void
  const opened = new Promise<void>((r) => (open = r))
  let entered!: () => void
  const inside = new Promise<void>((r) => (entered = r))
  return { open, opened, entered, inside }
}

/** A dispatcher over the host's pool whose `staff.get` (a read, on a reader) holds its connection at `g`. */
function heldReads(host: Host, g: ReturnType<typeof gate>, token: string) {
  const base = createHandlers({ guard: new SignInGuard(host.clock) })
  const get = base['staff.get'] as (input: unknown, ctx: HandlerContext) => Promise<unknown>
  const handlers = {
    ...base,
    'staff.get': async (input: unknown, ctx: HandlerContext) => {
      await findStaffById(ctx.db, 1)
      g.entered()
      await g.opened
      return get(input, ctx)
    },
  } as Handlers
  const d = new Dispatcher({ db: host.pool, clock: host.clock, events: host.events, handlers, auditLog: host.auditLog, log: () => {} })
  return new ApiClient(inProcessTransport(d), token)
}

/** Resolves once the pool has `n` live connections on `side`, none of them `gone`. */
async function replaced(host: Host, side: 'writer' | 'reader', n: number, gone: unknown) {
  while (host.pool.connections(side).length !== n || host.pool.connections(side).includes(gone as never)) {
    await new Promise((r) => setImmediate(r))
  }
}

describe('worker faults and shutdown', () => {
  it('a reader worker that dies under a read: that call gets DB_IO, saying nothing inside; reads waiting are served by its replacement; the key is in no log or answer', async () => {
    const { lines, log } = capture()
    const host = await startTempHost({ readers: 1, log })
    try {
      const keyHex = resolveHeadlessKey(host.dataDir, {}).keyHex
      const admin = await adminClient(host)
      const g = gate()
      const [reader] = host.pool.connections('reader')
      const stuck = heldReads(host, g, admin.token!).try('staff.get', { id: 1 })
      await g.inside
      // the only reader is held: these wait for it
      const waiting = [admin.try('auth.whoami', {}), admin.try('staff.list', {})]
      // ended between two statements: ending a thread inside one would abort the process (see SqliteWorkerPool)
      await reader!.worker.terminate()
      g.open()
      const r = await stuck
      expect(r).toMatchObject({ ok: false, error: { code: 'DB_IO' } })
      expect(JSON.stringify(r)).not.toMatch(/worker|SQLITE|SELECT|keyuan\.db/)
      const served = await Promise.all(waiting)
      expect(served).toMatchObject([{ ok: true }, { ok: true }])
      await replaced(host, 'reader', 1, reader)
      // and the writer dying too is answered, and replaced
      const [writer] = host.pool.connections('writer')
      await writer!.worker.terminate()
      await replaced(host, 'writer', 1, writer)
      expect(await admin.try('staff.create', { username: 'wf-after', name: '之后', role: 'agent', password: 'staff-pass-123' })).toMatchObject({ ok: true })
      expect((await admin.call('staff.list', {})).rows.map((s) => s.username)).toContain('wf-after')
      // 系统状态 counts both replacements, and shows every side open again
      expect((await admin.call('health.status', {})).connections).toMatchObject({ writer: { open: 1 }, readers: { open: 1, wanted: 1 }, restarts: 2 })
      // the operator heard of both exits; neither the log nor any answer holds the key, in either case
      expect(lines.some((l) => /reader connection's worker exited/.test(l))).toBe(true)
      expect(lines.some((l) => /writer connection's worker exited/.test(l))).toBe(true)
      const said = [...lines, JSON.stringify(r), JSON.stringify(served)].join('\n').toLowerCase()
      expect(said).not.toContain(keyHex.toLowerCase())
    } finally {
      await host.cleanup()
    }
  })

  it('shutdown lets a read holding a connection finish, then closes every worker; later calls on the pool are refused as closed', async () => {
    const host = await startTempHost()
    let closed = false
    try {
      const admin = await adminClient(host)
      const workers = [...host.pool.connections('writer'), ...host.pool.connections('reader')].map((c) => c.worker)
      expect(workers.length).toBeGreaterThanOrEqual(2)
      const exited = workers.map((w) => new Promise<number>((r) => w.once('exit', r)))
      const g = gate()
      const held = heldReads(host, g, admin.token!).try('staff.get', { id: 1 })
      await g.inside
      const closing = host.close().then(() => (closed = true))
      // the host waits for the call that holds a reader before it closes the readers
      await new Promise((r) => setImmediate(r))
      expect(closed).toBe(false)
      g.open()
      expect(await held).toMatchObject({ ok: true, value: { id: 1 } })
      await closing
      await Promise.all(exited)
      expect(host.pool.connections('writer')).toEqual([])
      expect(host.pool.connections('reader')).toEqual([])
      await expect(host.pool.reader.selectFrom('staff').select('id').execute()).rejects.toMatchObject({ code: 'DB_POOL_CLOSED' })
      await expect(host.pool.writer.selectFrom('staff').select('id').execute()).rejects.toMatchObject({ code: 'DB_POOL_CLOSED' })
    } finally {
      if (!closed) await host.close()
      fs.rmSync(host.dataDir, { recursive: true, force: true })
    }
  })
})
