import { createHash } from 'node:crypto'
import path from 'node:path'
import Database from 'better-sqlite3-multiple-ciphers'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ManualClock } from '../../electron/host/clock'
import { DB_FILE_NAME, resolveHeadlessKey } from '../../electron/host/db/key-file'
import type { Host } from '../../electron/host/host'
import type { ApiClient } from '@shared/contract/client'
import { adminClient, staffClient } from '../helpers/staff'
import { startTempHost } from '../helpers/temp-host'
import { unitSheetBase64, type UnitSheetRow } from '../helpers/unit-sheet'

// A rehearsal (演练) of a subscription day beside a live event of the same project: generated
// holders, the day's own calls (door, contest, absentee, picks), a group run by itself, the
// countdown running out, the day closing, then 删除演练. Nothing live may change: every live unit,
// transaction, finance to-do, client and VIP card is hashed before and after.

const clock = new ManualClock(new Date('2026-10-10T01:00:00Z'))
let host: Host & { cleanup(): Promise<void> }
let manager: ApiClient
let desk: ApiClient
let door: ApiClient
let agent: ApiClient
let projectId: number
let units: number[]
let liveEventId: number
let rehearsalId: number

/** The live tables as stored, read beside the host: a hash a table, and the row counts. */
function liveSnapshot(): Record<string, string> {
  const keyHex = resolveHeadlessKey(host.dataDir, {}).keyHex
  const side = new Database(path.join(host.dataDir, DB_FILE_NAME), { readonly: true })
  side.pragma(`cipher='sqlcipher'`)
  side.pragma('legacy=4')
  side.pragma(`key="x'${keyHex}'"`)
  const queries: Record<string, string> = {
    units: 'SELECT * FROM units ORDER BY id',
    unit_transactions: 'SELECT * FROM unit_transactions ORDER BY id',
    finance_todos: 'SELECT * FROM finance_todos ORDER BY id',
    clients: 'SELECT * FROM clients ORDER BY id',
    payments: 'SELECT * FROM payments ORDER BY id',
    vip_cards: 'SELECT * FROM vip_cards WHERE rehearsal_event_id IS NULL ORDER BY id',
    live_queue: `SELECT * FROM subscription_queue WHERE event_id = ${liveEventId} ORDER BY position`,
    live_event: `SELECT * FROM subscription_events WHERE id = ${liveEventId}`,
  }
  const out: Record<string, string> = {}
  for (const [name, sql] of Object.entries(queries)) {
    const rows = side.prepare(sql).all()
    out[name] = `${rows.length}:${createHash('sha256').update(JSON.stringify(rows)).digest('hex')}`
  }
  side.close()
  return out
}

/** Rows a rehearsal left anywhere, read beside the host. */
function rehearsalRows(eventId: number): number {
  const keyHex = resolveHeadlessKey(host.dataDir, {}).keyHex
  const side = new Database(path.join(host.dataDir, DB_FILE_NAME), { readonly: true })
  side.pragma(`cipher='sqlcipher'`)
  side.pragma('legacy=4')
  side.pragma(`key="x'${keyHex}'"`)
  const n = (sql: string) => (side.prepare(sql).get(eventId) as { n: number }).n
  const total =
    n('SELECT count(*) AS n FROM vip_cards WHERE rehearsal_event_id = ?') +
    n('SELECT count(*) AS n FROM vip_wishes WHERE card_id IN (SELECT id FROM vip_cards WHERE rehearsal_event_id = ?)') +
    n('SELECT count(*) AS n FROM subscription_queue WHERE event_id = ?') +
    n('SELECT count(*) AS n FROM subscription_units WHERE event_id = ?') +
    n('SELECT count(*) AS n FROM subscription_calls WHERE event_id = ?') +
    n('SELECT count(*) AS n FROM subscription_events WHERE id = ?')
  side.close()
  return total
}

/** What the live screens show: the board, the open and done finance to-dos, the client count, the live cards. */
async function liveReads() {
  const board = await manager.call('board.get', { projectId })
  return {
    board: board.units.map((u) => [u.id, u.status]),
    totals: board.totals,
    todosOpen: (await manager.call('finance.todos', { status: 'open' })).todos.length,
    todosDone: (await manager.call('finance.todos', { status: 'done' })).todos.length,
    clients: (await manager.call('clients.list', { exactTotal: true })).total,
    cards: (await manager.call('subscription.cards', { projectId })).cards,
    // the live event as stored (its countdown's msLeft and now move with the clock, its deadline does not)
    live: await manager.call('subscription.event', { eventId: liveEventId }).then(({ event, queue }) => ({ queue, status: event.status, group: event.group, deadline: event.deadline })),
  }
}

beforeAll(async () => {
  host = await startTempHost({ clock })
  const admin = await adminClient(host)
  manager = (await staffClient(host, admin, 'manager', 'reh-mgr')).client
  desk = (await staffClient(host, admin, 'agent', 'reh-desk')).client
  door = (await staffClient(host, admin, 'front_desk', 'reh-door')).client
  agent = (await staffClient(host, admin, 'senior_agent', 'reh-agent')).client
  projectId = (await manager.call('projects.create', { name: '滨江二期' })).id
  const rows: UnitSheetRow[] = []
  for (let floor = 1; floor <= 3; floor++) for (let n = 1; n <= 10; n++) rows.push({ building: '2号楼', floor, number: `${floor}${String(n).padStart(2, '0')}`, layout: '3室2厅', area: 98.5, orientation: '南北', listPrice: 2_000_000 })
  await manager.call('units.import', { projectId, fileBase64: await unitSheetBase64(rows) })
  units = (await manager.call('board.get', { projectId })).units.map((u) => u.id).sort((a, b) => a - b)
  // the live day: three cards, the first picks a unit, the second is absent (a real refund to-do)
  const clientIds: number[] = []
  for (let i = 0; i < 3; i++) clientIds.push((await agent.call('clients.create', { kind: 'person', name: `真客户${i}`, phones: [{ number: `1370000${String(i).padStart(4, '0')}` }], sourceChannel: 'walk_in' })).id)
  for (let c = 1; c <= 3; c++) await agent.call('subscription.issueCard', { projectId, clientId: clientIds[c - 1]!, cardNo: c, deposit: 5_000_000, receiptNo: `LIVE${c}`, method: 'transfer', wishes: [units[c - 1]!] })
  liveEventId = (await manager.call('subscription.createEvent', { projectId, name: '10.10 开盘', days: ['2026-10-10'], unitIds: units, minutesPerGroup: 240 })).id
  await manager.call('subscription.callNext', { eventId: liveEventId })
  await door.call('subscription.checkIn', { eventId: liveEventId, cardNo: 1 })
  await desk.call('subscription.pick', { eventId: liveEventId, cardNo: 1, unitId: units[0]! })
  await door.call('subscription.markAbsent', { eventId: liveEventId, cardNo: 2 })
}, 60_000)
afterAll(() => host.cleanup())

describe('a rehearsal of the subscription day (演练)', () => {
  it('only the manager starts one', async () => {
    for (const who of [agent, desk, door]) expect(await who.try('subscription.rehearse', { projectId, holders: 3 })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
  })

  it('runs a whole day with generated holders and leaves every live row exactly as it was', async () => {
    const storedBefore = liveSnapshot()
    const readsBefore = await liveReads()
    expect(readsBefore.todosOpen).toBe(1)

    const event = await manager.call('subscription.rehearse', { projectId, holders: 25, groupSize: 10, minutesPerGroup: 15, seed: 7 })
    rehearsalId = event.id
    expect(event).toMatchObject({ rehearsal: true, status: 'ready', groupSize: 10, unitIds: units })
    expect(event.name).toContain('演练')

    // marked in every read: the list, the console (holders 演练客…), the lobby
    const listed = (await door.call('subscription.events', {})).events
    expect(listed.find((e) => e.id === rehearsalId)).toMatchObject({ rehearsal: true })
    expect(listed.find((e) => e.id === liveEventId)).toMatchObject({ rehearsal: false })
    const console1 = await manager.call('subscription.event', { eventId: rehearsalId })
    expect(console1.queue).toHaveLength(25)
    for (const q of console1.queue) expect(q.clientName).toMatch(/^演练客\d{3}$/)
    expect((await agent.call('subscription.lobby', { eventId: rehearsalId })).event.rehearsal).toBe(true)
    // the live listing of cards does not see them
    expect((await manager.call('subscription.cards', { projectId })).cards).toHaveLength(3)

    // group 1, at the door and the desk exactly as on the day
    await manager.call('subscription.callNext', { eventId: rehearsalId })
    expect(await door.call('subscription.checkIn', { eventId: rehearsalId, cardNo: 1 })).toMatchObject({ ok: true, verdict: 'welcome' })
    expect(await door.call('subscription.checkIn', { eventId: rehearsalId, cardNo: 4 })).toMatchObject({ ok: true, verdict: 'welcome' })
    expect(await door.call('subscription.checkIn', { eventId: rehearsalId, cardNo: 15 })).toMatchObject({ ok: false, verdict: 'not_yet', group: 2 })
    // group 1's hot unit is the one the live day sold already: the rehearsal's copy of the board is its own
    const hot = units[0]!
    // cards 1 and 4 both wish for it first: card 1 comes first
    expect(await desk.try('subscription.pick', { eventId: rehearsalId, cardNo: 4, unitId: hot })).toMatchObject({ ok: false, error: { code: 'CONFLICT', reason: 'earlier_card_first', params: { cardNo: 1 } } })
    expect(await desk.call('subscription.pick', { eventId: rehearsalId, cardNo: 1, unitId: hot })).toEqual({ unitId: hot, txId: null })
    expect(await desk.try('subscription.pick', { eventId: rehearsalId, cardNo: 4, unitId: hot })).toMatchObject({ ok: false, error: { code: 'CONFLICT', field: 'unitId' } })
    await door.call('subscription.markAbsent', { eventId: rehearsalId, cardNo: 2 })
    // the rest of the group runs by itself (card 4 takes its next free wish)
    const run1 = await manager.call('subscription.autoRun', { eventId: rehearsalId })
    expect(run1.picks.map((p) => p.cardNo)).toEqual([3, 4, 5, 6, 7, 8, 9, 10])
    expect(run1.picks.find((p) => p.cardNo === 4)?.unitId).not.toBe(hot)
    for (const who of [agent, desk, door]) expect(await who.try('subscription.autoRun', { eventId: rehearsalId })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
    expect(await manager.try('subscription.autoRun', { eventId: liveEventId })).toMatchObject({ ok: false, error: { code: 'CONFLICT', reason: 'not_a_rehearsal' } })

    // group 2: nobody comes and its countdown runs out (all absent); group 3 runs by itself; the day closes
    await manager.call('subscription.callNext', { eventId: rehearsalId })
    clock.advance((await door.call('subscription.lobby', { eventId: rehearsalId })).event.msLeft)
    expect((await door.call('subscription.lobby', { eventId: rehearsalId })).event.group).toBe(3)
    await manager.call('subscription.autoRun', { eventId: rehearsalId })
    expect(await manager.call('subscription.callNext', { eventId: rehearsalId })).toMatchObject({ status: 'closed', rehearsal: true })

    const after = await manager.call('subscription.event', { eventId: rehearsalId })
    const states = after.queue.map((q) => q.state)
    expect(states.filter((s) => s === 'absent').length).toBeGreaterThanOrEqual(11)
    expect(states.every((s) => s === 'picked' || s === 'absent' || s === 'passed')).toBe(true)
    const picked = after.queue.flatMap((q) => (q.unitId === null ? [] : [q.unitId]))
    expect(new Set(picked).size).toBe(picked.length)
    // its 汇总 (how the manager checks the day's timing) lists the generated holders' picks
    const summary = await manager.call('subscription.summary', { eventId: rehearsalId })
    expect(summary.picks).toHaveLength(picked.length)
    expect(summary.picks.every((p) => p.clientName.startsWith('演练客'))).toBe(true)

    // nothing live changed: not one unit, transaction, to-do, client, card or live queue row
    expect(liveSnapshot()).toEqual(storedBefore)
    expect(await liveReads()).toEqual(readsBefore)
  })

  it('删除演练: only the manager deletes it, a live event never, and every row it made goes', async () => {
    const before = liveSnapshot()
    expect(rehearsalRows(rehearsalId)).toBeGreaterThan(0)
    for (const who of [agent, desk, door]) expect(await who.try('subscription.deleteRehearsal', { eventId: rehearsalId })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
    expect(await manager.try('subscription.deleteRehearsal', { eventId: liveEventId })).toMatchObject({ ok: false, error: { code: 'CONFLICT', reason: 'not_a_rehearsal' } })
    expect(await manager.call('subscription.deleteRehearsal', { eventId: rehearsalId })).toEqual({ ok: true })
    expect(rehearsalRows(rehearsalId)).toBe(0)
    expect(await manager.try('subscription.event', { eventId: rehearsalId })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } })
    expect((await door.call('subscription.events', {})).events.map((e) => e.id)).toEqual([liveEventId])
    expect(liveSnapshot()).toEqual(before)
    // the live day goes on where it was: card 3 picks its unit
    await door.call('subscription.checkIn', { eventId: liveEventId, cardNo: 3 })
    expect(await desk.call('subscription.pick', { eventId: liveEventId, cardNo: 3, unitId: units[2]! })).toMatchObject({ unitId: units[2]! })
  })
})
