import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ManualClock } from '../../electron/host/clock'
import type { Host } from '../../electron/host/host'
import { ApiClient } from '@shared/contract/client'
import type { Role } from '@shared/domain/roles'
import { eventsStatement, tasksStatement, viewingsStatement } from '../../electron/host/domains/calendar/calendar.repository'
import { adminClient, staffClient } from '../helpers/staff'
import { startTempHost } from '../helpers/temp-host'
import { zhText } from '../helpers/host-text'

const HOUR = 3_600_000

let host: Host & { cleanup(): Promise<void> }
let clock: ManualClock
const as = {} as Record<'manager' | 'senior' | 'agent' | 'mate' | 'other' | 'desk' | 'admin', { client: ApiClient; id: number }>

async function person(admin: ApiClient, role: Role, username: string, team: string | null) {
  const { client, staff } = await staffClient(host, admin, role, username, { team, name: `${username}名` })
  return { client, id: staff.id }
}

/** An ISO time `hours` from now. */
const at = (hours: number) => new Date(clock.now().getTime() + hours * HOUR).toISOString()
const q = (sql: string, ...p: unknown[]) => host.database.sqlite.prepare(sql).pluck().get(...p)

let clientId: number
let viewingId: number

beforeAll(async () => {
  // Monday 2 November 2026, 09:00 in Shanghai
  clock = new ManualClock(new Date('2026-11-02T01:00:00.000Z'))
  host = await startTempHost({ clock })
  const admin = await adminClient(host)
  as.admin = { client: admin, id: (await admin.call('auth.whoami', {})).id }
  as.manager = await person(admin, 'manager', 'mgr', null)
  as.senior = await person(admin, 'senior_agent', 'senior', '一组')
  as.agent = await person(admin, 'agent', 'agent', '一组')
  as.mate = await person(admin, 'agent', 'mate', '一组')
  as.other = await person(admin, 'agent', 'other', '二组')
  as.desk = await person(admin, 'front_desk', 'desk', null)
  // the agent's client, born on 5 November, with a viewing on Tuesday 14:00–15:00 and the needs task the rules set
  const c = await as.agent.client.call('clients.create', { kind: 'person', name: '沈晴', phones: [{ number: '13811116666' }], sourceChannel: 'phone', birthDate: '1985-11-05' })
  clientId = c.id
  viewingId = (await as.agent.client.call('viewings.book', { clientId, address: '江畔花园 2-801', startsAt: at(29), endsAt: at(30) })).id
})
afterAll(() => host.cleanup())

const week = { from: '2026-11-02', to: '2026-11-09' }

describe('the calendar (#20 item 5)', () => {
  it("an agent's week: their viewing, their task, their client's birthday, the holidays; nothing outside the range", async () => {
    const r = await as.agent.client.call('calendar.range', week)
    expect(r.people).toEqual([{ id: as.agent.id, name: 'agent名' }])
    const kinds = r.items.map((i) => [i.kind, i.title ?? i.holiday])
    expect(kinds).toContainEqual(['viewing', '沈晴'])
    expect(kinds).toContainEqual(['birthday', '沈晴'])
    const task = r.items.find((i) => i.kind === 'task')!
    expect(zhText(task.text!)).toBe('建档并确认需求')
    expect(r.items.find((i) => i.kind === 'birthday')).toMatchObject({ startsAt: '2026-11-04T16:00:00.000Z', allDay: true, staffIds: [as.agent.id] })
    // the week before has none of it; 国庆 (1 October) is a holiday of its own month only
    const before = await as.agent.client.call('calendar.range', { from: '2026-10-01', to: '2026-10-08' })
    expect(before.items.map((i) => i.kind)).toEqual(['holiday'])
    expect(before.items[0]).toMatchObject({ holiday: 'nationalDay', startsAt: '2026-09-30T16:00:00.000Z' })
  })

  it('who sees whose: a manager anyone and the branch, a senior their team, an agent or the desk only their own', async () => {
    expect((await as.manager.client.call('calendar.range', { ...week, staffId: as.agent.id })).items.some((i) => i.key === `viewing:${viewingId}`)).toBe(true)
    expect((await as.manager.client.call('calendar.range', { ...week, team: true })).people.map((p) => p.id)).toEqual([as.manager.id, as.senior.id, as.agent.id, as.mate.id, as.other.id, as.desk.id])
    expect((await as.senior.client.call('calendar.range', { ...week, staffId: as.agent.id })).items.some((i) => i.key === `viewing:${viewingId}`)).toBe(true)
    expect((await as.senior.client.call('calendar.range', { ...week, team: true })).people.map((p) => p.id)).toEqual([as.senior.id, as.agent.id, as.mate.id])
    expect(await as.senior.client.try('calendar.range', { ...week, staffId: as.other.id })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', field: 'staffId' } })
    expect(await as.mate.client.try('calendar.range', { ...week, staffId: as.agent.id })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', field: 'staffId' } })
    expect(await as.mate.client.try('calendar.range', { ...week, team: true })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', field: 'team' } })
    expect(await as.desk.client.try('calendar.range', { ...week, staffId: as.agent.id })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
    expect(await as.admin.client.try('calendar.range', week)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
    // a colleague's own calendar holds nothing of the agent's
    const mates = await as.mate.client.call('calendar.range', week)
    expect(JSON.stringify(mates)).not.toContain('沈晴')
    // an admin is nobody's calendar; a made-up id is nobody's either
    expect(await as.manager.client.try('calendar.range', { ...week, staffId: as.admin.id })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND', field: 'staffId' } })
  })

  it('bad ranges are refused by name; the host still answers', async () => {
    expect(await as.agent.client.try('calendar.range', { from: '2026-11-09', to: '2026-11-02' })).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'to', reason: 'range' } })
    expect(await as.agent.client.try('calendar.range', { from: '2026-11-01', to: '2026-12-14' })).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'to', reason: 'calendar_too_long' } })
    expect(await as.manager.client.try('calendar.range', { ...week, staffId: as.agent.id, team: true })).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'team' } })
    expect(await as.agent.client.try('calendar.range', { from: '2026-02-30', to: '2026-03-02' })).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'from', reason: 'not_a_date' } })
    expect(await as.agent.client.call('system.ping', {})).toBeTruthy()
  })

  it('a team event: participants get a notice, a double booking is named at once and on the calendar, a cancel tells them again', async () => {
    const before = Number(q(`SELECT count(*) FROM notifications WHERE staff_id = ? AND kind = 'calendar'`, as.agent.id))
    // a meeting over the agent's viewing
    const made = await as.senior.client.call('calendar.createEvent', { kind: 'meeting', title: '周二组会', place: '会议室', startsAt: at(28.5), endsAt: at(29.5), participantIds: [as.agent.id, as.mate.id, as.senior.id] })
    expect(made.conflicts).toEqual([{ staffId: as.agent.id, name: 'agent名', key: `viewing:${viewingId}` }])
    expect(made.event).toMatchObject({ kind: 'event', eventKind: 'meeting', title: '周二组会', staffIds: [as.senior.id, as.agent.id, as.mate.id].sort((a, b) => a - b) })
    expect(Number(q(`SELECT count(*) FROM notifications WHERE staff_id = ? AND kind = 'calendar'`, as.agent.id))).toBe(before + 1)
    // the setter gets no notice of their own event
    expect(q(`SELECT count(*) FROM notifications WHERE staff_id = ? AND kind = 'calendar'`, as.senior.id)).toBe(0)
    const list = await as.agent.client.call('notifications.list', {})
    expect(JSON.stringify(list)).toContain('周二组会')
    // on the agent's calendar (and, as a team event, on the other team's agent's too), with the conflict
    const mine = await as.agent.client.call('calendar.range', week)
    expect(mine.conflicts).toEqual([{ staffId: as.agent.id, keys: [made.event.key, `viewing:${viewingId}`] }])
    expect((await as.other.client.call('calendar.range', week)).items.some((i) => i.key === made.event.key)).toBe(true)
    // a senior sets events for their own team only; participants are active colleagues
    expect(await as.senior.client.try('calendar.createEvent', { kind: 'duty', title: '周末值班', startsAt: at(100), endsAt: at(108), participantIds: [as.other.id] })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', field: 'participantIds' } })
    expect(await as.manager.client.try('calendar.createEvent', { kind: 'duty', title: '周末值班', startsAt: at(100), endsAt: at(108), participantIds: [9999] })).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'participantIds', reason: 'unknown_participant' } })
    expect(await as.manager.client.try('calendar.createEvent', { kind: 'duty', title: '长值班', startsAt: at(100), endsAt: at(200), participantIds: [as.agent.id] })).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'endsAt', reason: 'event_too_long' } })
    expect(await as.agent.client.try('calendar.createEvent', { kind: 'meeting', title: '私会', startsAt: at(100), endsAt: at(101), participantIds: [as.agent.id] })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
    // cancelling: the manager or whoever set it; stale and repeated cancels are refused by name
    const id = Number(made.event.key.slice('event:'.length))
    const byManager = await as.manager.client.call('calendar.createEvent', { kind: 'training', title: '新政培训', startsAt: at(50), endsAt: at(52), participantIds: [as.agent.id] })
    expect(await as.senior.client.try('calendar.cancelEvent', { id: Number(byManager.event.key.slice(6)), version: 0 })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
    expect(await as.senior.client.try('calendar.cancelEvent', { id, version: 5 })).toMatchObject({ ok: false, error: { code: 'STALE_WRITE' } })
    await as.senior.client.call('calendar.cancelEvent', { id, version: 0 })
    expect(await as.senior.client.try('calendar.cancelEvent', { id, version: 1 })).toMatchObject({ ok: false, error: { code: 'CONFLICT', reason: 'already_cancelled' } })
    expect(await as.manager.client.try('calendar.cancelEvent', { id: 9999, version: 0 })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } })
    expect(Number(q(`SELECT count(*) FROM notifications WHERE staff_id = ? AND kind = 'calendar'`, as.agent.id))).toBe(before + 3)
    const after = await as.agent.client.call('calendar.range', week)
    expect(after.items.some((i) => i.key === made.event.key)).toBe(false)
    expect(after.conflicts).toEqual([])
    expect(await as.agent.client.call('system.ping', {})).toBeTruthy()
  })

  it('the range queries read by index (EXPLAIN QUERY PLAN)', () => {
    const plan = (c: { sql: string; parameters: readonly unknown[] }) =>
      (host.database.sqlite.prepare(`EXPLAIN QUERY PLAN ${c.sql}`).all(...(c.parameters as unknown[])) as Array<{ detail: string }>).map((r) => r.detail).join(' | ')
    const [from, to] = ['2026-11-01T16:00:00.000Z', '2026-11-08T16:00:00.000Z']
    const ids = [as.agent.id, as.mate.id]
    expect(plan(viewingsStatement(host.database.db, ids, from, to, 1000).compile())).toMatch(/SEARCH v USING INDEX viewings_agent \(agent_id=\? AND starts_at>\? AND starts_at<\?\)/)
    expect(plan(tasksStatement(host.database.db, ids, from, to, 1000).compile())).toMatch(/SEARCH t USING INDEX tasks_staff_open \(staff_id=\? AND status=\? AND due_at>\? AND due_at<\?\)/)
    expect(plan(eventsStatement(host.database.db, from, to, 1000).compile())).toMatch(/SEARCH e USING INDEX team_events_time \(starts_at>\? AND starts_at<\?\)/)
  })
})
