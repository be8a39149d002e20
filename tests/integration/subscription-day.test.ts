import fs from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ManualClock } from '../../electron/host/clock'
import { startHost, type Host } from '../../electron/host/host'
import type { ApiClient } from '@shared/contract/client'
import { drawOrder } from '@shared/domain/subscription-draw'
import { adminClient, STAFF_PASSWORD, staffClient } from '../helpers/staff'
import { ADMIN_PASSWORD, startTempHost } from '../helpers/temp-host'
import { unitSheetBase64, type UnitSheetRow } from '../helpers/unit-sheet'

// A whole subscription day as the seed runs it (篇2): 100 VIP cards in card-number order, ten
// groups of ten, 15 minutes a group, the earlier card first for a contested unit, absentees
// refunded, two picking desks racing for one unit, and the host restarted in the middle.

const MINUTE = 60_000
const clock = new ManualClock(new Date('2026-09-26T02:00:00Z'))
let host: Host & { cleanup(): Promise<void> }
let dataDir: string
let manager: ApiClient
let deskA: ApiClient
let deskB: ApiClient
let door: ApiClient
let agent: ApiClient
let projectId: number
let units: number[]
let clients: number[]
const cardIds = new Map<number, number>()

/** Signs the people in again (after a restart the sessions are on file, the clients are new). */
async function signIn(h: Host, username: string): Promise<ApiClient> {
  const c = h.client()
  await c.call('auth.login', { username, password: STAFF_PASSWORD })
  return c
}

beforeAll(async () => {
  host = await startTempHost({ clock })
  dataDir = host.dataDir
  const admin = await adminClient(host)
  manager = (await staffClient(host, admin, 'manager', 'sub-mgr')).client
  deskA = (await staffClient(host, admin, 'agent', 'sub-desk-a')).client
  deskB = (await staffClient(host, admin, 'agent', 'sub-desk-b')).client
  door = (await staffClient(host, admin, 'front_desk', 'sub-door')).client
  agent = (await staffClient(host, admin, 'senior_agent', 'sub-agent')).client
  projectId = (await manager.call('projects.create', { name: '花园一期' })).id
  const rows: UnitSheetRow[] = []
  for (let floor = 1; floor <= 12; floor++) for (let n = 1; n <= 10; n++) rows.push({ building: '1号楼', floor, number: `${floor}${String(n).padStart(2, '0')}`, layout: '3室2厅', area: 98.5, orientation: '南北', listPrice: 2_000_000 })
  await manager.call('units.import', { projectId, fileBase64: await unitSheetBase64(rows) })
  units = (await manager.call('board.get', { projectId })).units.map((u) => u.id).sort((a, b) => a - b)
  // ten holders, ten cards each (a family may hold several cards)
  clients = []
  for (let i = 0; i < 10; i++) clients.push((await agent.call('clients.create', { kind: 'person', name: `认购客${i}`, phones: [{ number: `1390000${String(i).padStart(4, '0')}` }], sourceChannel: 'walk_in' })).id)
}, 60_000)
afterAll(() => host.cleanup())

/** The hot unit of group g (1-based): every card of the group wishes for it first. */
const hot = (g: number) => units[g - 1]!
/** Card c's own second wish, wished by nobody else. */
const own = (c: number) => units[10 + c - 1]!
/** How many of the absent cards are in group g. */
const cardsAbsentIn = (absent: ReadonlySet<number>, g: number) => [...absent].filter((c) => Math.ceil(c / 10) === g).length
/** A unit on nobody's list: what the two desks race for in group g. */
const raceUnit = (g: number) => units[110 + g - 1]!

describe('a subscription day', () => {
  it('issues 105 numbered VIP cards with their 意向金 and wish lists', async () => {
    for (let c = 1; c <= 105; c++) {
      const g = Math.ceil(c / 10)
      const card = await agent.call('subscription.issueCard', {
        projectId,
        clientId: clients[(c - 1) % 10]!,
        cardNo: c,
        deposit: 5_000_000,
        receiptNo: `YX${c}`,
        method: 'transfer',
        wishes: c <= 100 ? [hot(g), own(c)] : [],
      })
      cardIds.set(c, card.id)
    }
    expect(await agent.try('subscription.issueCard', { projectId, clientId: clients[0]!, cardNo: 7, deposit: 1, receiptNo: 'YX-dup', method: 'cash' })).toMatchObject({ ok: false, error: { code: 'DUPLICATE', field: 'cardNo' } })
    expect(await agent.try('subscription.setWishes', { cardId: cardIds.get(1)!, wishes: [units[0]!, units[0]!] })).toMatchObject({ ok: false, error: { code: 'VALIDATION', reason: 'duplicate_unit' } })
    // cards 101 and 102 will not be reached: their holders carry priority over, 103–105 take the money back
    for (const c of [101, 102]) await agent.call('subscription.setCarryOver', { cardId: cardIds.get(c)!, carryOver: true })
    const list = await manager.call('subscription.cards', { projectId })
    expect(list.cards).toHaveLength(105)
    expect(list.cards[0]).toMatchObject({ cardNo: 1, deposit: 5_000_000, status: 'valid', wishes: [hot(1), own(1)] })
  })

  it('runs ten groups: door checks, contests by card order, absentees, a race, a restart in the middle', async () => {
    const event = await manager.call('subscription.createEvent', { projectId, name: '9.26 开盘', days: ['2026-09-26'], unitIds: units, rulesText: '一张贵宾卡只能认购一套物业。' })
    expect(event).toMatchObject({ status: 'ready', cardsPerDay: 100, groupSize: 10, minutesPerGroup: 15 })
    const eventId = event.id
    const absent = new Set([17, 31, 34, 51, 68, 85])
    const race: Array<{ g: number; winner: number; loser: number }> = []

    // the door before anyone is called, and a member card swipe
    expect(await door.call('subscription.checkIn', { eventId, cardNo: 1 })).toMatchObject({ ok: false, verdict: 'not_called' })
    await agent.call('cards.issue', { clientId: clients[0]!, read: { uid: 'A1B2C3D4' } })

    for (let g = 1; g <= 10; g++) {
      if (g === 6) {
        // the host stops mid-day (between the call of group 6 and its picks) and comes back on the same data
        await manager.call('subscription.callNext', { eventId })
        clock.advance(4 * MINUTE)
        const before = await manager.call('subscription.event', { eventId })
        await host.close()
        const again = await startHost({ dataDir, clock, noServer: true, schedulerIntervalMs: 0, env: { KEYUAN_ADMIN_PASSWORD: ADMIN_PASSWORD } })
        host = Object.assign(again, { cleanup: async () => (await again.close(), fs.rmSync(dataDir, { recursive: true, force: true })) })
        manager = await signIn(host, 'sub-mgr')
        deskA = await signIn(host, 'sub-desk-a')
        deskB = await signIn(host, 'sub-desk-b')
        door = await signIn(host, 'sub-door')
        agent = await signIn(host, 'sub-agent')
        const after = await manager.call('subscription.event', { eventId })
        expect(after).toEqual(before)
        expect(after.event).toMatchObject({ status: 'running', group: 6, msLeft: 11 * MINUTE })
      } else if (g === 1 || g % 2 === 1) {
        await manager.call('subscription.callNext', { eventId })
      } else {
        // even groups: the last group's countdown runs out and the host moves on by itself
        const lobby = await door.call('subscription.lobby', { eventId })
        clock.advance(lobby.event.msLeft)
        expect((await door.call('subscription.lobby', { eventId })).event.group).toBe(g)
      }
      const cards = Array.from({ length: 10 }, (_, i) => (g - 1) * 10 + i + 1)
      if (g === 1) {
        // the member card of the holder of cards 1, 11, 21 … finds the card whose turn it is
        expect(await door.call('subscription.checkIn', { eventId, read: { uid: 'A1B2C3D4' } })).toMatchObject({ ok: true, verdict: 'welcome', cardNo: 1 })
        expect(await door.call('subscription.checkIn', { eventId, cardNo: 25 })).toMatchObject({ ok: false, verdict: 'not_yet', group: 3 })
        expect(await door.call('subscription.checkIn', { eventId, cardNo: 104 })).toMatchObject({ ok: false, verdict: 'not_in_event' })
        expect(await door.call('subscription.checkIn', { eventId, cardNo: 999 })).toMatchObject({ ok: false, verdict: 'unknown_card' })
      }
      const present = cards.filter((c) => !absent.has(c))
      for (const c of present) expect(await door.call('subscription.checkIn', { eventId, cardNo: c })).toMatchObject({ ok: true, verdict: 'welcome', group: g })
      // later cards try the group's hot unit first: refused while an earlier card still may pick it
      for (const c of present.slice(1).reverse()) {
        expect(await deskA.try('subscription.pick', { eventId, cardNo: c, unitId: hot(g) })).toMatchObject({ ok: false, error: { code: 'CONFLICT', reason: 'earlier_card_first', params: { cardNo: cards[0]! } } })
      }
      if (absent.has(cards[0]!)) await door.call('subscription.markAbsent', { eventId, cardNo: cards[0]! })
      // two desks, two holders, one unit, the same instant: exactly one 认购
      const [a, b] = present.slice(-2) as [number, number]
      const [ra, rb] = await Promise.all([deskA.try('subscription.pick', { eventId, cardNo: a, unitId: raceUnit(g) }), deskB.try('subscription.pick', { eventId, cardNo: b, unitId: raceUnit(g) })])
      expect([ra.ok, rb.ok].filter(Boolean)).toHaveLength(1)
      const loserResult = ra.ok ? rb : ra
      expect(loserResult).toMatchObject({ ok: false, error: { code: 'CONFLICT', reason: 'unit_subscribe' } })
      race.push({ g, winner: ra.ok ? a : b, loser: ra.ok ? b : a })
      // the earliest present card takes the hot unit, the rest their own
      await deskB.call('subscription.pick', { eventId, cardNo: present[0]!, unitId: hot(g) })
      for (const c of present.slice(1)) if (c !== race.at(-1)!.winner && !(g === 3 && c === 30)) await deskA.call('subscription.pick', { eventId, cardNo: c, unitId: own(c) })
      // one card per unit, one unit per card
      expect(await deskA.try('subscription.pick', { eventId, cardNo: present[1]!, unitId: own(present[1]!) })).toMatchObject({ ok: false, error: { reason: 'card_used' } })
      if (g === 4) {
        // the countdown ran out while card 30 (group 3, checked in) had not picked: it still may, after its group
        expect(await deskA.call('subscription.pick', { eventId, cardNo: 30, unitId: own(30) })).toMatchObject({ unitId: own(30) })
      }
    }
    // a card of an absent holder cannot pick; the unit taken is refused to anyone
    expect(await deskA.try('subscription.pick', { eventId, cardNo: 85, unitId: own(85) })).toMatchObject({ ok: false, error: { reason: 'card_forfeited' } })
    expect(await manager.try('subscription.extend', { eventId, minutes: 0 })).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'minutes' } })
    const extended = await manager.call('subscription.extend', { eventId, minutes: 5 })
    expect(extended.msLeft).toBeGreaterThan(0)
    const closed = await manager.call('subscription.callNext', { eventId })
    expect(closed.status).toBe('closed')
    // the door after the day: a used card and a forfeited one are told apart; the lobby never names a holder
    expect(await door.call('subscription.checkIn', { eventId, cardNo: 2 })).toMatchObject({ ok: false, verdict: 'used' })
    expect(await door.call('subscription.checkIn', { eventId, cardNo: 17 })).toMatchObject({ ok: false, verdict: 'forfeited' })
    expect(JSON.stringify(await door.call('subscription.lobby', { eventId }))).not.toContain('认购客')
    expect((await manager.call('system.ping', {}))).toBeTruthy()

    // the proof: every unit sold at most once, contests by card order, every absentee refunded
    const db = host.database.sqlite
    const live = db.prepare(`SELECT unit_id, count(*) AS n FROM unit_transactions WHERE live = 1 GROUP BY unit_id`).all() as Array<{ unit_id: number; n: number }>
    expect(live.every((r) => r.n === 1)).toBe(true)
    const { queue } = await manager.call('subscription.event', { eventId })
    const picks = queue.filter((q) => q.state === 'picked')
    expect(new Set(picks.map((q) => q.unitId)).size).toBe(picks.length)
    expect(picks).toHaveLength(100 - absent.size)
    expect(live).toHaveLength(picks.length)
    for (let g = 1; g <= 10; g++) {
      const firstPresent = queue.filter((q) => q.group === g && !absent.has(q.cardNo))[0]!
      expect(queue.find((q) => q.unitId === hot(g))!.cardNo).toBe(firstPresent.cardNo)
      const r = race[g - 1]!
      expect(queue.find((q) => q.unitId === raceUnit(g))!.cardNo).toBe(r.winner)
      expect(queue.find((q) => q.cardNo === r.loser)!.unitId).toBe(own(r.loser))
    }
    const board = await manager.call('board.get', { projectId })
    expect(board.units.filter((u) => u.status === 'subscribe')).toHaveLength(picks.length)
    const cards = (await manager.call('subscription.cards', { projectId })).cards
    const byNo = new Map(cards.map((c) => [c.cardNo, c]))
    for (const c of absent) expect(queue.find((q) => q.cardNo === c)!.state).toBe('absent')
    for (const c of [...absent, 103, 104, 105]) expect(byNo.get(c)!.status).toBe('forfeited')
    for (const c of [101, 102]) expect(byNo.get(c)!.status).toBe('carried_over')
    expect(cards.filter((c) => c.status === 'used')).toHaveLength(picks.length)
    const todos = (await manager.call('finance.todos', { status: 'open' })).todos.filter((t) => t.note.key === 'finance.vipRefund')
    expect(todos.map((t) => Number(t.note.params!.cardNo)).sort((x, y) => x - y)).toEqual([...absent, 103, 104, 105].sort((x, y) => x - y))
    for (const t of todos) expect(t).toMatchObject({ kind: 'refund', amount: 5_000_000 })
    // absentees were marked on 2026-09-26 (Shanghai): due back within 3 days
    expect(todos.every((t) => t.note.params!.due === '2026-09-29')).toBe(true)
    expect(cards.filter((c) => c.status === 'forfeited').length + cards.filter((c) => c.status === 'used').length + 2).toBe(105)

    // the 汇总 adds up: 100 cards in the queue (101–105 were not reached), 94 picks, 6 absentees refunded
    const sum = await manager.call('subscription.summary', { eventId })
    expect(sum.total).toMatchObject({ cards: 100, picked: 94, passed: 0, absent: 6, unitsSold: 94, released: 0, refundsDue: 6, refundsDone: 0, refundAmountDue: 6 * 5_000_000, refundAmountDone: 0 })
    expect(sum.days.map((d) => d.figures)).toEqual([sum.total])
    expect(sum.picks).toHaveLength(94)
    expect(new Set(sum.picks.map((p) => p.unitId)).size).toBe(94)
    expect(sum.forfeits.map((f) => [f.cardNo, f.state, f.amount])).toEqual([...absent].sort((x, y) => x - y).map((c) => [c, 'absent', 5_000_000]))
    // one contested unit a group (its hot unit): the first card took it, or the next when the first was absent
    expect(sum.total.contests).toEqual(
      Array.from({ length: 10 }, (_, i) => {
        const cardsOfGroup = Array.from({ length: 10 }, (_, k) => i * 10 + k + 1)
        const winner = cardsOfGroup.find((c) => !absent.has(c))!
        return { day: 1, group: i + 1, unitId: hot(i + 1), winnerCardNo: winner, rivalCardNos: cardsOfGroup.filter((c) => c !== winner), rule: winner === cardsOfGroup[0] ? 'earlier_card' : 'released' }
      }),
    )
    expect(sum.total.groups.map((g) => [g.group, g.picked, g.absent])).toEqual(Array.from({ length: 10 }, (_, i) => [i + 1, 10 - cardsAbsentIn(absent, i + 1), cardsAbsentIn(absent, i + 1)]))
    // each group's time exactly, from its call to its end: a countdown run out (15 minutes), the call
    // of the next group at once (0), group 6 across the restart (4 minutes); one group begins as the last ends
    expect(sum.total.groups.map((g) => g.ms)).toEqual([15, 0, 15, 0, 0, 4, 15, 0, 15, 0].map((m) => m * MINUTE))
    sum.total.groups.forEach((g, i, all) => {
      expect(g.calledAt).not.toBeNull()
      if (i > 0) expect(g.calledAt).toBe(all[i - 1]!.endedAt)
    })
    // finance pays the first absentee back: that card is 已退, the others stay forfeited until theirs
    const paid = todos[0]!
    await manager.call('finance.markDone', { id: paid.id, version: paid.version, reference: 'TK-0001' })
    const after = new Map((await manager.call('subscription.cards', { projectId })).cards.map((c) => [c.cardNo, c.status]))
    expect(after.get(Number(paid.note.params!.cardNo))).toBe('refunded')
    expect([...after.values()].filter((st) => st === 'refunded')).toHaveLength(1)
  }, 60_000)
})

describe('a drawn event', () => {
  it('publishes the commitment and the list first, reveals a seed that matches and an order anyone can recompute', async () => {
    const p = (await manager.call('projects.create', { name: '摇号苑' })).id
    await manager.call('units.import', { projectId: p, fileBase64: await unitSheetBase64([{ building: 'A座', floor: 1, number: '101', layout: '2室', area: 80, orientation: '南', listPrice: 1_000_000 }]) })
    const unitId = (await manager.call('board.get', { projectId: p })).units[0]!.id
    for (let c = 1; c <= 30; c++) await agent.call('subscription.issueCard', { projectId: p, clientId: clients[c % 10]!, deposit: 100_000, receiptNo: `DR${c}`, method: 'cash' })
    const e = await manager.call('subscription.createEvent', { projectId: p, name: '摇号日', days: ['2026-10-01'], unitIds: [unitId], orderBy: 'draw', groupSize: 5 })
    expect(e.status).toBe('setup')
    expect(await manager.try('subscription.callNext', { eventId: e.id })).toMatchObject({ ok: false, error: { reason: 'event_not_callable' } })
    const committed = await manager.call('subscription.commitDraw', { eventId: e.id, publicValue: '上证指数 2026-09-30 收盘 3261.51' })
    expect(committed.seed).toBeNull()
    expect((await door.call('subscription.lobby', { eventId: e.id })).event.draws[0]).toMatchObject({ commitment: committed.commitment, listHash: committed.listHash, seed: null })
    // a redraw is refused to everyone but the manager, and leaves a notice and an audit row
    expect(await deskA.try('subscription.redraw', { eventId: e.id, reason: '试试手气' })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
    const second = await manager.call('subscription.redraw', { eventId: e.id, reason: '公证员未到场，重新封存' })
    expect(second.commitment).not.toBe(committed.commitment)
    const lobby = await door.call('subscription.lobby', { eventId: e.id })
    expect(lobby.event.notices).toEqual([expect.objectContaining({ kind: 'redraw', text: '公证员未到场，重新封存' })])
    expect(lobby.event.draws.map((d) => d.void)).toEqual([true, false])
    // the voided draw's seed is open to check too
    expect(drawOrder(lobby.event.draws[0]!.seed!, [1]).commitment).toBe(committed.commitment)
    const audit = await manager.call('audit.list', { limit: 50 })
    expect(JSON.stringify(audit)).toContain('subscription.redraw')

    const revealed = await manager.call('subscription.revealDraw', { eventId: e.id })
    const draw = revealed.draws.find((d) => !d.void)!
    const cardsOnList = draw.list.split('\n').map(Number)
    const recomputed = drawOrder(draw.seed!, cardsOnList, draw.publicValue)
    expect(recomputed.commitment).toBe(second.commitment)
    expect(recomputed.listHash).toBe(second.listHash)
    const { queue } = await manager.call('subscription.event', { eventId: e.id })
    expect(queue.map((q) => q.cardNo)).toEqual(recomputed.order)
    expect(queue.map((q) => q.cardNo)).not.toEqual([...cardsOnList].sort((a, b) => a - b))
    expect(queue[5]).toMatchObject({ day: 1, group: 2 })
    // once revealed there is nothing to reveal again; once called, no redraw
    expect(await manager.try('subscription.revealDraw', { eventId: e.id })).toMatchObject({ ok: false, error: { reason: 'no_draw' } })
    await manager.call('subscription.callNext', { eventId: e.id })
    expect(await manager.try('subscription.redraw', { eventId: e.id, reason: '再来一次吧' })).toMatchObject({ ok: false, error: { reason: 'redraw_too_late' } })
    expect(await manager.call('system.ping', {})).toBeTruthy()
  })
})

describe('the day runs on the host clock', () => {
  it('closes groups whose time ran out and refunds their absentees on the scheduler pass, with nobody at the console', async () => {
    const p = (await manager.call('projects.create', { name: '无人值守苑' })).id
    await manager.call('units.import', { projectId: p, fileBase64: await unitSheetBase64([{ building: 'B座', floor: 2, number: '201', layout: '2室', area: 80, orientation: '南', listPrice: 1_000_000 }]) })
    const unitId = (await manager.call('board.get', { projectId: p })).units[0]!.id
    for (const n of [1, 2]) await agent.call('subscription.issueCard', { projectId: p, clientId: clients[n]!, deposit: 200_000, receiptNo: `AUTO${n}`, method: 'cash' })
    const e = await manager.call('subscription.createEvent', { projectId: p, name: '自动叫号', days: ['2026-10-02'], unitIds: [unitId], groupSize: 1 })
    await manager.call('subscription.callNext', { eventId: e.id })
    clock.advance(31 * MINUTE)
    const { jobId } = await manager.call('scheduler.run', {})
    await host.jobs.finished(jobId)
    const { event, queue } = await manager.call('subscription.event', { eventId: e.id })
    expect(event.status).toBe('closed')
    expect(queue.map((q) => q.state)).toEqual(['absent', 'absent'])
    const cards = (await manager.call('subscription.cards', { projectId: p })).cards
    expect(cards.map((c) => c.status)).toEqual(['forfeited', 'forfeited'])
    const todos = (await manager.call('finance.todos', { status: 'open' })).todos.filter((t) => t.amount === 200_000)
    expect(todos).toHaveLength(2)
  })
})
