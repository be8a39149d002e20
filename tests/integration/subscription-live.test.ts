import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { PushedEvent } from '../../electron/host/api/events'
import { ManualClock } from '../../electron/host/clock'
import type { Host } from '../../electron/host/host'
import type { ApiClient } from '@shared/contract/client'
import { adminClient, staffClient } from '../helpers/staff'
import { startTempHost } from '../helpers/temp-host'
import { unitSheetBase64, type UnitSheetRow } from '../helpers/unit-sheet'

// The subscription day as its screens see it (#21 review): a push after every write instead of a
// 2-second poll, a group whose time ran out shown as such on the next read (no write needed), the
// event list's status at the host clock, and a rehearsal on a chosen few units whose practice cards
// the door finds by their number.

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

  it('show a group whose time ran out as over at once: its holders who never came read absent before any write', async () => {
    // card 2 never came; group 1's countdown runs out with nobody at the console
    clock.advance(15 * MINUTE)
    const { event, queue } = await manager.call('subscription.event', { eventId })
    expect(event).toMatchObject({ status: 'running', group: 2 })
    expect(queue.find((q) => q.cardNo === 2)).toMatchObject({ state: 'absent', decidedAt: '2026-10-12T01:15:00.000Z' })
    expect(queue.find((q) => q.cardNo === 1)).toMatchObject({ state: 'picked' })
    expect(queue.filter((q) => q.group === 2).map((q) => q.state)).toEqual(['waiting', 'waiting'])
    // the 汇总 reads the same, and times group 1 exactly: called at 01:00, over at its deadline
    const s = await manager.call('subscription.summary', { eventId })
    expect(s.total).toMatchObject({ absent: 1, picked: 1 })
    expect(s.total.groups[0]).toMatchObject({ calledAt: '2026-10-12T01:00:00.000Z', endedAt: '2026-10-12T01:15:00.000Z', ms: 15 * MINUTE })
    expect(s.total.groups[1]).toMatchObject({ calledAt: '2026-10-12T01:15:00.000Z', endedAt: null, ms: null })
    // the event list says 进行中 (running) while the day runs
    expect((await desk.call('subscription.events', {})).events.find((e) => e.id === eventId)).toMatchObject({ status: 'running' })
    // the read wrote nothing: the next write, a minute later, stores the same (the refund to-do appears then)
    const todosBefore = (await manager.call('finance.todos', { status: 'open' })).todos.length
    clock.advance(MINUTE)
    await door.call('subscription.checkIn', { eventId, cardNo: 3 })
    expect((await manager.call('finance.todos', { status: 'open' })).todos.length).toBe(todosBefore + 1)
    expect((await manager.call('subscription.event', { eventId })).queue.find((q) => q.cardNo === 2)).toMatchObject({ state: 'absent', decidedAt: '2026-10-12T01:15:00.000Z' })
  })

  it('show the day over once its last group ran out: the present holder without a pick reads passed, the list says closed', async () => {
    // group 2 was called at 01:15 and runs out at 01:30; it is 01:32 when anyone looks
    clock.advance(16 * MINUTE)
    const { event, queue } = await manager.call('subscription.event', { eventId })
    expect(event.status).toBe('closed')
    expect(queue.map((q) => q.state)).toEqual(['picked', 'absent', 'passed', 'absent'])
    expect(queue.slice(2).map((q) => q.decidedAt)).toEqual(['2026-10-12T01:30:00.000Z', '2026-10-12T01:30:00.000Z'])
    expect((await door.call('subscription.events', {})).events.find((e) => e.id === eventId)).toMatchObject({ status: 'closed' })
    const lobby = await door.call('subscription.lobby', { eventId })
    expect(lobby.current).toEqual([])
    // the scheduler's pass stores it and tells the screens
    const pushed = await pushesDuring(async () => {
      const { jobId } = await manager.call('scheduler.run', {})
      await host.jobs.finished(jobId)
    })
    expect(pushed).toEqual([eventId])
    // stored as the screens showed it: decided when the countdown ran out, not when the pass came
    expect((await manager.call('subscription.event', { eventId })).queue.map((q) => [q.state, q.decidedAt])).toEqual([
      ['picked', '2026-10-12T01:00:00.000Z'],
      ['absent', '2026-10-12T01:15:00.000Z'],
      ['passed', '2026-10-12T01:30:00.000Z'],
      ['absent', '2026-10-12T01:30:00.000Z'],
    ])
    expect((await manager.call('subscription.summary', { eventId })).total).toMatchObject({ picked: 1, absent: 2, passed: 1, refundsDue: 3 })
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
