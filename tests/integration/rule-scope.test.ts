import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ManualClock } from '../../electron/host/clock'
import type { Host } from '../../electron/host/host'
import { evaluateRules, FOLLOW_UP_RULES } from '../../electron/host/domains/followups/rules/evaluate'
import { getRules, saveRules } from '../../electron/host/domains/settings/rules.repository'
import type { ClientScope } from '../../electron/host/domains/clients/client-scope'
import { adminClient, staffClient } from '../helpers/staff'
import { startTempHost } from '../helpers/temp-host'

const DAY = 24 * 3_600_000

let host: Host & { cleanup(): Promise<void> }
let clock: ManualClock
const clientIds: number[] = []

beforeAll(async () => {
  clock = new ManualClock(new Date('2026-11-02T01:00:00.000Z'))
  host = await startTempHost({ clock })
  const admin = await adminClient(host)
  const agent = (await staffClient(host, admin, 'agent', 'scope-agent')).client
  for (const [i, phone] of ['13811110001', '13811110002', '13811110003', '13811110004'].entries()) {
    clientIds.push((await agent.call('clients.create', { kind: 'person', name: `范围${i}`, phones: [{ number: phone }], sourceChannel: 'phone' })).id)
  }
  // this file counts wake-up tasks: the care plans (weekly market notes to these potential clients) are off
  await host.database.db.transaction().execute(async (trx) => saveRules(trx, { ...(await getRules(trx)), careMarketNoteDays: 0 }, clock.now().toISOString()))
  // eight quiet days: every client is due a wake-up task, which only a pass over them sets
  clock.advance(8 * DAY)
})
afterAll(() => host.cleanup())

const wakeTasksOf = () =>
  (host.database.sqlite.prepare(`SELECT client_id FROM tasks WHERE rule = 'wake' ORDER BY client_id`).pluck().all() as number[])

async function pass(scope: ClientScope) {
  return host.database.db.transaction().execute(async (trx) => evaluateRules(trx, host.auditLog, clock.now(), await getRules(trx), scope))
}

describe('a rule pass over part of the book (the shape a sliced pass needs)', () => {
  it('every rule is one named module with the same evaluate shape', () => {
    expect(FOLLOW_UP_RULES.map((r) => r.name)).toEqual(['entry', 'needs', 'viewing', 'negotiation', 'contract', 'wake', 'care-plans', 'stuck', 'reason-gone', 'pool-return', 'escalation'])
    for (const r of FOLLOW_UP_RULES) expect(typeof r.evaluate).toBe('function')
  })

  it('a range of client ids touches those clients only; the rest follow in the next range or a full pass, each task once', async () => {
    const [a, b, c, d] = clientIds as [number, number, number, number]
    expect(wakeTasksOf()).toEqual([])
    const first = await pass({ idRange: { from: b, to: d } })
    expect(wakeTasksOf()).toEqual([b, c])
    expect(first.tasksCreated).toBe(2)
    // one notice for the owner's two new tasks (a digest, not one a task), about those two clients
    expect(first.notices.map((n) => [n.title.key, n.title.params.count])).toEqual([['notice.tasks', 2]])
    await pass({ clientIds: [a] })
    expect(wakeTasksOf()).toEqual([a, b, c])
    const all = await pass({ all: true })
    expect(wakeTasksOf()).toEqual([a, b, c, d])
    expect(all.tasksCreated).toBe(1)
    // and once more changes nothing
    expect((await pass({ all: true })).tasksCreated).toBe(0)
  })

  it('an empty id list touches nobody', async () => {
    const before = host.database.sqlite.prepare('SELECT count(*) FROM tasks').pluck().get()
    const r = await pass({ clientIds: [] })
    expect(r.tasksCreated + r.tasksResolved + r.pooled).toBe(0)
    expect(host.database.sqlite.prepare('SELECT count(*) FROM tasks').pluck().get()).toBe(before)
  })
})
