import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ApiClient } from '@shared/contract/client'
import { ManualClock } from '../../electron/host/clock'
import type { Host } from '../../electron/host/host'
import { adminClient, staffClient } from '../helpers/staff'
import { startTempHost } from '../helpers/temp-host'

// the care list as CSV for the branch's SMS tool (issue #20): UTF-8 with BOM, phones kept as text, read back
let host: Host & { cleanup(): Promise<void> }
let manager: ApiClient
let agent: ApiClient
// 2026-09-22 10:00 in Shanghai
const clock = new ManualClock(new Date('2026-09-22T02:00:00Z'))

beforeAll(async () => {
  host = await startTempHost({ clock, withServer: true })
  const admin = await adminClient(host)
  manager = (await staffClient(host, admin, 'manager', 'mgr')).client
  agent = (await staffClient(host, admin, 'agent', 'agent')).client
  let seq = 0
  for (const [name, birthDate] of [
    ['王小明', '1980-09-22'],
    ['@SUM(1+1)张三', '1981-09-23'],
    ['李, "老李"', '1982-09-24'],
  ] as const) {
    seq++
    await agent.call('clients.create', { kind: 'person', name, phones: [{ number: `1350000${String(seq).padStart(4, '0')}` }], sourceChannel: 'walk_in', birthDate })
  }
})
afterAll(() => host.cleanup())

/** RFC 4180 fields of a CSV text: quoted fields may hold commas, doubled quotes and line ends. */
function parseCsv(text: string): string[][] {
  const lines: string[][] = []
  let field = ''
  let line: string[] = []
  let quoted = false
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!
    if (quoted && c === '"' && text[i + 1] === '"') {
      field += '"'
      i++
    } else if (c === '"') {
      quoted = !quoted
    } else if (!quoted && c === ',') {
      line.push(field)
      field = ''
    } else if (!quoted && c === '\r' && text[i + 1] === '\n') {
      line.push(field)
      lines.push(line)
      line = []
      field = ''
      i++
    } else {
      field += c
    }
  }
  return lines
}

async function csvOf(who: ApiClient) {
  const v = await who.call('export.start', { grid: 'care', query: { list: 'birthdays' }, format: 'csv', reason: '短信群发' })
  const done = v.status === 'running' ? (await host.jobs.finished(v.id), await who.call('export.status', { id: v.id })) : v
  expect(done.fileName).toMatch(/^客户关怀名单-\d+\.csv$/)
  const res = await fetch(`${host.url}${done.download!}`)
  expect(res.status).toBe(200)
  expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8')
  const bytes = new Uint8Array(await res.arrayBuffer())
  return { bytes, text: new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes) }
}

describe('the care list as CSV', () => {
  it('is UTF-8 with a BOM and CRLF lines: the watermark, the headers, then the rows as on screen', async () => {
    const { bytes, text } = await csvOf(agent)
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
    expect(text.endsWith('\r\n')).toBe(true)
    const lines = parseCsv(text.slice(1))
    expect(lines[0]![0]).toMatch(/^导出人：测试agent（agent）/)
    expect(lines[1]).toEqual(['客户编号', '客户', '手机', '场合', '日期', '短信内容', '归属经纪人', '状态'])
    expect(lines.slice(2).map((l) => [l[3], l[4]])).toEqual([
      ['生日', '2026-09-22'],
      ['生日', '2026-09-23'],
      ['生日', '2026-09-24'],
    ])
    expect(lines.slice(2).map((l) => l[5])).toEqual(Array(3).fill('祝您生日快乐，身体健康，万事如意！'))
  })

  it('keeps the owner’s phones whole as text, a name with commas and quotes intact, and a formula inert', async () => {
    const lines = parseCsv((await csvOf(agent)).text.slice(1)).slice(2)
    // a tab before the digits: Excel keeps all eleven as text instead of 1.35E+10
    expect(lines.map((l) => l[2])).toEqual(['\t13500000001', '\t13500000002', '\t13500000003'])
    expect(lines.every((l) => /^KY\d{6}$/.test(l[0]!))).toBe(true)
    expect(lines[1]![1]).toBe(`'@SUM(1+1)张三`)
    expect(lines[2]![1]).toBe('李, "老李"')
  })

  it('masks the phones for the manager as the list does, and is audited with the reason', async () => {
    const lines = parseCsv((await csvOf(manager)).text.slice(1)).slice(2)
    expect(lines.map((l) => l[2])).toEqual(['135****0001', '135****0002', '135****0003'])
    const a = host.database.sqlite.prepare(`SELECT detail FROM audit_log WHERE action = 'export.start' ORDER BY id DESC LIMIT 1`).pluck().get() as string
    expect(JSON.parse(a)).toMatchObject({ grid: 'care', reason: '短信群发' })
  })

  it('refuses a CSV of any other grid, and still answers', async () => {
    expect(await manager.try('export.start', { grid: 'tasks', query: {}, format: 'csv' } as never)).toMatchObject({ ok: false, error: { code: 'VALIDATION' } })
    expect(await manager.try('system.ping', {})).toMatchObject({ ok: true })
  })
})
