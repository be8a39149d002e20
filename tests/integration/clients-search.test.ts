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

  it('ignores fewer than 4 digits for phones', async () => {
    expect(await names('567')).toEqual([])
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
