import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Host } from '../../electron/host/host'
import type { ApiClient } from '@shared/contract/client'
import { adminClient, staffClient } from '../helpers/staff'
import { startTempHost } from '../helpers/temp-host'

let host: Host & { cleanup(): Promise<void> }
let agent: ApiClient
const ids: Record<string, number> = {}
const codes: Record<string, string> = {}

beforeAll(async () => {
  host = await startTempHost()
  const admin = await adminClient(host)
  agent = (await staffClient(host, admin, 'agent', 'searcher')).client
  const people: Array<[string, string]> = [
    ['张伟', '13812345678'],
    ['张伟明', '13912340000'],
    ['李张伟', '13712349999'],
    ['欧阳娜娜', '15000001234'],
    ['曾小贤', '021-62345678'],
    ['王芳', '18600005678'],
  ]
  for (const [name, phone] of people) {
    const c = await agent.call('clients.create', { kind: 'person', name, phones: [{ number: phone }], sourceChannel: 'phone' })
    ids[name] = c.id
    codes[name] = c.code
  }
})
afterAll(() => host.cleanup())

const names = async (q: string) => (await agent.call('clients.search', { q })).hits.map((h) => h.name)

describe('clients.search', () => {
  it('finds a 2-character name and ranks exact > prefix > contains', async () => {
    const hits = (await agent.call('clients.search', { q: '张伟' })).hits
    expect(hits.map((h) => [h.name, h.rank])).toEqual([
      ['张伟', 'exact'],
      ['张伟明', 'prefix'],
      ['李张伟', 'contains'],
    ])
  })

  it('finds any part of the name, even one character', async () => {
    expect(await names('娜娜')).toEqual(['欧阳娜娜'])
    expect(await names('芳')).toEqual(['王芳'])
  })

  it('finds pinyin initials and full pinyin, including polyphonic surnames', async () => {
    expect((await names('zw')).slice(0, 2)).toEqual(['张伟', '张伟明'])
    expect(await names('zhangwei')).toEqual(['张伟', '张伟明', '李张伟'])
    expect(await names('ZhangWei')).toEqual(['张伟', '张伟明', '李张伟'])
    expect(await names('oyn')).toEqual(['欧阳娜娜'])
    expect(await names('zengxiaoxian')).toEqual(['曾小贤'])
    expect(await names('xiaoxian')).toEqual(['曾小贤'])
  })

  it('finds any 4+ digits of a phone, landlines with their area code', async () => {
    expect(await names('5678')).toEqual(expect.arrayContaining(['张伟', '王芳', '曾小贤']))
    expect(await names('1234')).toEqual(expect.arrayContaining(['张伟', '张伟明', '李张伟', '欧阳娜娜']))
    expect(await names('138-1234-5678')).toEqual(['张伟'])
    expect(await names('02162345678')).toEqual(['曾小贤'])
    expect((await agent.call('clients.search', { q: '13812345678' })).hits[0]).toMatchObject({ matchedOn: 'phone', rank: 'exact' })
  })

  // issue #15: three digits find the start of a number (of clients seen in full), fewer nothing
  it('finds the start of a number from 3 digits, never fewer or an inner run of 3', async () => {
    expect(await names('567')).toEqual([])
    expect(await names('138')).toEqual(['张伟'])
    expect(await names('139')).toEqual(['张伟明'])
    expect(await names('13')).toEqual([])
    expect(await names('021')).toEqual(['曾小贤'])
    expect((await agent.call('clients.search', { q: '138' })).hits[0]).toMatchObject({ matchedOn: 'phone', rank: 'prefix' })
  })

  it('reads a number however it is written: +86, 0086, (+86), spaces, dashes, dots, full width', async () => {
    for (const q of ['+86 138', '+86 1381234', '0086138', '0086 13812345678', '(+86)138-1234', '（+86）138', '+86 138 1234 5678', '１３８ １２３４', '138.1234', '138-1234-5678', '86-138-1234', '+86-21-6234', '(0086)13812'])
      expect(await names(q), q).toEqual([q.includes('21') ? '曾小贤' : '张伟'])
  })

  it('pages hits with offset and tells the total', async () => {
    // a new agent: each new number counts towards their phone lookups (20 a minute)
    const pager = (await staffClient(host, await adminClient(host), 'agent', 'pager')).client
    for (let i = 0; i < 18; i++) await pager.call('clients.create', { kind: 'person', name: `翻页客户${String(i).padStart(2, '0')}`, phones: [{ number: `1770000${String(i).padStart(4, '0')}` }], sourceChannel: 'phone' })
    const pages = [await pager.call('clients.search', { q: '翻页', limit: 8 }), await pager.call('clients.search', { q: '翻页', limit: 8, offset: 8 }), await pager.call('clients.search', { q: '翻页', limit: 8, offset: 16 })]
    expect(pages.map((p) => [p.total, p.totalExact, p.hits.length])).toEqual([[18, true, 8], [18, true, 8], [18, true, 2]])
    const all = pages.flatMap((p) => p.hits.map((h) => h.id))
    expect(new Set(all).size).toBe(18)
    // 3 digits as well: every number starting 177 the agent holds
    expect((await pager.call('clients.search', { q: '177', limit: 5 })).total).toBe(18)
    // the client list filtered by the same query holds the same clients
    const listed = await pager.call('clients.list', { filter: { search: '翻页' }, limit: 100, sort: { field: 'name', dir: 'asc' } })
    expect([listed.total, listed.totalExact]).toEqual([18, true])
    expect(listed.rows.map((r) => r.id).sort((a, b) => a - b)).toEqual([...all].sort((a, b) => a - b))
    expect(listed.rows.map((r) => r.name)).toEqual([...listed.rows.map((r) => r.name)].sort())
    expect((await pager.call('clients.list', { filter: { search: '+86 177' }, limit: 5 })).total).toBe(18)
    // another agent's digits meet none of them, in search or in the list
    expect((await agent.call('clients.search', { q: '177' })).total).toBe(0)
    expect((await agent.call('clients.list', { filter: { search: '1770000' } })).total).toBe(0)
    // search pages end at 450: past it, the list shows the rest
    expect((await pager.try('clients.search', { q: '翻页', offset: 451 })).ok).toBe(false)
  })

  it('finds a client by 客户编号, in any case', async () => {
    expect(await names(codes['王芳']!.toLowerCase())).toEqual(['王芳'])
  })

  it('masks phones of clients the searcher does not own', async () => {
    const admin = await adminClient(host)
    const other = (await staffClient(host, admin, 'agent', 'other')).client
    expect((await other.call('clients.search', { q: '王芳' })).hits[0]!.phone).toBe('186****5678')
    expect((await agent.call('clients.search', { q: '王芳' })).hits[0]!.phone).toBe('18600005678')
  })

  it('follows renames: old name terms go, new ones come', async () => {
    const p = await agent.call('clients.get', { id: ids['王芳']! })
    await agent.call('clients.update', { id: p.id, version: p.version, name: '王芳菲' })
    expect(await names('芳菲')).toEqual(['王芳菲'])
    expect(await names('wff')).toEqual(['王芳菲'])
  })
})
