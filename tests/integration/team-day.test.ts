import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ApiClient } from '@shared/contract/client'
import { ManualClock } from '../../electron/host/clock'
import type { Host } from '../../electron/host/host'
import { adminClient, staffClient, STAFF_PASSWORD } from '../helpers/staff'
import { startTempHost } from '../helpers/temp-host'

const HOUR = 3_600_000

let host: Host & { cleanup(): Promise<void> }
let clock: ManualClock
const as = {} as Record<'admin' | 'manager' | 'agentA' | 'agentB' | 'senior' | 'desk', ApiClient>
const ids = { a: 0, b: 0, senior: 0, manager: 0, desk: 0 }

/** A fresh session (a simulated day outlives the 12-hour sessions). */
async function signIn(username: string): Promise<ApiClient> {
  const c = host.client()
  await c.call('auth.login', { username, password: STAFF_PASSWORD })
  return c
}

beforeAll(async () => {
  // 09:00 in Shanghai
  clock = new ManualClock(new Date('2026-11-02T01:00:00.000Z'))
  host = await startTempHost({ clock })
  as.admin = await adminClient(host)
  for (const [key, role, username] of [
    ['manager', 'manager', 'td-mgr'],
    ['agentA', 'agent', 'td-a'],
    ['agentB', 'agent', 'td-b'],
    ['senior', 'senior_agent', 'td-senior'],
    ['desk', 'front_desk', 'td-desk'],
  ] as const) {
    const s = await staffClient(host, as.admin, role, username)
    as[key] = s.client
    ids[key === 'agentA' ? 'a' : key === 'agentB' ? 'b' : key] = s.staff.id
  }
})
afterAll(() => host.cleanup())

describe("tasks.team: the manager's team page", () => {
  it("counts each active agent's overdue, escalated and due tasks, today's viewings, visits and claims, and pending approvals", async () => {
    const mine = await as.agentA.call('clients.create', { kind: 'person', name: '团队甲', phones: [{ number: '13811110001' }], sourceChannel: 'phone' })
    // a next action due at 10:00 today, a viewing at 15:00, a visit at the desk now
    await as.agentA.call('followups.create', { clientId: mine.id, channel: 'phone', content: '约看房', nextAction: '回电确认时间', nextDueAt: new Date(clock.now().getTime() + HOUR).toISOString() })
    await as.agentA.call('viewings.book', { clientId: mine.id, address: '世纪公园1号楼1201', startsAt: new Date(clock.now().getTime() + 6 * HOUR).toISOString() })
    await as.desk.call('frontdesk.registerVisit', { clientId: mine.id })
    // agent B claims a walk-in the desk registered (it went to the pool)
    const walkIn = await as.desk.call('clients.create', { kind: 'person', name: '公客乙', phones: [{ number: '13811110002' }], sourceChannel: 'walk_in' })
    await as.agentB.call('pool.claim', { clientId: walkIn.id })

    const first = await as.manager.call('tasks.team', {})
    expect(first.day).toBe('2026-11-02')
    // agents and senior agents only, never the manager, the desk or the admin
    expect(first.agents.map((a) => a.staffId).sort()).toEqual([ids.a, ids.b, ids.senior].sort())
    const a = first.agents.find((x) => x.staffId === ids.a)!
    expect(a).toMatchObject({ overdue: 0, escalated: 0, viewingsToday: 1, visitsToday: 1, claimsToday: 0 })
    expect(a.dueToday).toBeGreaterThanOrEqual(1)
    expect(first.agents.find((x) => x.staffId === ids.b)).toMatchObject({ overdue: 0, escalated: 0, viewingsToday: 0, visitsToday: 0, claimsToday: 1 })
    expect(first.agents.find((x) => x.staffId === ids.senior)).toMatchObject({ role: 'senior_agent', overdue: 0, dueToday: 0, claimsToday: 0 })
    expect(first.pendingApprovals).toBe(0)

    // 11:00: the 10:00 call is overdue, not yet escalated
    clock.advance(2 * HOUR)
    const late = (await as.manager.call('tasks.team', {})).agents.find((x) => x.staffId === ids.a)!
    expect(late.overdue).toBeGreaterThanOrEqual(1)
    expect(late.escalated).toBe(0)
    expect(late.dueToday).toBe(a.dueToday - 1)

    // a day later the rules escalate it; today's viewings, visits and claims start again from nought
    clock.advance(25 * HOUR)
    await host.scheduler.runOnce()
    const manager = await signIn('td-mgr')
    const next = await manager.call('tasks.team', {})
    expect(next.day).toBe('2026-11-03')
    const a2 = next.agents.find((x) => x.staffId === ids.a)!
    expect(a2.escalated).toBeGreaterThanOrEqual(1)
    expect(a2.overdue).toBeGreaterThanOrEqual(a2.escalated)
    expect(a2).toMatchObject({ viewingsToday: 0, visitsToday: 0, claimsToday: 0 })
    expect(next.agents.find((x) => x.staffId === ids.b)).toMatchObject({ claimsToday: 0 })
  })

  it('is refused to every role but the manager, and the host answers after', async () => {
    for (const username of ['td-a', 'td-senior', 'td-desk']) {
      const c = await signIn(username)
      expect(await c.try('tasks.team', {})).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
    }
    const admin = await adminClient(host)
    expect(await admin.try('tasks.team', {})).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
    expect((await (await signIn('td-mgr')).call('tasks.team', {})).agents.length).toBe(3)
    expect(await admin.call('system.ping', {})).toBeTruthy()
  })

  it('leaves out agents who left', async () => {
    const admin = await adminClient(host)
    const leaver = await staffClient(host, admin, 'agent', 'td-leaver')
    expect((await (await signIn('td-mgr')).call('tasks.team', {})).agents.map((a) => a.staffId)).toContain(leaver.staff.id)
    await admin.call('staff.deactivate', { id: leaver.staff.id, reason: '离职' })
    expect((await (await signIn('td-mgr')).call('tasks.team', {})).agents.map((a) => a.staffId)).not.toContain(leaver.staff.id)
  })
})
