import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Host } from '../../electron/host/host'
import type { ApiClient } from '@shared/contract/client'
import { adminClient, staffClient } from '../helpers/staff'
import { startTempHost } from '../helpers/temp-host'
import { unitSheetBase64 } from '../helpers/unit-sheet'
import { zhText } from '../helpers/host-text'

let host: Host & { cleanup(): Promise<void> }
let admin: ApiClient
let agent: ApiClient
let other: ApiClient
let desk: ApiClient

beforeAll(async () => {
  host = await startTempHost()
  admin = await adminClient(host)
  agent = (await staffClient(host, admin, 'agent', 'text-agent')).client
  other = (await staffClient(host, admin, 'agent', 'text-other')).client
  desk = (await staffClient(host, admin, 'front_desk', 'text-desk')).client
})
afterAll(() => host.cleanup())

const person = (name: string, phone: string, extra: Record<string, unknown> = {}) => ({
  kind: 'person' as const,
  name,
  phones: [{ number: phone }],
  sourceChannel: 'phone' as const,
  ...extra,
})
const org = (name: string, phone: string) => ({ kind: 'org' as const, name, phones: [{ number: phone }], sourceChannel: 'referral' as const })
const count = (table: string) => host.database.sqlite.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number

describe('text as people paste it', () => {
  it('an org name with a zero-width space is a duplicate of the plain one', async () => {
    await agent.call('clients.create', org('上海锦华置业有限公司', '021-52345678'))
    for (const name of ['上海锦华\u200B置业有限公司', '上海锦华置业有限公司\u200B', '\uFEFF上海锦华置业', '上海锦华置业（有限公司）']) {
      const r = await other.try('clients.create', org(name, '021-52345679'))
      expect(r, JSON.stringify(name)).toMatchObject({ ok: false, error: { code: 'DUPLICATE', field: 'name', reason: 'org_taken' } })
      const check = await other.call('clients.checkDuplicate', { orgName: name })
      expect(check.matches, JSON.stringify(name)).toEqual([expect.objectContaining({ name: '上海锦华置业有限公司', matchedOn: 'org_name' })])
    }
  })

  it('a client named with a zero-width space is stored without it and found by the plain name', async () => {
    const c = await agent.call('clients.create', person('欧阳\u200B娜娜', '13912340001'))
    expect(c.name).toBe('欧阳娜娜')
    const hits = (await agent.call('clients.search', { q: '欧阳娜娜' })).hits
    expect(hits[0]).toMatchObject({ id: c.id, matchedOn: 'name', rank: 'exact' })
    // and a pasted query with the same artefact finds it too
    expect((await agent.call('clients.search', { q: '\u200B欧阳\u200B娜' })).hits[0]).toMatchObject({ id: c.id, rank: 'prefix' })
  })

  it('full-width letters and Chinese punctuation: what means the same is stored the same', async () => {
    const c = await agent.call('clients.create', person('ＬＩＮＤＡ　王', '13912340002', { address: '浦东新区　世纪大道１００号（近地铁）', jobTitle: '  总监   助理 ' }))
    expect(c.name).toBe('LINDA 王')
    expect(c.address).toBe('浦东新区 世纪大道100号（近地铁）')
    expect(c.jobTitle).toBe('总监 助理')
    expect((await agent.call('clients.search', { q: 'ｌｉｎｄａ王' })).hits[0]).toMatchObject({ id: c.id })
  })

  it('a bidi override is refused naming the field and the character, and nothing is written', async () => {
    const before = `${count('clients')}/${count('audit_log')}`
    const cases: Array<[Record<string, unknown>, string, string, string]> = [
      [person('abc\u202Egpj.exe', '13912340003'), 'name', 'bidi_char', 'U+202E'],
      [person('王五', '13912340003', { address: '浦东\u2066某路' }), 'address', 'bidi_char', 'U+2066'],
      [{ ...org('某某贸易', '021-52345670'), org: { legalRep: '李\u0000四' } }, 'org.legalRep', 'control_char', 'U+0000'],
      [person('王五', '13912340003', { manualTags: ['学区', '\u0007'] }), 'manualTags.1', 'control_char', 'U+0007'],
      [person('王五\n王六', '13912340003'), 'name', 'line_break', 'U+000A'],
      [person('王\u3164', '13912340003'), 'name', 'invisible_char', 'U+3164'],
    ]
    for (const [input, field, reason, char] of cases) {
      const r = await agent.try('clients.create', input as never)
      expect(r, field).toMatchObject({ ok: false, error: { code: 'VALIDATION', field, reason, params: { char } } })
    }
    expect(`${count('clients')}/${count('audit_log')}`).toBe(before)
    expect(await agent.call('system.ping', {})).toMatchObject({ pong: true })
  })

  it('other domains refuse the same characters on their fields', async () => {
    const c = await agent.call('clients.create', person('赵六', '13912340004'))
    expect(await agent.try('followups.create', { clientId: c.id, channel: 'phone', content: '约了周六\u202E看房' })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', field: 'content', reason: 'bidi_char' },
    })
    // a note keeps its lines
    const f = await agent.call('followups.create', { clientId: c.id, channel: 'phone', content: '第一次联系\r\n预算 300 万\u2028想要学区' })
    expect(f.content).toBe('第一次联系\n预算 300 万\n想要学区')
    expect(await admin.try('staff.create', { username: 'ｚｈａｏ６', name: '赵\u200F六', role: 'agent', password: 'long-enough-1' })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', field: 'name', reason: 'bidi_char', params: { char: 'U+200F' } },
    })
    // a full-width username from an IME is the ASCII name
    const s = await admin.call('staff.create', { username: 'ｚｈａｏ６', name: '赵六', role: 'agent', password: 'long-enough-1' })
    expect(s.username).toBe('zhao6')
  })
})

describe('unknown keys', () => {
  it('are refused with their name, at any depth, and nothing is written', async () => {
    const before = count('clients')
    const cases: Array<[string, Record<string, unknown>, string]> = [
      ['clients.create', person('钱七', '13912340005', { nickname: '小钱' }), 'nickname'],
      ['clients.create', { ...org('钱氏商贸', '021-52345671'), org: { legalRep: '钱七', website: 'x' } }, 'org.website'],
      ['clients.create', { ...person('钱七', '13912340005'), phones: [{ number: '13912340005', primary: true }] }, 'phones.0.primary'],
      ['clients.list', { filter: { tier: ['vip'], q: '钱' } }, 'filter.q'],
      ['clients.search', { q: '钱', owner: 1 }, 'owner'],
      ['system.ping', { verbose: true }, 'verbose'],
      ['followups.create', { clientId: 1, channel: 'phone', content: 'x', staffId: 2 }, 'staffId'],
    ]
    for (const [method, input, field] of cases) {
      const r = await agent.try(method as 'clients.create', input as never)
      expect(r, `${method} ${field}`).toMatchObject({ ok: false, error: { code: 'VALIDATION', field, reason: 'unrecognized_keys', params: { keys: field.split('.').pop() } } })
    }
    expect(await admin.try('staff.update', { id: 1, version: 0, role: 'admin', active: false } as never)).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', field: 'active', reason: 'unrecognized_keys' },
    })
    expect(count('clients')).toBe(before)
  })
})

describe('phones as Chinese users write them', () => {
  const FORMS = ['(+86)139-1234-5678', '（+86）139 1234 5678', '+86 139.1234.5678', '0086 13912345678', '86-139-1234-5678', '１３９１２３４５６７８', '139—1234—5678', '+86\u00A0139\u200B1234\u200B5678']
  let clientId = 0

  it('each form of one mobile finds and refuses the same client', async () => {
    const c = await agent.call('clients.create', person('孙八', FORMS[0]!))
    clientId = c.id
    expect(c.phones[0]).toMatchObject({ display: '13912345678' })
    for (const form of FORMS) {
      const check = await desk.call('clients.checkDuplicate', { phones: [form] })
      expect(check, form).toMatchObject({ invalidPhones: [], matches: [expect.objectContaining({ clientId, matchedOn: 'phone', phoneIndex: 0 })] })
      const r = await other.try('clients.create', person('孙八八', form))
      expect(r, form).toMatchObject({ ok: false, error: { code: 'DUPLICATE', reason: 'phone_taken', field: 'phones.0.number', params: { clientId } } })
      expect((await agent.call('clients.search', { q: form })).hits[0], form).toMatchObject({ id: clientId, matchedOn: 'phone', rank: 'exact' })
    }
  })

  it('each form creates the same number on a client of its own', async () => {
    for (const [i, form] of FORMS.entries()) {
      // the same form with another number: 137 for 139, and a last group of its own
      const last = String(5600 + i)
      const typed = form.replace('139', '137').replace('5678', last).replace('１３９', '１３７').replace('５６７８', toFullWidth(last))
      const mobile = `1371234${last}`
      const c = await agent.call('clients.create', person(`周${i}`, typed))
      expect(c.phones[0]?.display, typed).toBe(mobile)
    }
  })

  it('landlines with area codes, and extensions: the line is the number', async () => {
    const c = await agent.call('clients.create', org('吴氏贸易', '(021) 6123-4567'))
    expect(c.phones[0]?.display).toBe('021-61234567')
    for (const form of ['021-61234567', '02161234567', '+86 21 6123 4567', '+86 (0)21 6123 4567', '021-61234567-808', '021-61234567转808', '０２１－６１２３４５６７']) {
      const check = await desk.call('clients.checkDuplicate', { phones: [form] })
      expect(check, form).toMatchObject({ invalidPhones: [], matches: [expect.objectContaining({ clientId: c.id, matchedOn: 'phone' })] })
    }
    const ext = await agent.call('clients.create', person('郑九', '0755-8888 6666 转 808'))
    expect(ext.phones[0]?.display).toBe('0755-88886666转808')
    expect((await agent.call('clients.search', { q: '075588886666' })).hits[0]).toMatchObject({ id: ext.id, rank: 'exact' })
    // someone who may not see the number sees neither it nor the extension
    expect((await other.call('clients.get', { id: ext.id })).phones[0]).toMatchObject({ display: '0755-****6666', masked: true })
  })

  it('stray letters are still refused, not read around', async () => {
    for (const [form, reason] of [
      ['13912345678abc', 'phone_chars'],
      ['tel:13912345678', 'phone_chars'],
      ['139\u202E12345678', 'phone_chars'],
      ['13912345678转808', 'phone_invalid'],
    ] as const) {
      expect(await agent.try('clients.create', person('冯十', form)), form).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'phones.0.number', reason } })
    }
  })
})

describe('the unit list workbook', () => {
  it('reads its words as the text kinds do: full width folded, a bidi control a row error', async () => {
    const manager = (await staffClient(host, admin, 'manager', 'text-mgr')).client
    const projectId = (await manager.call('projects.create', { name: '文字测试苑' })).id
    const bad = await unitSheetBase64([
      { building: '１号楼', floor: 1, number: '１０１', layout: '2室', area: 80, orientation: '南', listPrice: 3_000_000 },
      { building: '1号楼', floor: 1, number: '101', layout: '2室', area: 80, orientation: '南', listPrice: 3_000_000 },
      { building: '1号楼', floor: 1, number: '102', layout: '2室\u202E', area: 80, orientation: '南', listPrice: 3_000_000 },
    ])
    const r = await manager.call('units.import', { projectId, fileBase64: bad })
    // each message as the import dialog words it in Chinese
    expect({ ...r, errors: r.errors.map((e) => ({ ...e, message: zhText(e.message) })) }).toEqual({
      imported: 0,
      errors: [
        { row: 3, field: 'number', message: '与第 2 行房号重复' },
        { row: 4, field: 'layout', message: '含有不允许的字符（U+202E）' },
      ],
    })
    const good = await unitSheetBase64([{ building: '１号楼', floor: 1, number: '１０１', layout: '２室\u200B１厅', area: 80, orientation: '南北', listPrice: 3_000_000, tags: '景观，边套' }])
    expect(await manager.call('units.import', { projectId, fileBase64: good })).toEqual({ imported: 1, errors: [] })
    const unit = (await manager.call('board.get', { projectId })).units[0]
    expect(unit).toMatchObject({ number: '101', layout: '2室1厅', tags: ['景观', '边套'] })
  })
})

function toFullWidth(digits: string): string {
  return digits.replace(/\d/g, (d) => String.fromCharCode(d.charCodeAt(0) + 0xfee0))
}
