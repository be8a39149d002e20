import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ManualClock } from '../../electron/host/clock'
import { PHONE_LOOKUPS_PER_HOUR, PHONE_LOOKUPS_PER_MINUTE } from '../../electron/host/domains/clients/phone-lookups'
import type { Host } from '../../electron/host/host'
import type { ApiClient } from '@shared/contract/client'
import { adminClient, staffClient } from '../helpers/staff'
import { startTempHost } from '../helpers/temp-host'

// Issue #13 item 6: a masked phone (138****5678) cannot be recovered through search or 防撞单.
let host: Host & { cleanup(): Promise<void> }
let clock: ManualClock
let owner: ApiClient
let colleague: ApiClient
let senior: ApiClient
let manager: ApiClient
let desk: ApiClient
let admin: ApiClient
let ownerId: number
let secret: { id: number; code: string }

const NUMBER = '13812345678'

beforeEach(async () => {
  clock = new ManualClock(new Date('2026-11-25T02:00:00Z'))
  host = await startTempHost({ clock })
  admin = await adminClient(host)
  const a = await staffClient(host, admin, 'agent', 'owner-a')
  owner = a.client
  ownerId = a.staff.id
  await admin.call('staff.update', { id: a.staff.id, version: a.staff.version, name: '李经纪', team: '一组' })
  const b = await staffClient(host, admin, 'agent', 'colleague-b')
  colleague = b.client
  await admin.call('staff.update', { id: b.staff.id, version: b.staff.version, team: '二组' })
  const s = await staffClient(host, admin, 'senior_agent', 'senior-1')
  await admin.call('staff.update', { id: s.staff.id, version: s.staff.version, team: '一组' })
  // the team change applies from the next sign-in
  senior = host.client()
  await senior.call('auth.login', { username: 'senior-1', password: 'staff-pass-123' })
  manager = (await staffClient(host, admin, 'manager', 'mgr')).client
  desk = (await staffClient(host, admin, 'front_desk', 'desk-1')).client
  const c = await owner.call('clients.create', { kind: 'person', name: '周密', phones: [{ number: NUMBER }], sourceChannel: 'phone' })
  secret = { id: c.id, code: c.code }
})
afterEach(() => host.cleanup())

const ids = async (who: ApiClient, q: string) => (await who.call('clients.search', { q })).hits.map((h) => h.id)
const audit = (action: string) =>
  (host.database.sqlite.prepare('SELECT actor_name, target, detail FROM audit_log WHERE action = ? ORDER BY id').all(action) as Array<{ actor_name: string; target: string | null; detail: string }>).map(
    (r) => ({ actor: r.actor_name, target: r.target, detail: JSON.parse(r.detail) as Record<string, unknown> }),
  )

/**
 * What an agent would try: every 4-digit window of the number, and the number rebuilt one digit
 * at a time from its masked ends (138… and …5678), as prefixes, suffixes and inner runs.
 */
function probes(): string[] {
  const out = new Set<string>()
  for (let i = 0; i + 4 <= NUMBER.length; i++) out.add(NUMBER.slice(i, i + 4))
  for (let len = 3; len < NUMBER.length - 1; len++) for (let d = 0; d <= 9; d++) out.add(`${NUMBER.slice(0, len)}${d}`)
  for (let len = 4; len < NUMBER.length - 1; len++) for (let d = 0; d <= 9; d++) out.add(`${d}${NUMBER.slice(-len)}`)
  for (let d = 0; d <= 9; d++) out.add(`${d}${NUMBER.slice(4, 7)}`)
  // spaced and dashed as people type them, and ten of the eleven digits
  out.add('138-1234-567')
  out.add('138 1234 567')
  out.add(NUMBER.slice(0, 10))
  out.add(NUMBER.slice(1))
  return [...out]
}

async function recoveryFinds(who: ApiClient): Promise<string[]> {
  const leaked: string[] = []
  for (const q of probes()) {
    const r = await who.try('clients.search', { q })
    expect(r.ok, q).toBe(true)
    if (r.ok && r.value.hits.some((h) => h.id === secret.id)) leaked.push(q)
  }
  return leaked
}

/** The answer to a whole number the caller may not see in full: it exists and whose it is, no digit of it. */
async function expectExistsOwnedBy(who: ApiClient, q: string) {
  const hits = (await who.call('clients.search', { q })).hits
  expect(hits).toHaveLength(1)
  expect(hits[0]).toMatchObject({ id: secret.id, code: secret.code, name: '周密', owner: { id: ownerId, name: '李经纪' }, phone: null, matchedOn: 'phone', rank: 'exact' })
  const text = JSON.stringify(hits[0])
  for (const part of ['138', '1234', '5678', '****']) expect(text, part).not.toContain(part)
}

describe('search masking: digits find only clients seen in full', () => {
  it('an agent cannot rebuild a colleague’s masked number digit by digit; the whole number says whose client it is', async () => {
    const byName = (await colleague.call('clients.search', { q: '周密' })).hits[0]!
    expect(byName.phone).toBe('138****5678')
    expect(probes().length).toBeGreaterThan(100)
    expect(await recoveryFinds(colleague)).toEqual([])
    await expectExistsOwnedBy(colleague, NUMBER)
    await expectExistsOwnedBy(colleague, '+86 138-1234-5678')
    // the host still answers after it all
    expect(await colleague.call('system.ping', {})).toBeTruthy()
  })

  it('the front desk finds callers by the whole number only, with the owner and nothing of the number', async () => {
    expect(await recoveryFinds(desk)).toEqual([])
    await expectExistsOwnedBy(desk, NUMBER)
    await expectExistsOwnedBy(desk, '１３８ １２３４ ５６７８')
  })

  it('the owner, their senior and the manager still find the client by any 4 digits', async () => {
    const own = (await owner.call('clients.search', { q: '5678' })).hits
    expect(own.map((h) => [h.id, h.phone, h.matchedOn])).toEqual([[secret.id, NUMBER, 'phone']])
    expect(await ids(senior, '1234')).toEqual([secret.id])
    expect(await ids(manager, '3812')).toEqual([secret.id])
    // found in full but shown masked: a senior or manager still reveals the number (audited)
    expect((await manager.call('clients.search', { q: '5678' })).hits[0]!.phone).toBe('138****5678')
  })

  // issue #15: 3-digit prefixes, in search and in the client list filtered by a search
  it('3 digits find the start of numbers only of clients seen in full; the list filtered by a search leaks no more', async () => {
    for (const who of [colleague, desk]) {
      expect(await ids(who, '138')).toEqual([])
      expect((await who.call('clients.search', { q: '138' })).total).toBe(0)
      for (const q of ['138', '+86 138', ...probes()]) {
        const listed = await who.call('clients.list', { filter: { search: q }, limit: 50 })
        expect(listed.rows.map((r) => r.id), q).not.toContain(secret.id)
      }
    }
    expect(await ids(owner, '138')).toEqual([secret.id])
    expect(await ids(senior, '138')).toEqual([secret.id])
    expect(await ids(manager, '+86 138')).toEqual([secret.id])
    // an inner run of 3 is in nearly every number: it finds nothing, even for the owner
    expect(await ids(owner, '812')).toEqual([])
    expect((await owner.call('clients.list', { filter: { search: '138' } })).rows.map((r) => r.id)).toEqual([secret.id])
    // the whole number in the list: its holder, charged and audited as in search
    expect((await colleague.call('clients.list', { filter: { search: NUMBER } })).rows.map((r) => r.id)).toEqual([secret.id])
    // written right after the answer (see AuditQueue)
    await expect.poll(() => audit('clients.phoneLookup').some((a) => a.target === `client:${secret.id}` && a.detail.via === 'list')).toBe(true)
    expect(await colleague.call('system.ping', {})).toBeTruthy()
  })

  it('a colleague’s matches neither answer the digits nor use up the page', async () => {
    // five colleague numbers sort before the owner's in the term index, more than the page reads
    for (let i = 0; i < 5; i++) await colleague.call('clients.create', { kind: 'person', name: `同事客户${i}`, phones: [{ number: `1392468${i}00${i}` }], sourceChannel: 'phone' })
    const mine = await owner.call('clients.create', { kind: 'person', name: '自己客户', phones: [{ number: '13724689001' }], sourceChannel: 'phone' })
    expect(await ids(owner, '2468')).toEqual([mine.id])
    expect((await owner.call('clients.search', { q: '2468', limit: 1 })).hits.map((h) => h.id)).toEqual([mine.id])
    expect(await ids(colleague, '2468')).toHaveLength(5)
    expect(await ids(colleague, '2468')).not.toContain(mine.id)
  })
})

describe('clients.checkDuplicate and the DUPLICATE refusal', () => {
  it('a whole number names the client, its owner and protection; a part of one is invalid and confirms nothing', async () => {
    for (const who of [colleague, desk]) {
      const whole = await who.call('clients.checkDuplicate', { phones: ['138 1234 5678'] })
      expect(whole.invalidPhones).toEqual([])
      expect(whole.matches).toEqual([
        expect.objectContaining({ clientId: secret.id, name: '周密', matchedOn: 'phone', phoneIndex: 0, isMine: false, owner: expect.objectContaining({ id: ownerId, name: '李经纪' }) }),
      ])
      expect(whole.matches[0]!.protectedUntil).not.toBeNull()
      expect(JSON.stringify(whole)).not.toMatch(/5678|1234|phones/)
      for (const part of ['1381234567', '5678', '138123456789', '138****5678', '2345678']) {
        const r = await who.call('clients.checkDuplicate', { phones: [part] })
        expect(r, part).toEqual({ matches: [], invalidPhones: [0] })
      }
    }
    expect(await owner.call('clients.checkDuplicate', { phones: [NUMBER] })).toMatchObject({ matches: [{ clientId: secret.id, isMine: true }] })
  })

  it('create and update refuse a taken number with its owner, never its digits', async () => {
    const created = await colleague.try('clients.create', { kind: 'person', name: '周先生', phones: [{ number: NUMBER }], sourceChannel: 'walk_in' })
    expect(created).toMatchObject({ ok: false, error: { code: 'DUPLICATE', field: 'phones.0.number', reason: 'phone_taken', params: { clientId: secret.id, name: '周密', ownerName: '李经纪' } } })
    if (!created.ok) expect(JSON.stringify(created.error)).not.toMatch(/5678|1234/)
    const mine = await colleague.call('clients.create', { kind: 'person', name: '吴用', phones: [{ number: '13900001111' }], sourceChannel: 'walk_in' })
    const updated = await colleague.try('clients.update', { id: mine.id, version: mine.version, phones: [{ number: '13900001111' }, { number: NUMBER }] })
    expect(updated).toMatchObject({ ok: false, error: { code: 'DUPLICATE', field: 'phones.1.number', params: { name: '周密', ownerName: '李经纪' } } })
  })

  it('an organisation’s name taken on update names the owner and protection too', async () => {
    const org = await owner.call('clients.create', { kind: 'org', name: '浦江贸易有限公司', phones: [{ number: '021-62345678' }], sourceChannel: 'referral' })
    const other = await colleague.call('clients.create', { kind: 'org', name: '申城物流', phones: [{ number: '021-62345679' }], sourceChannel: 'referral' })
    const r = await colleague.try('clients.update', { id: other.id, version: other.version, name: '浦江贸易' })
    expect(r).toMatchObject({ ok: false, error: { code: 'DUPLICATE', field: 'name', reason: 'org_taken', params: { clientId: org.id, name: '浦江贸易有限公司', ownerName: '李经纪' } } })
    if (!r.ok) expect(r.error.params?.protectedUntil).toBeTruthy()
  })
})

describe('phone lookups are limited per user', () => {
  const number = (i: number) => `1390000${String(i).padStart(4, '0')}`

  it(`${PHONE_LOOKUPS_PER_MINUTE} new numbers a minute, then RATE_LIMITED with the seconds to wait; per user; repeats are free`, async () => {
    for (let i = 0; i < PHONE_LOOKUPS_PER_MINUTE; i++) expect(await desk.try('clients.search', { q: number(i) }), number(i)).toMatchObject({ ok: true })
    const refused = await desk.try('clients.search', { q: number(PHONE_LOOKUPS_PER_MINUTE) })
    expect(refused).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED', reason: 'phone_lookups', params: { seconds: 60 } } })
    // the same allowance covers 防撞单 checks and the refusal on create, and answers nothing about the number
    expect(await desk.try('clients.checkDuplicate', { phones: [NUMBER] })).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED' } })
    const create = await desk.try('clients.create', { kind: 'person', name: '来电', phones: [{ number: NUMBER }], sourceChannel: 'phone' })
    expect(create).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED', reason: 'phone_lookups' } })
    if (!create.ok) expect(JSON.stringify(create.error)).not.toContain('周密')
    // a number already asked about, and partial digits (they reach no one else's client), cost nothing
    expect(await desk.try('clients.search', { q: number(3) })).toMatchObject({ ok: true })
    expect(await desk.try('clients.search', { q: '5678' })).toMatchObject({ ok: true })
    // another user has their own allowance
    expect(await colleague.try('clients.search', { q: number(99) })).toMatchObject({ ok: true })
    // the refusals are on record; the host still answers
    expect(audit('clients.search:RATE_LIMITED').length).toBe(1)
    expect(await desk.call('system.ping', {})).toBeTruthy()
    clock.advance(30_000)
    expect(await desk.try('clients.search', { q: number(50) })).toMatchObject({ ok: false, error: { params: { seconds: 30 } } })
    clock.advance(30_000)
    expect(await desk.try('clients.search', { q: number(50) })).toMatchObject({ ok: true })
  })

  it(`${PHONE_LOOKUPS_PER_HOUR} an hour, however they are spread`, async () => {
    let n = 0
    while (n < PHONE_LOOKUPS_PER_HOUR) {
      for (let i = 0; i < PHONE_LOOKUPS_PER_MINUTE && n < PHONE_LOOKUPS_PER_HOUR; i++, n++) {
        expect(await colleague.try('clients.checkDuplicate', { phones: [number(n)] }), number(n)).toMatchObject({ ok: true })
      }
      clock.advance(60_000)
    }
    const refused = await colleague.try('clients.checkDuplicate', { phones: [number(n)] })
    expect(refused).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED', reason: 'phone_lookups' } })
    // the first minute's lookups leave the hour first
    const elapsed = (PHONE_LOOKUPS_PER_HOUR / PHONE_LOOKUPS_PER_MINUTE) * 60
    if (!refused.ok) expect(refused.error.params?.seconds).toBe(3600 - elapsed)
    expect(await owner.try('clients.checkDuplicate', { phones: [number(n)] })).toMatchObject({ ok: true })
  })

  it('five numbers in one check cost five; numbers of one’s own clients cost nothing', async () => {
    const own = Array.from({ length: 25 }, () => NUMBER)
    for (const q of own) expect(await owner.try('clients.search', { q })).toMatchObject({ ok: true })
    for (let i = 0; i < PHONE_LOOKUPS_PER_MINUTE / 5; i++) {
      expect(await colleague.try('clients.checkDuplicate', { phones: [0, 1, 2, 3, 4].map((k) => number(i * 5 + k)) })).toMatchObject({ ok: true })
    }
    expect(await colleague.try('clients.checkDuplicate', { phones: [number(100)] })).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED' } })
  })
})

describe('phone lookups are audited, with the number masked', () => {
  it('each lookup that reached a client whose number the caller sees masked leaves one row', async () => {
    // the audit log stores the number masked, with a keyed hash an admin searches by
    const row = { phone: '138****5678' }
    await colleague.call('clients.search', { q: NUMBER })
    await desk.call('clients.checkDuplicate', { phones: ['138-1234-5678', '13900002222'] })
    expect(await colleague.try('clients.create', { kind: 'person', name: '周先生', phones: [{ number: NUMBER }], sourceChannel: 'walk_in' })).toMatchObject({ ok: false })
    expect(audit('clients.phoneLookup')).toEqual([
      { actor: '测试agent', target: `client:${secret.id}`, detail: { via: 'search', ...row } },
      { actor: '测试front_desk', target: `client:${secret.id}`, detail: { via: 'checkDuplicate', ...row } },
      // kept although the create was refused and rolled back
      { actor: '测试agent', target: `client:${secret.id}`, detail: { via: 'create', ...row } },
    ])
    const found = await admin.call('audit.list', { number: '138 1234 5678', action: 'clients.phoneLookup' })
    expect(found.rows.map((r) => JSON.parse(r.detail) as unknown)).toEqual([
      { via: 'create', ...row },
      { via: 'checkDuplicate', ...row },
      { via: 'search', ...row },
    ])
  })

  it('the owner’s own lookups and numbers nobody has leave none; digits that reached masked numbers leave one per search', async () => {
    await owner.call('clients.search', { q: NUMBER })
    await owner.call('clients.search', { q: '5678' })
    await owner.call('clients.checkDuplicate', { phones: [NUMBER] })
    await colleague.call('clients.search', { q: '13900003333' })
    await colleague.call('clients.search', { q: '5678' })
    // every row these calls left is written (searches' rows follow their answers): none
    await host.dispatcher.drain()
    expect(audit('clients.phoneLookup')).toEqual([])
    await manager.call('clients.search', { q: '345678' })
    await senior.call('clients.search', { q: '5678' })
    await expect.poll(() => audit('clients.phoneLookup')).toEqual([
      { actor: '测试manager', target: null, detail: { via: 'search', digits: '**5678', clients: [secret.id] } },
      { actor: '测试senior_agent', target: null, detail: { via: 'search', digits: '5678', clients: [secret.id] } },
    ])
  })
})
