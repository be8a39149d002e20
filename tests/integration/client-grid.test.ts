import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ManualClock } from '../../electron/host/clock'
import { generateClients } from '../../electron/host/demo/generate-clients'
import type { Host } from '../../electron/host/host'
import type { ApiClient } from '@shared/contract/client'
import type { InputOf } from '@shared/contract'
import { adminClient, staffClient } from '../helpers/staff'
import { startTempHost } from '../helpers/temp-host'

// Issue #15 item 5: the grid's own plans (grid indexes, the owner sort owner by owner) give the
// page plain SQL gives, for every sort and the filters people use; large totals are a recent count.
let host: Host & { cleanup(): Promise<void> }
let clock: ManualClock
let manager: ApiClient
let agent: ApiClient
let agentId: number
const NOW = new Date('2026-11-25T02:00:00Z')
const CLIENTS = 1500

beforeAll(async () => {
  clock = new ManualClock(NOW)
  host = await startTempHost({ clock })
  const admin = await adminClient(host)
  const ownerIds: number[] = []
  // owners with names out of id order, two of them with the same name (ordered by owner id)
  for (const name of ['王五', '李四', '张三', '李四', '赵六']) {
    const s = await staffClient(host, admin, 'agent')
    await admin.call('staff.update', { id: s.staff.id, version: s.staff.version, name })
    ownerIds.push(s.staff.id)
    if (ownerIds.length === 2) [agent, agentId] = [s.client, s.staff.id]
  }
  manager = (await staffClient(host, admin, 'manager')).client
  // about one in seven left in the public pool (no owner)
  generateClients(host.database.sqlite, { clients: CLIENTS, ownerIds, now: NOW })
  host.database.sqlite.exec('ANALYZE')
})
afterAll(() => host.cleanup())

type ListInput = InputOf<'clients.list'>

const ORDER: Record<string, string> = {
  code: 'c.code',
  name: 'c.name',
  tier: 'c.tier',
  stage: 'c.stage',
  owner: 'o.name, c.owner_id',
  region: 'c.region, c.community',
  sourceChannel: 'c.source_channel',
  lastFollowUpAt: 'c.last_follow_up_at',
  completeness: 'c.completeness',
  createdAt: 'c.created_at',
}

/** The page and the count as plain SQL would give them (no index named, the owner joined). */
function reference(where: string, params: unknown[], field: string, dir: 'asc' | 'desc', offset: number, limit: number) {
  const order = ORDER[field]!.split(', ').map((col) => `${col} ${dir}`).join(', ')
  const sql = `FROM clients c LEFT JOIN staff o ON o.id = c.owner_id WHERE c.merged_into IS NULL ${where}`
  const db = host.database.sqlite
  return {
    ids: db.prepare(`SELECT c.id ${sql} ORDER BY ${order}, c.id ${dir} LIMIT ? OFFSET ?`).pluck().all(...params, limit, offset) as number[],
    total: db.prepare(`SELECT count(*) ${sql}`).pluck().get(...params) as number,
  }
}

const FILTERS: Array<[string, ListInput['filter'] & object, string, unknown[], 'manager' | 'agent', ListInput['view']]> = [
  ['none', {}, '', [], 'manager', 'all'],
  ['region + tier', { region: '浦东', tier: ['key', 'vip'] }, `AND c.region = ? AND c.tier IN ('key', 'vip')`, ['浦东'], 'manager', 'all'],
  ['stage', { stage: ['negotiating'] }, `AND c.stage = 'negotiating'`, [], 'manager', 'all'],
  ['demand + not blacklisted', { demandType: ['invest'], blacklisted: false }, `AND c.demand_type = 'invest' AND c.blacklisted = 0`, [], 'manager', 'all'],
  ['followed up before', { lastFollowUpBefore: '2026-10-01T00:00:00.000Z' }, 'AND c.last_follow_up_at < ?', ['2026-10-01T00:00:00.000Z'], 'manager', 'all'],
  ['unowned', { unowned: true }, 'AND c.owner_id IS NULL', [], 'manager', 'all'],
  ['mine', {}, 'AND c.owner_id = ?', [], 'agent', 'mine'],
]

describe('clients.list pages', () => {
  it.each(FILTERS)('filter %s: every sort, both ways, gives the page and total plain SQL gives', async (_label, filter, where, params, as, view) => {
    const who = as === 'agent' ? agent : manager
    const bound = as === 'agent' ? [...params, agentId] : params
    for (const field of Object.keys(ORDER)) {
      for (const dir of ['asc', 'desc'] as const) {
        // past 1,000 the owner sort counts all owners in one walk, not owner by owner
        for (const offset of [0, 130, 1100]) {
          const page = await who.call('clients.list', { filter, view, sort: { field: field as 'code', dir }, offset, limit: 100, exactTotal: true })
          const want = reference(where, bound, field, dir, offset, 100)
          expect(page.rows.map((r) => r.id), `${field} ${dir} ${offset}`).toEqual(want.ids)
          expect([page.total, page.totalExact], `${field} ${dir}`).toEqual([want.total, true])
        }
      }
    }
  })

  it('a large total is counted once a minute and said to be about; asked for, it is counted now', async () => {
    const live = () => host.database.sqlite.prepare('SELECT count(*) FROM clients WHERE merged_into IS NULL').pluck().get() as number
    const n = live()
    expect(n).toBeGreaterThan(1000)
    // past the counts the page checks above left
    clock.advance(61_000)
    const first = await manager.call('clients.list', { limit: 50 })
    expect([first.total, first.totalExact]).toEqual([n, true])
    const again = await manager.call('clients.list', { limit: 50, offset: 50 })
    expect([again.total, again.totalExact]).toEqual([n, false])
    await manager.call('clients.create', { kind: 'person', name: '新客户', phones: [{ number: '13955550001' }], sourceChannel: 'walk_in' })
    // within the minute: the count stands, said to be about
    expect(await manager.call('clients.list', { limit: 50 })).toMatchObject({ total: n, totalExact: false })
    // asked for: counted now
    expect(await manager.call('clients.list', { limit: 50, exactTotal: true })).toMatchObject({ total: n + 1, totalExact: true })
    clock.advance(61_000)
    await manager.call('clients.create', { kind: 'person', name: '又一位', phones: [{ number: '13955550002' }], sourceChannel: 'walk_in' })
    expect(await manager.call('clients.list', { limit: 50 })).toMatchObject({ total: n + 2, totalExact: true })
    // a filter holding few clients is always counted exactly, and a short page tells its own total
    const few = await manager.call('clients.list', { filter: { stage: ['negotiating'] }, limit: 10 })
    expect(few.totalExact).toBe(true)
    const all = await manager.call('clients.list', { filter: { stage: ['negotiating'] }, limit: 500 })
    expect([all.total, all.totalExact]).toEqual([few.total, true])
    expect(all.rows).toHaveLength(few.total)
    // another viewer's "mine" is another count
    const mine = await agent.call('clients.list', { view: 'mine', limit: 10 })
    expect(mine.total).toBe(host.database.sqlite.prepare('SELECT count(*) FROM clients WHERE owner_id = ? AND merged_into IS NULL').pluck().get(agentId))
  })

  it('owner sort: a client that changes owner between two pages; the next page is the one plain SQL gives then', async () => {
    const db = host.database.sqlite
    /** The whole list in the owner sort's order, as plain SQL gives it now. */
    const order = () =>
      db.prepare('SELECT c.id, c.owner_id FROM clients c LEFT JOIN staff o ON o.id = c.owner_id WHERE c.merged_into IS NULL ORDER BY o.name, c.owner_id, c.id').all() as Array<{ id: number; owner_id: number | null }>
    const sort = { field: 'owner', dir: 'asc' } as const
    clock.advance(61_000)
    const was = order()
    expect(was.length).toBeGreaterThan(1000)
    // the first owned client in that order: the first page of the first owner's clients starts there
    const start = was.findIndex((r) => r.owner_id !== null)
    const moved = was[start]!
    // a new agent, sorted after every other owner (钱 after 赵 in UTF-8), holding no client yet
    const admin = await adminClient(host)
    const newcomer = await staffClient(host, admin, 'agent')
    await admin.call('staff.update', { id: newcomer.staff.id, version: newcomer.staff.version, name: '钱七' })
    const to = newcomer.staff.id
    const first = await manager.call('clients.list', { sort, offset: start, limit: 100 })
    expect(first.rows.map((r) => r.id)).toEqual(was.slice(start, start + 100).map((r) => r.id))
    expect([first.total, first.totalExact]).toEqual([was.length, true])

    // between the two pages the manager moves that client to the owner sorted last: the first
    // owner now holds one client fewer, the last one its first
    expect(await manager.call('clients.reassign', { clientIds: [moved.id], toStaffId: to, reason: '调整分工' })).toEqual({ moved: 1 })
    const now = order()
    const second = await manager.call('clients.list', { sort, offset: start + 100, limit: 100 })
    expect(second.rows.map((r) => r.id)).toEqual(now.slice(start + 100, start + 200).map((r) => r.id))
    expect(second.rows.map((r) => r.id)).toEqual(reference('', [], 'owner', 'asc', start + 100, 100).ids)
    // what the user sees: every later client moved up one place, so the one that would have
    // opened the second page is now the last of the first, already loaded without it: it is not
    // shown until the grid reloads (as in any sort when a client before the page leaves it); the
    // moved client shows under its new owner at the end. The total is the count of the last
    // minute, said to be about (a move leaves it unchanged).
    expect(second.rows[0]!.id).toBe(was[start + 101]!.id)
    expect([...first.rows, ...second.rows].map((r) => r.id)).not.toContain(was[start + 100]!.id)
    expect(now[now.length - 1]).toEqual({ id: moved.id, owner_id: to })
    expect([second.total, second.totalExact]).toEqual([was.length, false])
    // the last page, descending and as an agent: all still as plain SQL gives them
    const last = await manager.call('clients.list', { sort, offset: now.length - 50, limit: 100 })
    expect(last.rows.map((r) => r.id)).toEqual(now.slice(-50).map((r) => r.id))
    expect([last.total, last.totalExact]).toEqual([now.length, true])
    const desc = await agent.call('clients.list', { sort: { field: 'owner', dir: 'desc' }, offset: 150, limit: 100 })
    expect(desc.rows.map((r) => r.id)).toEqual(reference('', [], 'owner', 'desc', 150, 100).ids)
  })

  it('owner sort of a search: the clients the search finds, in owner order', async () => {
    const db = host.database.sqlite
    const surname = (db.prepare('SELECT name FROM clients WHERE merged_into IS NULL ORDER BY id LIMIT 1').pluck().get() as string).slice(0, 1)
    const found = await manager.call('clients.list', { filter: { search: surname }, sort: { field: 'code', dir: 'asc' }, limit: 500, exactTotal: true })
    expect(found.total).toBeGreaterThan(1)
    expect(found.total).toBeLessThan(500)
    const ids = found.rows.map((r) => r.id)
    for (const dir of ['asc', 'desc'] as const) {
      const want = db
        .prepare(`SELECT c.id FROM clients c LEFT JOIN staff o ON o.id = c.owner_id WHERE c.id IN (SELECT value FROM json_each(?)) ORDER BY o.name ${dir}, c.owner_id ${dir}, c.id ${dir}`)
        .pluck()
        .all(JSON.stringify(ids)) as number[]
      for (const offset of [0, 7]) {
        const page = await manager.call('clients.list', { filter: { search: surname }, sort: { field: 'owner', dir }, offset, limit: 20 })
        expect(page.rows.map((r) => r.id), `${dir} ${offset}`).toEqual(want.slice(offset, offset + 20))
        expect([page.total, page.totalExact]).toEqual([found.total, true])
      }
    }
  })
})
