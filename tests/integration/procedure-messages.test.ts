import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ApiClient } from '@shared/contract/client'
import { ManualClock } from '../../electron/host/clock'
import { callProcedure } from '../../electron/host/db/procedures'
import { READER_PROCEDURES } from '../../electron/host/db/reader-procedures'
import { WRITER_PROCEDURES } from '../../electron/host/db/writer-procedures'
import { clientRulesProcedure } from '../../electron/host/domains/followups/rules/evaluate'
import type { Host } from '../../electron/host/host'
import { adminClient, staffClient, STAFF_PASSWORD } from '../helpers/staff'
import { startTempHost } from '../helpers/temp-host'

const DAY = 24 * 3_600_000

let host: Host & { cleanup(): Promise<void> }
let clock: ManualClock
let admin: ApiClient
let agent: ApiClient
let agentId: number
let clientId: number

beforeAll(async () => {
  clock = new ManualClock(new Date('2026-11-02T01:00:00.000Z'))
  host = await startTempHost({ clock })
  admin = await adminClient(host)
  const a = await staffClient(host, admin, 'agent', 'msg-agent')
  agent = a.client
  agentId = a.staff.id
  clientId = (await agent.call('clients.create', { kind: 'person', name: '计数', phones: [{ number: '13833334444' }], sourceChannel: 'walk_in', region: '浦东' })).id
})
afterAll(() => host.cleanup())

const q = <T = unknown>(sql: string, ...params: unknown[]) => host.database.sqlite.prepare(sql).pluck().get(...params) as T

/** Messages posted to the writer's thread while `call` runs (the writer is one connection; nothing else writes meanwhile). */
async function writerMessages(call: () => Promise<unknown>): Promise<number> {
  const [writer] = host.pool.connections('writer')
  const before = writer!.messages
  await call()
  return writer!.messages - before
}

describe('a follow-up costs the writer a handful of messages', () => {
  it('followups.create with a stage, an intention and a next action: at most 8 (it was 43, one per statement)', async () => {
    const n = await writerMessages(() =>
      agent.call('followups.create', { clientId, channel: 'phone', content: '电话沟通', intention: 'warm', stageTo: 'intent', nextAction: '带看', nextDueAt: '2026-11-03T02:00:00.000Z' }),
    )
    expect(n).toBeLessThanOrEqual(8)
    // what the one message wrote: the entry, the client, the next task, the history, the rules' task for the intent stage
    expect(q(`SELECT count(*) FROM follow_ups WHERE client_id = ?`, clientId)).toBe(1)
    expect(q(`SELECT stage FROM clients WHERE id = ?`, clientId)).toBe('intent')
    expect(q(`SELECT count(*) FROM tasks WHERE client_id = ? AND rule = 'next' AND status = 'open'`, clientId)).toBe(1)
    expect(q(`SELECT max(version) FROM client_versions WHERE client_id = ?`, clientId)).toBe(q(`SELECT version FROM clients WHERE id = ?`, clientId))
  })

  it('the rules for one client (needs.create) cost one message for all their statements', async () => {
    const n = await writerMessages(() => agent.call('needs.create', { clientId, kind: 'residential', areaMin: 8000 }))
    expect(n).toBeLessThanOrEqual(16)
  })

  it('what the rules do inside the one message is kept: a note a month on returns the client to the pool, audited and pushed', async () => {
    const c = (await agent.call('clients.create', { kind: 'person', name: '久未联系', phones: [{ number: '13833335555' }], sourceChannel: 'walk_in', region: '浦东' })).id
    clock.advance(31 * DAY)
    const fresh = host.client()
    await fresh.call('auth.login', { username: 'msg-agent', password: STAFF_PASSWORD })
    const board = host.pool.boardGeneration
    const heard: unknown[] = []
    const off = host.events.onEvent((e) => {
      if (e.name === 'notice.new' && e.audience.kind === 'staff' && e.audience.staffId === agentId) heard.push(e.payload)
    })
    try {
      // a note is no contact: the 30 days without one stand, and the rules run in the writer's thread
      await fresh.call('followups.create', { clientId: c, channel: 'note', content: '备注' })
    } finally {
      off()
    }
    expect(q(`SELECT owner_id FROM clients WHERE id = ?`, c)).toBeNull()
    // the rules' audit row, appended by the host with its key before the call's own, and the chain holds
    const rows = host.database.sqlite.prepare(`SELECT action FROM audit_log WHERE id > (SELECT max(id) - 2 FROM audit_log) ORDER BY id`).pluck().all()
    expect(rows).toEqual(['pool.return', 'followups.create'])
    admin = await adminClient(host)
    expect(await admin.call('audit.verify', {})).toMatchObject({ ok: true })
    expect(heard).toEqual([expect.objectContaining({ title: expect.objectContaining({ key: 'notice.pooled' }) })])
    // the owner's change, written in the procedure, is counted for the boards kept in memory
    expect(host.pool.boardGeneration).toBeGreaterThan(board)
  })
})

describe('the today list costs its reader one message', () => {
  it('tasks.today: the procedure and its quiet COMMIT (it was a message for each of its seven statements)', async () => {
    const fresh = host.client()
    await fresh.call('auth.login', { username: 'msg-agent', password: STAFF_PASSWORD })
    // the first call after signing in reads the session too
    await fresh.call('tasks.today', {})
    const conns = () => [...host.pool.connections('reader'), ...host.pool.connections('writer')]
    const before = conns().reduce((n, c) => n + c.messages, 0)
    const today = await fresh.call('tasks.today', {})
    expect(conns().reduce((n, c) => n + c.messages, 0) - before).toBeLessThanOrEqual(2)
    // the rows the procedure read, shaped on the event loop as before: the next action set above, overdue by now
    expect(today.overdue.map((t) => [t.clientId, t.overdue])).toContainEqual([clientId, true])
  })
})

describe('writer procedures', () => {
  it('are a list apart from the readers’: no name in both', () => {
    for (const name of WRITER_PROCEDURES.keys()) expect(READER_PROCEDURES.has(name)).toBe(false)
    expect(WRITER_PROCEDURES.has('standby.triggers')).toBe(true)
  })

  it('a reader refuses one, and the writer refuses one outside a transaction', async () => {
    const args = { clientId, at: clock.now().toISOString() }
    await expect(callProcedure(host.pool.reader, clientRulesProcedure, args)).rejects.toThrow(/only the writer runs it/)
    await expect(callProcedure(host.pool.writer, clientRulesProcedure, args)).rejects.toThrow(/inside its caller's transaction/)
    // and the writer goes on serving
    expect(await host.pool.writer.transaction().execute((trx) => callProcedure(trx, clientRulesProcedure, args))).toMatchObject({ notices: expect.any(Array), audits: expect.any(Array) })
  })

  it('a failure inside one rolls the caller back and leaves the writer serving', async () => {
    const before = q(`SELECT count(*) FROM tasks`)
    await expect(
      host.pool.writer.transaction().execute(async (trx) => {
        await trx.insertInto('tasks').values({ staff_id: agentId, client_id: clientId, rule: 'next', text_key: 'task.next', text_params: '{}', detail: null, due_at: '2026-12-30T00:00:00.000Z', event_key: 'rollback-test', created_at: clock.now().toISOString() }).execute()
        return callProcedure(trx, clientRulesProcedure, { clientId: 'not a number' as never, at: 'not a time' })
      }),
    ).rejects.toThrow()
    expect(q(`SELECT count(*) FROM tasks`)).toBe(before)
    expect(await (await adminClient(host)).call('system.ping', {})).toMatchObject({ pong: true })
  })
})
