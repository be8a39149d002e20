import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { PushedEvent } from '../../electron/host/api/events'
import { ManualClock } from '../../electron/host/clock'
import type { Host } from '../../electron/host/host'
import type { OutputOf } from '@shared/contract'
import type { ApiClient } from '@shared/contract/client'
import { adminClient, staffClient } from '../helpers/staff'
import { startTempHost } from '../helpers/temp-host'
import { unitSheetBase64, type UnitSheetRow } from '../helpers/unit-sheet'

// The subscription day as its screens see it (#21 review): a push after every write instead of a
// 2-second poll, a group whose time ran out closed as soon as the console or the lobby display reads
// it (its refund to-dos made then, no write or scheduler pass needed), the event list's status at the
// host clock, and a rehearsal on a chosen few units whose practice cards the door finds by their number.

const MINUTE = 60_000
const clock = new ManualClock(new Date('2026-10-12T01:00:00Z'))
let host: Host & { cleanup(): Promise<void> }
let manager: ApiClient
let desk: ApiClient
let door: ApiClient
let agent: ApiClient
let projectId: number
let units: number[]

beforeAll(async () => {
  host = await startTempHost({ clock })
  const admin = await adminClient(host)
  manager = (await staffClient(host, admin, 'manager', 'live-mgr')).client
  desk = (await staffClient(host, admin, 'agent', 'live-desk')).client
  door = (await staffClient(host, admin, 'front_desk', 'live-door')).client
  agent = (await staffClient(host, admin, 'senior_agent', 'live-agent')).client
  projectId = (await manager.call('projects.create', { name: '推送苑' })).id
  const rows: UnitSheetRow[] = []
  for (let n = 1; n <= 8; n++) rows.push({ building: '3号楼', floor: 1, number: `10${n}`, layout: '3室2厅', area: 100, orientation: '南北', listPrice: 2_000_000 })
  await manager.call('units.import', { projectId, fileBase64: await unitSheetBase64(rows) })
  units = (await manager.call('board.get', { projectId })).units.map((u) => u.id).sort((a, b) => a - b)
  const client = (await agent.call('clients.create', { kind: 'person', name: '推送客', phones: [{ number: '13900008888' }], sourceChannel: 'walk_in' })).id
  for (let c = 1; c <= 4; c++) await agent.call('subscription.issueCard', { projectId, clientId: client, cardNo: c, deposit: 1_000_000, receiptNo: `TS${c}`, method: 'cash', wishes: [units[c - 1]!] })
}, 60_000)
afterAll(() => host.cleanup())

/** The subscription.changed pushes sent while `act` runs (each is published after its commit). */
async function pushesDuring(act: () => Promise<unknown>): Promise<number[]> {
  const pushed: PushedEvent[] = []
  const off = host.events.onEvent((e) => pushed.push(e))
  try {
    await act()
  } finally {
    off()
  }
  return pushed.filter((e) => e.name === 'subscription.changed').map((e) => (e.payload as { eventId: number }).eventId)
}

describe('the screens of a subscription day', () => {
  let eventId: number

  it('are pushed "event changed" after each write (call, door, pick), naming only the event', async () => {
    const created = await pushesDuring(async () => (eventId = (await manager.call('subscription.createEvent', { projectId, name: '推送开盘', days: ['2026-10-12'], unitIds: units, groupSize: 2, minutesPerGroup: 15 })).id))
    expect(created).toEqual([eventId])
    expect(await pushesDuring(() => manager.call('subscription.callNext', { eventId }))).toEqual([eventId])
    expect(await pushesDuring(() => door.call('subscription.checkIn', { eventId, cardNo: 1 }))).toEqual([eventId])
    expect(await pushesDuring(() => desk.call('subscription.pick', { eventId, cardNo: 1, unitId: units[0]! }))).toEqual([eventId])
    // a refused write commits nothing, so nothing is pushed
    expect(await pushesDuring(() => desk.try('subscription.pick', { eventId, cardNo: 1, unitId: units[1]! }))).toEqual([])
    // a read pushes nothing
    expect(await pushesDuring(() => door.call('subscription.lobby', { eventId }))).toEqual([])
  })

  it('close a group whose time ran out as soon as the console reads it: its absentee reads absent and has its refund to-do at once', async () => {
    // card 2 never came; group 1's countdown runs out with nobody at the console
    clock.advance(15 * MINUTE)
    const todosBefore = (await manager.call('finance.todos', { status: 'open' })).todos.length
    // the 汇总 and the event list read it as over already (they do not write)
    const s = await manager.call('subscription.summary', { eventId })
    expect(s.total).toMatchObject({ absent: 1, picked: 1 })
    expect(s.total.groups[0]).toMatchObject({ calledAt: '2026-10-12T01:00:00.000Z', endedAt: '2026-10-12T01:15:00.000Z', ms: 15 * MINUTE })
    expect(s.total.groups[1]).toMatchObject({ calledAt: '2026-10-12T01:15:00.000Z', endedAt: null, ms: null })
    expect((await desk.call('subscription.events', {})).events.find((e) => e.id === eventId)).toMatchObject({ status: 'running' })
    // the console's read, with no write and no scheduler pass: the group is closed there and then, and every screen is told
    let read: OutputOf<'subscription.event'> | undefined
    expect(await pushesDuring(async () => (read = await manager.call('subscription.event', { eventId })))).toEqual([eventId])
    const { event, queue } = read!
    expect(event).toMatchObject({ status: 'running', group: 2 })
    expect(queue.find((q) => q.cardNo === 2)).toMatchObject({ state: 'absent', decidedAt: '2026-10-12T01:15:00.000Z' })
    expect(queue.find((q) => q.cardNo === 1)).toMatchObject({ state: 'picked' })
    expect(queue.filter((q) => q.group === 2).map((q) => q.state)).toEqual(['waiting', 'waiting'])
    const todos = (await manager.call('finance.todos', { status: 'open' })).todos
    expect(todos.length).toBe(todosBefore + 1)
    expect(todos.filter((t) => t.note.key === 'finance.vipRefund' && t.note.params.cardNo === '2')).toHaveLength(1)
    expect((await manager.call('subscription.cards', { projectId })).cards.find((c) => c.cardNo === 2)).toMatchObject({ status: 'forfeited' })
    // stored as the screens showed it, and the 汇总 still times group 1 by its deadline
    expect((await manager.call('subscription.summary', { eventId })).total.groups[0]).toMatchObject({ endedAt: '2026-10-12T01:15:00.000Z', ms: 15 * MINUTE })
    // a second read finds nothing to close: no second to-do, no push
    expect(await pushesDuring(() => door.call('subscription.lobby', { eventId }))).toEqual([])
    expect((await manager.call('finance.todos', { status: 'open' })).todos.length).toBe(todosBefore + 1)
    clock.advance(MINUTE)
    await door.call('subscription.checkIn', { eventId, cardNo: 3 })
    expect((await manager.call('subscription.event', { eventId })).queue.find((q) => q.cardNo === 2)).toMatchObject({ state: 'absent', decidedAt: '2026-10-12T01:15:00.000Z' })
  })

  it('end the day once its last group ran out, as soon as the lobby display reads it: the present holder without a pick is passed and refunded', async () => {
    // group 2 was called at 01:15 and runs out at 01:30; it is 01:32 when anyone looks
    clock.advance(16 * MINUTE)
    const todosBefore = (await manager.call('finance.todos', { status: 'open' })).todos.length
    // the event list (a read that does not write) says closed already
    expect((await door.call('subscription.events', {})).events.find((e) => e.id === eventId)).toMatchObject({ status: 'closed' })
    let lobby: OutputOf<'subscription.lobby'> | undefined
    expect(await pushesDuring(async () => (lobby = await door.call('subscription.lobby', { eventId })))).toEqual([eventId])
    expect(lobby!.event.status).toBe('closed')
    expect(lobby!.current).toEqual([])
    // card 3 (present, no pick) passed and card 4 (never came) absent: two refund to-dos, made by that read
    expect((await manager.call('finance.todos', { status: 'open' })).todos.length).toBe(todosBefore + 2)
    // stored as the screens showed it: decided when the countdown ran out, not when the read came
    const { event, queue } = await manager.call('subscription.event', { eventId })
    expect(event.status).toBe('closed')
    expect(queue.map((q) => [q.state, q.decidedAt])).toEqual([
      ['picked', '2026-10-12T01:00:00.000Z'],
      ['absent', '2026-10-12T01:15:00.000Z'],
      ['passed', '2026-10-12T01:30:00.000Z'],
      ['absent', '2026-10-12T01:30:00.000Z'],
    ])
    expect((await manager.call('subscription.summary', { eventId })).total).toMatchObject({ picked: 1, absent: 2, passed: 1, refundsDue: 3 })
    // the scheduler's pass then finds nothing left to move
    const pushed = await pushesDuring(async () => {
      const { jobId } = await manager.call('scheduler.run', {})
      await host.jobs.finished(jobId)
    })
    expect(pushed).toEqual([])
    expect((await manager.call('finance.todos', { status: 'open' })).todos.length).toBe(todosBefore + 2)
    expect(await manager.call('system.ping', {})).toBeTruthy()
  })
})

describe('a rehearsal on a chosen few units', () => {
  it('plays only those units, and the door finds a practice card by the number it carries', async () => {
    const chosen = [units[5]!, units[6]!, units[7]!]
    const r = await manager.call('subscription.rehearse', { projectId, holders: 6, groupSize: 3, unitIds: chosen, seed: 7 })
    expect(r.unitIds).toEqual(chosen)
    expect(await manager.try('subscription.rehearse', { projectId, holders: 3, unitIds: [units[0]!, 999_999] })).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'unitIds', reason: 'unit_not_in_project' } })
    await manager.call('subscription.callNext', { eventId: r.id })
    // practice card 0000000002 (as a 10-digit reader types it) is rehearsal card 2, and card 2 is in group 1
    expect(await door.call('subscription.checkIn', { eventId: r.id, read: { text: '0000000002', format: 'decimal-10' } })).toMatchObject({ ok: true, verdict: 'welcome', cardNo: 2, group: 1 })
    // the same card's UID as a byte reader reports it
    expect(await door.call('subscription.checkIn', { eventId: r.id, read: { uid: '00000005' } })).toMatchObject({ ok: false, verdict: 'not_yet', cardNo: 5, group: 2 })
    // a number past the rehearsal's cards, or a real member card, is no rehearsal card; nor is a typed live card number
    expect(await door.call('subscription.checkIn', { eventId: r.id, read: { text: '0000000007', format: 'decimal-10' } })).toMatchObject({ ok: false, verdict: 'unknown_card' })
    expect(await door.call('subscription.checkIn', { eventId: r.id, read: { uid: 'A1B2C3D4' } })).toMatchObject({ ok: false, verdict: 'unknown_card' })
    const client = (await agent.call('clients.create', { kind: 'person', name: '真卡客', phones: [{ number: '13900008889' }], sourceChannel: 'walk_in' })).id
    await agent.call('subscription.issueCard', { projectId, clientId: client, cardNo: 40, deposit: 1_000_000, receiptNo: 'TS40', method: 'cash' })
    expect(await door.call('subscription.checkIn', { eventId: r.id, cardNo: 40 })).toMatchObject({ ok: false, verdict: 'unknown_card' })
    const { picks } = await manager.call('subscription.autoRun', { eventId: r.id })
    for (const p of picks) if (p.unitId !== null) expect(chosen).toContain(p.unitId)
    expect(picks.some((p) => p.unitId !== null)).toBe(true)
    expect(await manager.call('system.ping', {})).toBeTruthy()
  })
})
