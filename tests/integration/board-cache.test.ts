import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ApiClient } from '@shared/contract/client'
import { ManualClock } from '../../electron/host/clock'
import type { Host } from '../../electron/host/host'
import { adminClient, STAFF_PASSWORD, staffClient } from '../helpers/staff'
import { startTempHost } from '../helpers/temp-host'
import { unitSheetBase64, type UnitSheetRow } from '../helpers/unit-sheet'

// issue #15: every terminal asks for the same board; board.get keeps the rows it read (BoardCache)
// while the writer changes nothing a board shows (BoardWrites), and shapes them for each viewer
// and each call's time. These tests try to see a board that is out of date.

let host: Host & { cleanup(): Promise<void> }
const clock = new ManualClock(new Date('2026-11-25T02:00:00Z'))
let admin: ApiClient
let manager: ApiClient
let agentA: ApiClient
let agentB: ApiClient
let agentAId: number
let agentBId: number
let projectId: number
let clientA: number

beforeAll(async () => {
  host = await startTempHost({ clock })
  admin = await adminClient(host)
  manager = (await staffClient(host, admin, 'manager', 'cache-mgr')).client
  const a = await staffClient(host, admin, 'agent', 'cache-agent-a')
  const b = await staffClient(host, admin, 'agent', 'cache-agent-b')
  ;[agentA, agentAId, agentB, agentBId] = [a.client, a.staff.id, b.client, b.staff.id]
  projectId = (await manager.call('projects.create', { name: '缓存楼盘' })).id
  const rows: UnitSheetRow[] = []
  for (let floor = 1; floor <= 3; floor++) for (const n of ['01', '02']) rows.push({ building: '1号楼', floor, number: `${floor}${n}`, layout: '3室2厅', area: 98.5, orientation: '南北', listPrice: 5_000_000 })
  await manager.call('units.import', { projectId, fileBase64: await unitSheetBase64(rows) })
  clientA = (await agentA.call('clients.create', { kind: 'person', name: '买家甲', phones: [{ number: '13811112222' }], sourceChannel: 'walk_in' })).id
})
afterAll(() => host.cleanup())

/** How many messages the readers' workers are sent while `fn` runs. */
async function readerPosts<T>(fn: () => Promise<T>): Promise<{ out: T; posts: number }> {
  let posts = 0
  const undo: Array<() => void> = []
  for (const { worker } of host.pool.connections('reader')) {
    const post = worker.postMessage.bind(worker)
    worker.postMessage = (m: unknown) => {
      posts++
      post(m)
    }
    undo.push(() => (worker.postMessage = post))
  }
  try {
    return { out: await fn(), posts }
  } finally {
    for (const u of undo) u()
  }
}

const board = (c: ApiClient) => c.call('board.get', { projectId })
const unit = async (c: ApiClient, number: string) => (await board(c)).units.find((u) => u.number === number)!

describe('board.get keeps what it read until the writer changes what a board shows', () => {
  it('a board read again with nothing written between reaches no reader, and answers the same', async () => {
    const first = await board(manager)
    const again = await readerPosts(() => board(manager))
    expect(again.posts).toBe(0)
    expect({ ...again.out, generatedAt: '' }).toEqual({ ...first, generatedAt: '' })
    // another viewer is served from the same rows (its session read first: a session's first call reads it)
    await agentB.call('auth.whoami', {})
    expect((await readerPosts(() => board(agentB))).posts).toBe(0)
  })

  it("a follow-up (its client's dates) leaves the board kept", async () => {
    await board(manager)
    await agentA.call('followups.create', { clientId: clientA, channel: 'phone', content: '回访' })
    expect((await readerPosts(() => board(manager))).posts).toBe(0)
  })

  it('a reservation shows at once, to each viewer as that viewer may see it', async () => {
    await board(agentB)
    const target = await unit(manager, '201')
    await agentA.call('units.reserve', { unitId: target.id, clientId: clientA, deposit: 2_000_000, receiptNo: 'C-1', method: 'card' })
    const read = await readerPosts(() => unit(agentA, '201'))
    expect(read.posts).toBeGreaterThan(0)
    expect(read.out).toMatchObject({ status: 'small_deposit', tx: { clientName: '买家甲', yours: true } })
    // the other agent, from the rows just kept: the status and the agent, not the buyer
    const other = await readerPosts(() => unit(agentB, '201'))
    expect(other.posts).toBe(0)
    expect(other.out).toMatchObject({ status: 'small_deposit', tx: { clientName: null, yours: false } })
  })

  it("the buyer's new name and a new owner show at once", async () => {
    await board(agentA)
    const c = await agentA.call('clients.get', { id: clientA })
    await agentA.call('clients.update', { id: clientA, version: c.version, name: '买家乙' })
    expect((await unit(agentA, '201')).tx?.clientName).toBe('买家乙')
    // handed to agent B: B now sees the buyer (the owner decides it), A as the deal's agent no longer in full
    expect((await unit(agentB, '201')).tx?.clientName).toBeNull()
    await manager.call('clients.reassign', { clientIds: [clientA], toStaffId: agentBId, reason: '调整' })
    expect((await unit(agentB, '201')).tx?.clientName).toBe('买家乙')
  })

  it("the agent's new name, the colours and a raw write to a unit show at once", async () => {
    await board(manager)
    const me = await admin.call('staff.get', { id: agentAId })
    await admin.call('staff.update', { id: agentAId, version: me.version, name: '改名经纪' })
    expect((await unit(manager, '201')).tx?.agentName).toBe('改名经纪')

    const colours = await manager.call('board.getPalette', {})
    await manager.call('board.setPalette', { palette: { ...colours.palette, available: '#123456' } })
    expect((await board(manager)).palette.available).toBe('#123456')

    // a statement on the writer outside any method (a job's slice, a migration-like fix) counts too
    const u = await unit(manager, '302')
    await host.pool.writer.updateTable('units').set({ list_price: 4_000_000 }).where('id', '=', u.id).execute()
    expect((await unit(manager, '302')).listPrice).toBe(4_000_000)
    // rolled back: counted all the same (a board read again, the same as before)
    await host.pool.writer
      .transaction()
      .execute(async (trx) => {
        await trx.updateTable('units').set({ list_price: 1 }).where('id', '=', u.id).execute()
        throw new Error('roll back')
      })
      .catch(() => undefined)
    const after = await readerPosts(() => unit(manager, '302'))
    expect(after.posts).toBeGreaterThan(0)
    expect(after.out.listPrice).toBe(4_000_000)
  })

  it('a 小订 that runs out shows as available without any write: each call shapes the rows at its own time', async () => {
    expect(await unit(manager, '201')).toMatchObject({ status: 'small_deposit' })
    clock.advance(49 * 3_600_000)
    // (sessions last 12 h: a new one; signing in changes nothing a board shows)
    const later = host.client()
    await later.call('auth.login', { username: 'cache-mgr', password: STAFF_PASSWORD })
    await later.call('auth.whoami', {})
    const read = await readerPosts(() => unit(later, '201'))
    expect(read.posts).toBe(0)
    expect(read.out).toMatchObject({ status: 'available', tx: null })
  })
})
