import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ManualClock } from '../../electron/host/clock'
import { TableWrites } from '../../electron/host/db/sign-in-writes'
import type { Host } from '../../electron/host/host'
import type { ApiClient } from '@shared/contract/client'
import { adminClient, staffClient } from '../helpers/staff'
import { startTempHost } from '../helpers/temp-host'

let host: Host & { cleanup(): Promise<void> }
let admin: ApiClient
let manager: ApiClient
let agentA: ApiClient
let agentB: ApiClient
let senior: ApiClient
let desk: ApiClient
let agentAId: number

beforeAll(async () => {
  host = await startTempHost()
  admin = await adminClient(host)
  manager = (await staffClient(host, admin, 'manager', 'mgr')).client
  const a = await staffClient(host, admin, 'agent', 'agent-a')
  agentA = a.client
  agentAId = a.staff.id
  await admin.call('staff.update', { id: a.staff.id, version: a.staff.version, team: '一组' })
  agentB = (await staffClient(host, admin, 'agent', 'agent-b')).client
  const s = await staffClient(host, admin, 'senior_agent', 'senior-1')
  await admin.call('staff.update', { id: s.staff.id, version: s.staff.version, team: '一组' })
  senior = host.client()
  await senior.call('auth.login', { username: 'senior-1', password: 'staff-pass-123' })
  desk = (await staffClient(host, admin, 'front_desk', 'desk-1')).client
})
afterAll(() => host.cleanup())

const person = (name: string, phone: string, extra: Record<string, unknown> = {}) => ({
  kind: 'person' as const,
  name,
  phones: [{ number: phone }],
  sourceChannel: 'phone' as const,
  ...extra,
})

describe('clients: create and duplicate protection (防撞单)', () => {
  it('an agent records a client they then own, with a code and protection', async () => {
    const c = await agentA.call('clients.create', person('张伟', '138 1234 5678', { region: '浦东', community: '世纪公园', tier: 'key' }))
    expect(c.code).toMatch(/^KY\d{6}$/)
    expect(c.owner?.id).toBe(agentAId)
    expect(c.phones[0]).toMatchObject({ display: '13812345678', masked: false })
    const now = (host.clock as ManualClock).now().getTime()
    expect(new Date(c.protectedUntil!).getTime() - now).toBe(15 * 86_400_000)
    expect(c.completeness).toBeGreaterThan(0)
    expect(c.completeness).toBeLessThan(100)
    expect(c.missingFields).toContain('needs')
  })

  it('a known phone in any format is refused with the existing client and its owner', async () => {
    const r = await agentB.try('clients.create', person('张伟伟', '+86 138-1234-5678'))
    expect(r).toMatchObject({
      ok: false,
      error: { code: 'DUPLICATE', field: 'phones.0.number', params: { name: '张伟', ownerName: '测试agent' } },
    })
    const check = await agentB.call('clients.checkDuplicate', { phones: ['１３８１２３４５６７８', 'abc'] })
    expect(check.invalidPhones).toEqual([1])
    expect(check.matches).toEqual([
      expect.objectContaining({ name: '张伟', matchedOn: 'phone', phoneIndex: 0, isMine: false, owner: expect.objectContaining({ id: agentAId }) }),
    ])
    expect(check.matches[0]!.protectedUntil).not.toBeNull()
  })

  it('an org name is unique whatever the spacing or legal suffix', async () => {
    await agentA.call('clients.create', { kind: 'org', name: '上海浦东置业有限公司', phones: [{ number: '021-62345678' }], sourceChannel: 'referral' })
    const r = await agentB.try('clients.create', { kind: 'org', name: '上海 浦东置业', phones: [{ number: '021-62345679' }], sourceChannel: 'referral' })
    expect(r).toMatchObject({ ok: false, error: { code: 'DUPLICATE', field: 'name' } })
  })

  it('bad input names the field and saves nothing', async () => {
    const before = host.database.sqlite.prepare('SELECT count(*) FROM clients').pluck().get()
    const cases: Array<[Record<string, unknown>, string, string]> = [
      [person('李四', '12345678901'), 'phones.0.number', 'phone_invalid'],
      [person('李四', '13912345678abc'), 'phones.0.number', 'phone_chars'],
      [{ ...person('李四', '13912345678'), phones: [{ number: '13912345678' }, { number: '139 1234 5678' }] }, 'phones.1.number', 'phone_repeated'],
      [person('李四', '13912345678', { age: 150 }), 'age', 'too_big'],
      [person('李四', '13912345678', { tier: 'gold' }), 'tier', 'invalid_value'],
      [person('李四', '13912345678', { blacklisted: true }), 'blacklistReason', 'blacklist_reason'],
      [person('李四', '13912345678', { email: 'not-an-email' }), 'email', 'invalid_format'],
    ]
    for (const [input, field, reason] of cases) {
      expect(await agentA.try('clients.create', input as never), field).toMatchObject({ ok: false, error: { code: 'VALIDATION', field, reason } })
    }
    expect(host.database.sqlite.prepare('SELECT count(*) FROM clients').pluck().get()).toBe(before)
  })

  it('the front desk records walk-ins without an owner and may not pick one', async () => {
    const c = await desk.call('clients.create', person('王芳', '13700001111', { sourceChannel: 'walk_in' }))
    expect(c.owner).toBeNull()
    expect(c.protectedUntil).toBeNull()
    expect(await desk.try('clients.create', person('王五', '13700001112', { ownerId: agentAId }))).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', field: 'ownerId' } })
  })
})

describe('clients: privacy and access', () => {
  it('masks phones for everyone but the owner; basic access hides the profile, address included (as usage.md says)', async () => {
    const hit = (await agentB.call('clients.search', { q: '张伟' })).hits[0]!
    const mine = await agentA.call('clients.get', { id: hit.id })
    await agentA.call('clients.update', { id: hit.id, version: mine.version, address: '浦东新区花木路8号' })
    expect(hit.phone).toBe('138****5678')
    const seenByB = await agentB.call('clients.get', { id: hit.id })
    expect(seenByB.access).toBe('basic')
    expect(seenByB.region).toBe('浦东')
    expect(seenByB.phones[0]).toMatchObject({ display: '138****5678', masked: true })
    expect(seenByB.address).toBeNull()
    const seenBySenior = await senior.call('clients.get', { id: hit.id })
    expect(seenBySenior.access).toBe('full')
    expect(seenBySenior.phones[0]!.masked).toBe(true)
    expect(seenBySenior.address).toBe('浦东新区花木路8号')
    const seenByDesk = await desk.call('clients.get', { id: hit.id })
    expect(seenByDesk).toMatchObject({ access: 'basic', address: null })
    expect(await manager.call('clients.get', { id: hit.id })).toMatchObject({ access: 'full', address: '浦东新区花木路8号' })
  })

  it('revealing numbers is an audited action with a reason, refused to those without access', async () => {
    const id = (await manager.call('clients.search', { q: '张伟' })).hits[0]!.id
    expect(await agentB.try('clients.revealPhones', { id, reason: '核对' })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
    expect(await desk.try('clients.revealPhones', { id, reason: '核对' })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
    expect(await manager.try('clients.revealPhones', { id, reason: '' })).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'reason' } })
    const r = await manager.call('clients.revealPhones', { id, reason: '客户投诉回访' })
    expect(r.phones[0]!.display).toBe('13812345678')
    const row = host.database.sqlite.prepare(`SELECT detail FROM audit_log WHERE action = 'clients.revealPhones'`).pluck().get()
    expect(row).toBe(JSON.stringify({ reason: '客户投诉回访' }))
  })

  it('admin reads of client data are logged', async () => {
    const id = (await manager.call('clients.search', { q: '张伟' })).hits[0]!.id
    await admin.call('clients.get', { id })
    expect(host.database.sqlite.prepare(`SELECT count(*) FROM audit_log WHERE action = 'clients.get'`).pluck().get()).toBe(1)
  })

  it('a non-owner can only ask to collaborate', async () => {
    const id = (await agentB.call('clients.search', { q: '张伟' })).hits[0]!.id
    const p = await agentB.call('clients.get', { id })
    expect(await agentB.try('clients.update', { id, version: p.version, tier: 'vip' })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
    expect(await agentB.call('clients.requestCollaboration', { clientId: id, note: '客户也联系了我' })).toMatchObject({ status: 'open' })
    expect(await agentB.try('clients.requestCollaboration', { clientId: id, note: '再问一次' })).toMatchObject({ ok: false, error: { code: 'CONFLICT' } })
  })
})

describe('clients: edits', () => {
  it('refuses a stale write and says what changed and who changed it', async () => {
    const id = (await agentA.call('clients.search', { q: '张伟' })).hits[0]!.id
    const read = await agentA.call('clients.get', { id })
    await manager.call('clients.update', { id, version: read.version, tier: 'vip', address: '浦东新区世纪大道1号' })
    const stale = await agentA.try('clients.update', { id, version: read.version, stage: 'intent' })
    expect(stale).toMatchObject({ ok: false, error: { code: 'STALE_WRITE', field: 'version', params: { by: '测试manager' } } })
    if (!stale.ok) expect(String(stale.error.params?.changed).split(',').sort()).toEqual(['address', 'tier'])
    const fresh = await agentA.call('clients.get', { id })
    expect(fresh).toMatchObject({ tier: 'vip', stage: 'potential', address: '浦东新区世纪大道1号' })
  })

  it('a follow-up writes no search terms (name, phones, code and cards unchanged); a new phone replaces them; history keeps the stored record', async () => {
    const c = await agentA.call('clients.create', person('黄蓉', '13722223333'))
    // the SQL the writer runs that may write, as its connection counts it for the caches (its own
    // statements, and those a writer procedure ran in its thread: followups.create is one)
    const [writer] = host.pool.connections('writer')
    const sent: string[] = []
    const counts = writer!.writeCounts
    writer!.writeCounts = [...counts, new TableWrites((sql) => sent.push(sql) < 0)]
    try {
      await agentA.call('followups.create', { clientId: c.id, channel: 'phone', content: '回访' })
      expect(sent.some((q) => /^insert into "follow_ups"/.test(q))).toBe(true)
      expect(sent.filter((q) => /^(delete from|insert into) "search_terms"/.test(q))).toEqual([])
      const got = await agentA.call('clients.get', { id: c.id })
      sent.length = 0
      await agentA.call('clients.update', { id: c.id, version: got.version, phones: [{ number: '13722224444' }] })
      expect(sent.filter((q) => /^(delete from|insert into) "search_terms"/.test(q))).toHaveLength(2)
    } finally {
      writer!.writeCounts = counts
    }
    expect((await agentA.call('clients.search', { q: '13722224444' })).hits.map((h) => h.id)).toEqual([c.id])
    expect((await agentA.call('clients.search', { q: '13722223333' })).hits).toEqual([])
    // the version the follow-up made is saved as the client was stored after it
    const history = host.database.sqlite.prepare('SELECT version, data FROM client_versions WHERE client_id = ? ORDER BY version').all(c.id) as Array<{ version: number; data: string }>
    const afterFollowUp = JSON.parse(history[history.length - 2]!.data) as Record<string, unknown>
    expect(afterFollowUp).toMatchObject({ id: c.id, version: history[history.length - 2]!.version, phones: ['+8613722223333'] })
    expect(afterFollowUp.last_follow_up_at).not.toBeNull()
    expect(afterFollowUp).not.toHaveProperty('needCount')
  })

  it('an edit changes only the fields it names', async () => {
    const c = await agentA.call('clients.create', person('郭靖', '13711112222', { tier: 'vip', stage: 'intent', entrustedOther: true, entrustedAgencies: '链家' }))
    const edited = await agentA.call('clients.update', { id: c.id, version: c.version, address: '桃花岛1号' })
    expect(edited).toMatchObject({ tier: 'vip', stage: 'intent', entrustedOther: true, blacklisted: false, address: '桃花岛1号' })
  })

  it('blacklisting needs a reason and only a manager lifts it', async () => {
    const id = (await agentA.call('clients.search', { q: '张伟' })).hits[0]!.id
    let p = await agentA.call('clients.get', { id })
    expect(await agentA.try('clients.update', { id, version: p.version, blacklisted: true })).toMatchObject({ ok: false, error: { field: 'blacklistReason' } })
    p = await agentA.call('clients.update', { id, version: p.version, blacklisted: true, blacklistReason: '拖欠佣金' })
    expect(p).toMatchObject({ blacklisted: true, blacklistReason: '拖欠佣金' })
    const hit = (await desk.call('clients.search', { q: '13812345678' })).hits[0]!
    expect(hit).toMatchObject({ blacklisted: true, blacklistReason: '拖欠佣金' })
    expect(await agentA.try('clients.update', { id, version: p.version, blacklisted: false })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
    p = await manager.call('clients.update', { id, version: p.version, blacklisted: false })
    expect(p).toMatchObject({ blacklisted: false, blacklistReason: null })
  })
})

describe('needs', () => {
  it('keeps several per client, refuses min > max, keeps edit history and raises completeness', async () => {
    const id = (await agentA.call('clients.search', { q: '张伟' })).hits[0]!.id
    const before = (await agentA.call('clients.get', { id })).completeness
    const bad = await agentA.try('needs.create', { clientId: id, kind: 'residential', areaMin: 12000, areaMax: 9000 })
    expect(bad).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'areaMax', reason: 'range' } })
    const n = await agentA.call('needs.create', { clientId: id, kind: 'residential', regions: ['浦东'], areaMin: 9000, areaMax: 12000, totalPriceMax: 800_0000_00, amenities: { school: true, metro: true } })
    await agentA.call('needs.create', { clientId: id, kind: 'commercial', propertyType: 'shop', areaMin: 5000 })
    expect((await agentA.call('clients.get', { id })).completeness).toBeGreaterThan(before)
    const stale = await agentA.try('needs.update', { id: n.id, version: n.version, areaMax: 8000 })
    expect(stale).toMatchObject({ ok: false, error: { field: 'areaMax', reason: 'range' } })
    const edited = await agentA.call('needs.update', { id: n.id, version: n.version, totalPriceMax: 900_0000_00 })
    expect(edited).toMatchObject({ regions: ['浦东'], amenities: { school: true, metro: true } })
    expect(edited.version).toBe(n.version + 1)
    const h = await agentA.call('needs.history', { id: n.id })
    expect(h.versions.map((v) => v.data.totalPriceMax)).toEqual([900_0000_00, 800_0000_00])
    expect((await agentA.call('needs.list', { clientId: id })).needs).toHaveLength(2)
    expect(await agentB.try('needs.list', { clientId: id })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
  })
})

describe('merge', () => {
  it('a manager merges two records keeping phones, needs and filling gaps; audited; the merged one leaves search', async () => {
    const a = await agentA.call('clients.create', person('刘洋', '13600000001', { region: '徐汇' }))
    const b = await agentA.call('clients.create', person('刘洋洋', '13600000002', { address: '徐汇区漕溪路8号', age: 35 }))
    await agentA.call('needs.create', { clientId: b.id, kind: 'residential', areaMin: 8000 })
    expect(await agentA.try('clients.merge', { keepId: a.id, mergeId: b.id, reason: '同一人' })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
    const merged = await manager.call('clients.merge', { keepId: a.id, mergeId: b.id, reason: '同一人两条记录' })
    expect(merged.phones.map((p) => p.display).sort()).toEqual(['136****0001', '136****0002'])
    expect(merged).toMatchObject({ region: '徐汇', address: '徐汇区漕溪路8号', age: 35 })
    expect((await manager.call('needs.list', { clientId: a.id })).needs).toHaveLength(1)
    expect((await manager.call('clients.search', { q: '13600000002' })).hits.map((h) => h.id)).toEqual([a.id])
    expect(await manager.try('clients.get', { id: b.id })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } })
    expect(host.database.sqlite.prepare('SELECT count(*) FROM client_merges').pluck().get()).toBe(1)
    expect(host.database.sqlite.prepare(`SELECT target FROM audit_log WHERE action = 'clients.merge'`).pluck().get()).toBe(`client:${a.id}<-client:${b.id}`)
  })
})
