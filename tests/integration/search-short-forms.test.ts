import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Host } from '../../electron/host/host'
import type { ApiClient } from '@shared/contract/client'
import { adminClient, staffClient } from '../helpers/staff'
import { startTempHost } from '../helpers/temp-host'

// issue #16 item 12: the header search finds a client by the short forms of a 客户编号 (KY301,
// ky301, 301) and by the number printed on the member card (decimal), not only by the whole code
// and the hex UID
let host: Host & { cleanup(): Promise<void> }
let agent: ApiClient
let other: ApiClient
let desk: ApiClient
let coded: { id: number; code: string }
let member: { id: number; cardId: number }

beforeAll(async () => {
  host = await startTempHost()
  const admin = await adminClient(host)
  agent = (await staffClient(host, admin, 'agent', 'short-owner')).client
  other = (await staffClient(host, admin, 'agent', 'short-other')).client
  desk = (await staffClient(host, admin, 'front_desk', 'short-desk')).client
  // a branch that has registered 300 clients: the next code is KY000301
  host.database.sqlite.prepare(`INSERT INTO counters (name, value) VALUES ('client_code', 300) ON CONFLICT (name) DO UPDATE SET value = 300`).run()
  coded = await agent.call('clients.create', { kind: 'person', name: '孙三零一', phones: [{ number: '13900000301' }], sourceChannel: 'walk_in' })
  // a client whose phone holds 301 (13013010000): typed 301 is still KY000301 first
  await agent.call('clients.create', { kind: 'person', name: '周号码', phones: [{ number: '13013010000' }], sourceChannel: 'walk_in' })
  const m = await agent.call('clients.create', { kind: 'person', name: '吴会员', phones: [{ number: '13900001741' }], sourceChannel: 'walk_in' })
  // printed on the card: 0305441741 (the decimal of 0x1234ABCD)
  const card = await desk.call('cards.issue', { clientId: m.id, read: { uid: '1234ABCD' } })
  member = { id: m.id, cardId: card.id }
})
afterAll(() => host.cleanup())

const first = async (who: ApiClient, q: string) => (await who.call('clients.search', { q })).hits[0]

describe('header search by short code and printed card number', () => {
  it('finds a client by KY301, ky301, 301, 000301 and the whole code, as an exact code match', async () => {
    expect(coded.code).toBe('KY000301')
    for (const q of ['KY301', 'ky301', 'Ky301', '301', '000301', 'KY000301', 'ｋｙ３０１', ' KY301 '])
      expect(await first(agent, q), q).toMatchObject({ id: coded.id, matchedOn: 'code', rank: 'exact' })
    // anyone signed in finds a code (the front desk, a colleague): it carries no phone digits
    expect(await first(desk, 'KY301')).toMatchObject({ id: coded.id, phone: '139****0301' })
    expect(await first(other, '301')).toMatchObject({ id: coded.id, matchedOn: 'code' })
  })

  it('does not make up codes: KY3010 and ky0301x find nobody, KY30 is the start of KY301-KY303', async () => {
    expect((await agent.call('clients.search', { q: 'KY3010' })).total).toBe(0)
    expect((await agent.call('clients.search', { q: 'ky0301x' })).total).toBe(0)
    const started = (await agent.call('clients.search', { q: 'KY30' })).hits
    expect(started.map((h) => [h.code, h.rank])).toEqual([
      ['KY000301', 'prefix'],
      ['KY000302', 'prefix'],
      ['KY000303', 'prefix'],
    ])
  })

  it('a code\'s digit forms match only whole: four digits that start 000301-000303 find the phones holding them, not the codes', async () => {
    // 0003 starts the digit forms 000301-000303; as phone digits it is inside 13900000301 alone
    const r = await agent.call('clients.search', { q: '0003' })
    expect(r.hits.map((h) => [h.id, h.matchedOn])).toEqual([[coded.id, 'phone']])
    expect(r.total).toBe(1)
    // the client list filtered by the same text counts the same client
    const listed = await agent.call('clients.list', { filter: { search: '0003' }, exactTotal: true })
    expect([listed.total, listed.rows.map((x) => x.id)]).toEqual([1, [coded.id]])
    // three digits: 301 is the code; 30 started codes only with their letters (KY30 above)
    expect((await agent.call('clients.search', { q: '030' })).hits.every((h) => h.matchedOn !== 'code')).toBe(true)
  })

  it('finds a member by the decimal number printed on the card, with or without leading zeros, and by any 4+ digits of it', async () => {
    for (const q of ['0305441741', '305441741', '0305 441 741'])
      expect(await first(desk, q), q).toMatchObject({ id: member.id, matchedOn: 'card', rank: 'exact' })
    expect(await first(desk, '5441741')).toMatchObject({ id: member.id, matchedOn: 'card', rank: 'contains' })
    // the hex UID still finds it
    expect(await first(desk, '1234abcd')).toMatchObject({ id: member.id, matchedOn: 'card' })
    // the client list filtered by the same text holds the same client
    const listed = await desk.call('clients.list', { filter: { search: '0305441741' } })
    expect(listed.rows.map((r) => r.id)).toEqual([member.id])
    expect((await agent.call('clients.list', { filter: { search: 'KY301' } })).rows.map((r) => r.id)).toEqual([coded.id])
  })

  it('follows a replaced card: the old printed number finds nobody, the new one the member', async () => {
    await desk.call('cards.replace', { cardId: member.cardId, read: { uid: '00001F40' } })
    expect((await desk.call('clients.search', { q: '0305441741' })).total).toBe(0)
    expect(await first(desk, '0000008000')).toMatchObject({ id: member.id, matchedOn: 'card', rank: 'exact' })
    expect(await first(desk, '8000')).toMatchObject({ id: member.id, matchedOn: 'card', rank: 'exact' })
  })

  it('answers bad short forms with no hits and keeps answering', async () => {
    for (const q of ['KY', 'ky-301', '0', 'KY000000000000000000000000301', '%301', "301'"]) {
      const r = await agent.try('clients.search', { q })
      expect(r.ok, q).toBe(true)
    }
    expect(await first(agent, 'KY301')).toMatchObject({ id: coded.id })
  })
})
