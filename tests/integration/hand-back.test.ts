import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ApiClient } from '@shared/contract/client'
import type { Host } from '../../electron/host/host'
import { adminClient, staffClient } from '../helpers/staff'
import { startTempHost } from '../helpers/temp-host'

// Hand-back and reassign (issue 16 item 2): an agent at the client cap hands clients back to the
// pool, one or several at once, with a reason; a manager reassigns; the host's rules hold.
let host: Host & { cleanup(): Promise<void> }
let admin: ApiClient
let manager: ApiClient
let agent: ApiClient
let colleague: ApiClient
let desk: ApiClient
const ids = { agent: 0, colleague: 0 }
let serial = 0

const CAP = 3
const create = (c: ApiClient, name: string) =>
  c.try('clients.create', { kind: 'person', name, phones: [{ number: `1370000${String(++serial).padStart(4, '0')}` }], sourceChannel: 'walk_in' })
const ownerOf = (id: number) => host.database.sqlite.prepare('SELECT owner_id FROM clients WHERE id = ?').pluck().get(id) as number | null

beforeAll(async () => {
  host = await startTempHost()
  admin = await adminClient(host)
  manager = (await staffClient(host, admin, 'manager', 'mgr')).client
  const a = await staffClient(host, admin, 'agent', 'capped')
  agent = a.client
  ids.agent = a.staff.id
  const b = await staffClient(host, admin, 'agent', 'colleague')
  colleague = b.client
  ids.colleague = b.staff.id
  desk = (await staffClient(host, admin, 'front_desk', 'desk')).client
  await manager.call('settings.setRules', { ownerCap: CAP })
})
afterAll(() => host.cleanup())

describe('hand-back: an agent at the cap', () => {
  const mine: number[] = []

  it('is stuck at the cap until they hand clients back; several at once, all with one reason kept in each log', async () => {
    for (const n of ['满额一', '满额二', '满额三']) {
      const r = await create(agent, n)
      if (!r.ok) throw new Error(r.error.message)
      mine.push(r.value.id)
    }
    expect(await create(agent, '满额四')).toMatchObject({ ok: false, error: { code: 'LIMIT_REACHED', reason: 'owner_cap', params: { cap: CAP } } })
    expect(await agent.call('pool.releaseMany', { clientIds: [mine[0]!, mine[1]!], reason: '客户已在别处成交' })).toEqual({ released: 2 })
    expect(ownerOf(mine[0]!)).toBeNull()
    expect(ownerOf(mine[1]!)).toBeNull()
    const log = (await manager.call('followups.list', { clientId: mine[0]! })).rows
    expect(log[0]).toMatchObject({ channel: 'note', content: '客户已在别处成交', text: { key: 'followup.released' } })
    expect((await manager.call('pool.list', {})).rows.map((r) => r.id)).toEqual(expect.arrayContaining([mine[0]!, mine[1]!]))
    expect(await create(agent, '满额四')).toMatchObject({ ok: true })
    const audited = host.database.sqlite.prepare(`SELECT target FROM audit_log WHERE action = 'pool.releaseMany'`).pluck().get() as string
    expect(audited).toBe(`client:${mine[0]},client:${mine[1]}`)
  })

  it('hands one back from the profile with a reason; a reason too short is refused on its field and nothing moves', async () => {
    expect(await agent.try('pool.release', { clientId: mine[2]!, reason: '走' })).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'reason' } })
    expect(ownerOf(mine[2]!)).toBe(ids.agent)
    await agent.call('pool.release', { clientId: mine[2]!, reason: '客户要求换经纪人' })
    expect(ownerOf(mine[2]!)).toBeNull()
  })

  it('a bulk hand-back with one client no longer theirs is refused, names it, and releases none', async () => {
    const own = await create(agent, '仍在名下')
    const theirs = await create(colleague, '同事的')
    if (!own.ok || !theirs.ok) throw new Error('setup')
    const r = await agent.try('pool.releaseMany', { clientIds: [own.value.id, theirs.value.id], reason: '批量退回' })
    expect(r).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', field: 'clientIds.1', reason: 'not_owner' } })
    expect(ownerOf(own.value.id)).toBe(ids.agent)
    expect(ownerOf(theirs.value.id)).toBe(ids.colleague)
    // the same client twice counts once
    expect(await agent.call('pool.releaseMany', { clientIds: [own.value.id, own.value.id], reason: '批量退回' })).toEqual({ released: 1 })
    expect(await agent.call('system.ping', {})).toMatchObject({ pong: true })
  })
})

describe('reassign and assign: the manager', () => {
  it('moves clients to an agent with a reason; a client whose owner changed meanwhile is refused as stale and nothing moves', async () => {
    const a = await create(colleague, '转移一')
    const b = await create(colleague, '转移二')
    if (!a.ok || !b.ok) throw new Error('setup')
    await manager.call('settings.setRules', { ownerCap: 100 })
    // the screen showed the colleague owning both; the second moved (to the pool) meanwhile
    await colleague.call('pool.release', { clientId: b.value.id, reason: '客户不再需要' })
    const stale = await manager.try('clients.reassign', { clientIds: [a.value.id, b.value.id], toStaffId: ids.agent, reason: '调整分工', expectOwnerIds: [ids.colleague, ids.colleague] })
    expect(stale).toMatchObject({ ok: false, error: { code: 'STALE_WRITE', field: 'clientIds.1', reason: 'owner_changed', params: { client: '转移二' } } })
    expect(ownerOf(a.value.id)).toBe(ids.colleague)
    expect(await manager.call('clients.reassign', { clientIds: [a.value.id, b.value.id], toStaffId: ids.agent, reason: '调整分工', expectOwnerIds: [ids.colleague, null] })).toEqual({ moved: 2 })
    expect(ownerOf(a.value.id)).toBe(ids.agent)
    expect(ownerOf(b.value.id)).toBe(ids.agent)
    expect(await manager.try('clients.reassign', { clientIds: [a.value.id], toStaffId: ids.colleague, reason: '调整分工', expectOwnerIds: [] })).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'expectOwnerIds' } })
  })

  it('keeps the caps: a reassign or an assign past the target agent’s cap is refused naming the cap', async () => {
    const owned = host.database.sqlite.prepare('SELECT count(*) FROM clients WHERE owner_id = ?').pluck().get(ids.agent) as number
    await manager.call('settings.setRules', { ownerCap: owned })
    const p = await create(colleague, '池中客')
    if (!p.ok) throw new Error('setup')
    await colleague.call('pool.release', { clientId: p.value.id, reason: '退回公客池' })
    expect(await manager.try('clients.assign', { clientId: p.value.id, staffId: ids.agent, reason: '分配' })).toMatchObject({ ok: false, error: { code: 'LIMIT_REACHED', field: 'staffId', reason: 'owner_cap' } })
    expect(await manager.try('clients.reassign', { clientIds: [p.value.id], toStaffId: ids.agent, reason: '调整分工' })).toMatchObject({ ok: false, error: { code: 'LIMIT_REACHED', field: 'toStaffId', reason: 'owner_cap' } })
    expect(ownerOf(p.value.id)).toBeNull()
    await manager.call('settings.setRules', { ownerCap: 100 })
    expect(await manager.call('clients.assign', { clientId: p.value.id, staffId: ids.colleague, reason: '熟悉该小区' })).toMatchObject({ owner: { id: ids.colleague } })
    expect(await manager.try('clients.assign', { clientId: p.value.id, staffId: ids.agent, reason: '分配' })).toMatchObject({ ok: false, error: { code: 'CONFLICT', reason: 'already_owned' } })
  })

  it('keeps the roles: agents do not reassign, the desk does not pick the agent, nobody hands back a colleague’s client', async () => {
    const c = await create(colleague, '角色边界')
    if (!c.ok) throw new Error('setup')
    expect(await agent.try('clients.reassign', { clientIds: [c.value.id], toStaffId: ids.agent, reason: '我来跟' })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
    expect(await agent.try('pool.release', { clientId: c.value.id, reason: '替同事退回' })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', reason: 'not_owner' } })
    expect(await manager.try('pool.releaseMany', { clientIds: [c.value.id], reason: '店长退回' })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
    await colleague.call('pool.release', { clientId: c.value.id, reason: '退回公客池' })
    expect(await desk.try('clients.assign', { clientId: c.value.id, staffId: ids.agent, reason: '前台指定' })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', field: 'staffId' } })
    expect(ownerOf(c.value.id)).toBeNull()
    expect(await manager.call('system.ping', {})).toMatchObject({ pong: true })
  })
})
