import ExcelJS from 'exceljs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ManualClock } from '../../electron/host/clock'
import type { Host } from '../../electron/host/host'
import type { ApiClient } from '@shared/contract/client'
import { adminClient, staffClient } from '../helpers/staff'
import { startTempHost } from '../helpers/temp-host'
import { unitSheetBase64, type UnitSheetRow } from '../helpers/unit-sheet'

// care lists worked through (issue #20 item 3): deal anniversaries and handover +1 month beside the
// birthdays and holidays, items done or skipped with a note, greeting templates, policy news to a segment
let host: Host & { cleanup(): Promise<void> }
let manager: ApiClient
let agentA: ApiClient
let agentB: ApiClient
let desk: ApiClient
let agentAId: number
let agentBId: number
let projectId: number
let seq = 0
// 2026-09-22 10:00 in Shanghai: the week runs to 09-29 and holds 中秋 (09-25)
const clock = new ManualClock(new Date('2026-09-22T02:00:00Z'))
const q = (sql: string, ...p: unknown[]) => host.database.sqlite.prepare(sql).pluck().get(...p)

beforeAll(async () => {
  host = await startTempHost({ clock, withServer: true })
  const admin = await adminClient(host)
  manager = (await staffClient(host, admin, 'manager', 'mgr')).client
  const a = await staffClient(host, admin, 'agent', 'agent-a')
  agentA = a.client
  agentAId = a.staff.id
  const b = await staffClient(host, admin, 'agent', 'agent-b')
  agentB = b.client
  agentBId = b.staff.id
  desk = (await staffClient(host, admin, 'front_desk', 'desk')).client
  projectId = (await manager.call('projects.create', { name: '湖滨苑' })).id
  const rows: UnitSheetRow[] = []
  for (let floor = 1; floor <= 3; floor++) for (const n of ['01', '02']) rows.push({ building: '3号楼', floor, number: `${floor}${n}`, layout: '2室2厅', area: 88, orientation: '南', listPrice: 2_000_000 })
  await manager.call('units.import', { projectId, fileBase64: await unitSheetBase64(rows) })
})
afterAll(() => host.cleanup())

async function client(owner: ApiClient, name: string, opts: { tier?: 'vip' | 'key' | 'normal'; region?: string; birthDate?: string } = {}) {
  seq++
  return owner.call('clients.create', { kind: 'person', name, phones: [{ number: `1370000${String(seq).padStart(4, '0')}` }], sourceChannel: 'walk_in', tier: opts.tier ?? 'normal', region: opts.region ?? null, birthDate: opts.birthDate ?? null })
}

/** A deal the owner signed for the client, its signing moved back to `signedAt` (the deal is real; only its date is old). */
async function dealSigned(owner: ApiClient, clientId: number, signedAt: string) {
  const u = (await owner.call('board.get', { projectId })).units.find((x) => x.status === 'available')!
  await owner.call('units.reserve', { unitId: u.id, clientId, deposit: 100_000, receiptNo: `R-${u.id}`, method: 'cash' })
  await owner.call('units.advance', { unitId: u.id, to: 'subscribe' })
  await owner.call('units.advance', { unitId: u.id, to: 'sign' })
  host.database.sqlite.prepare(`UPDATE transaction_steps SET at = ? WHERE status = 'sign' AND tx_id = (SELECT id FROM unit_transactions WHERE unit_id = ? AND live = 1)`).run(signedAt, u.id)
  return `3号楼-${u.number}`
}

/** A 交房 ticket through its whole life, its closing moved back to `closedAt`. */
async function handedOver(clientId: number, assigneeId: number, assignee: ApiClient, closedAt: string) {
  const { categories } = await manager.call('tickets.categories', {})
  let t = await manager.call('tickets.create', { clientId, categoryId: categories.find((c) => c.code === 'handover')!.id, channel: 'visit', content: '交房验收' })
  t = await manager.call('tickets.dispatch', { id: t.id, version: t.version, assigneeId })
  t = await assignee.call('tickets.start', { id: t.id, version: t.version })
  t = await assignee.call('tickets.feedBack', { id: t.id, version: t.version, feedback: '钥匙已交付' })
  t = await manager.call('tickets.close', { id: t.id, version: t.version, returnVisit: '满意', satisfaction: 5 })
  host.database.sqlite.prepare('UPDATE tickets SET closed_at = ? WHERE id = ?').run(closedAt, t.id)
}

describe('deal anniversaries and handover +1 month', () => {
  let anniversary: number
  let handover: number
  let theirs: number
  let unit: string
  beforeAll(async () => {
    anniversary = (await client(agentA, '周年甲')).id
    unit = await dealSigned(agentA, anniversary, '2024-09-24T03:00:00Z')
    handover = (await client(agentA, '交房乙', { tier: 'vip' })).id
    await handedOver(handover, agentAId, agentA, '2026-08-25T04:00:00Z')
    theirs = (await client(agentB, '别人周年')).id
    await dealSigned(agentB, theirs, '2025-09-23T03:00:00Z')
    // a deal signed this year and a handover too long ago: no occasion this week
    await dealSigned(agentA, (await client(agentA, '今年签约')).id, '2026-03-01T03:00:00Z')
    await handedOver((await client(agentA, '早交房')).id, agentAId, agentA, '2026-07-01T04:00:00Z')
  })

  it('the owner sees their anniversaries and handover calls, soonest first, with the greeting filled in', async () => {
    const r = await agentA.call('care.milestones', {})
    expect(r.today).toBe('2026-09-22')
    expect(r.rows.map((x) => [x.name, x.occasion, x.date, x.daysAway, x.since, x.years])).toEqual([
      ['周年甲', 'dealAnniversary', '2026-09-24', 2, '2024-09-24', 2],
      ['交房乙', 'handoverMonth', '2026-09-25', 3, '2026-08-25', null],
    ])
    expect(r.rows[0]).toMatchObject({ unit, done: null })
    expect(r.rows[0]!.greeting).toContain('周年甲')
    expect(r.rows[0]!.greeting).toContain(`${unit}已满2年`)
    expect(r.rows[0]!.phone).toMatch(/^1370000\d{4}$/)
  })

  it('the manager sees the branch’s, phones masked; another agent only their own; the desk none', async () => {
    const m = await manager.call('care.milestones', {})
    expect(m.rows.map((x) => x.name)).toEqual(['别人周年', '周年甲', '交房乙'])
    expect(m.rows.every((x) => x.phone?.includes('****'))).toBe(true)
    expect((await agentB.call('care.milestones', {})).rows.map((x) => x.clientId)).toEqual([theirs])
    expect(await manager.call('care.milestones', { offset: 2, limit: 1 })).toMatchObject({ total: 3, rows: [{ name: '交房乙' }] })
    expect(await desk.try('care.milestones', {})).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
  })

  it('an item is done (a follow-up) or skipped with a note (none), once; refusals write nothing', async () => {
    const followUps = () => q('SELECT count(*) FROM follow_ups') as number
    const before = followUps()
    await agentA.call('care.skip', { clientId: handover, occasion: 'handoverMonth', date: '2026-09-25', note: '客户在外地，下月再访' })
    expect(followUps()).toBe(before)
    const done = await agentA.call('care.markDone', { clientId: anniversary, occasion: 'dealAnniversary', date: '2026-09-24', channel: 'sms', content: '周年问候' })
    expect(q('SELECT client_id FROM follow_ups WHERE id = ?', done.followUpId)).toBe(anniversary)
    const rows = (await agentA.call('care.milestones', {})).rows
    expect(rows.find((x) => x.clientId === handover)!.done).toEqual({ by: '测试agent', at: clock.now().toISOString(), outcome: 'skipped', channel: null, note: '客户在外地，下月再访' })
    expect(rows.find((x) => x.clientId === anniversary)!.done).toMatchObject({ outcome: 'done', channel: 'sms', note: null })
    const worked = q('SELECT count(*) FROM care_greetings')
    for (const [who, input, expected] of [
      [agentA, { clientId: handover, occasion: 'handoverMonth', date: '2026-09-25', note: '再跳过' }, { code: 'CONFLICT', reason: 'greeting_done' }],
      [agentA, { clientId: anniversary, occasion: 'dealAnniversary', date: '2026-09-25', note: '日期不对' }, { code: 'VALIDATION', reason: 'not_an_occasion' }],
      [agentA, { clientId: anniversary, occasion: 'handoverMonth', date: '2026-09-24', note: '没有交房' }, { code: 'VALIDATION', reason: 'not_an_occasion' }],
      [agentB, { clientId: anniversary, occasion: 'dealAnniversary', date: '2026-09-24', note: '别人的' }, { code: 'FORBIDDEN' }],
      [agentB, { clientId: theirs, occasion: 'dealAnniversary', date: '2026-09-23', note: '' }, { code: 'VALIDATION', field: 'note' }],
    ] as const) {
      expect(await who.try('care.skip', input)).toMatchObject({ ok: false, error: expected })
    }
    expect(await agentA.try('care.markDone', { clientId: handover, occasion: 'handoverMonth', date: '2026-09-25', channel: 'phone', content: '回访' })).toMatchObject({ ok: false, error: { reason: 'greeting_done' } })
    expect(q('SELECT count(*) FROM care_greetings')).toBe(worked)
    expect(followUps()).toBe(before + 1)
    expect(await agentA.try('system.ping', {})).toMatchObject({ ok: true })
  })

  it('the list exports for the SMS tool as the viewer sees it (masked), with the words, audited; nothing sent', async () => {
    async function sheet(who: ApiClient) {
      const v = await who.call('export.start', { grid: 'care', query: { list: 'milestones' }, reason: '短信群发' })
      const done = v.status === 'running' ? (await host.jobs.finished(v.id), await who.call('export.status', { id: v.id })) : v
      const res = await fetch(`${host.url}${done.download!}`)
      expect(res.status).toBe(200)
      const wb = new ExcelJS.Workbook()
      await wb.xlsx.load(await res.arrayBuffer())
      const lines: string[][] = []
      wb.worksheets[0]!.eachRow({ includeEmpty: false }, (row) => lines.push((row.values as unknown[]).slice(1).map((x) => (x === null || x === undefined ? '' : String(x)))))
      return lines
    }
    const m = await sheet(manager)
    expect(m[1]).toEqual(['客户编号', '客户', '手机', '场合', '日期', '短信内容', '归属经纪人', '状态'])
    expect(m.slice(2).map((l) => [l[1], l[3], l[4], l[7] ?? ''])).toEqual([
      ['别人周年', '成交周年', '2026-09-23', ''],
      ['周年甲', '成交周年', '2026-09-24', '已问候'],
      ['交房乙', '交房满月', '2026-09-25', '已跳过'],
    ])
    expect(m.slice(2).every((l) => l[2]!.includes('****'))).toBe(true)
    expect(m[3]![5]).toContain('已满2年')
    const a = await sheet(agentA)
    expect(a.slice(2).map((l) => l[1])).toEqual(['周年甲', '交房乙'])
    expect(a[2]![2]).toMatch(/^1370000\d{4}$/)
    expect(q(`SELECT count(*) FROM audit_log WHERE action = 'export.start'`)).toBe(2)
    // a holiday that is not on that date is refused like the list refuses it
    expect(await manager.try('export.start', { grid: 'care', query: { list: 'holiday', holiday: 'midAutumn', date: '2026-09-26' } })).toMatchObject({ ok: false, error: { reason: 'not_an_occasion' } })
  })
})

describe('greeting templates', () => {
  it('the manager edits an occasion’s words; lists fill them; unknown placeholders are refused; null restores the default', async () => {
    await client(agentA, '寿星丙', { birthDate: '1966-09-23' })
    const { templates, placeholders } = await agentA.call('care.templates', {})
    expect(placeholders).toContain('姓名')
    expect(templates.find((t) => t.occasion === 'birthday')).toMatchObject({ edited: false })
    expect(await agentA.try('care.setTemplate', { occasion: 'birthday', text: '{姓名}生日快乐' })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
    expect(await manager.try('care.setTemplate', { occasion: 'birthday', text: '{名字}生日快乐' })).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'text', reason: 'unknown_placeholder', params: { name: '名字' } } })
    expect((await manager.call('care.templates', {})).templates.find((t) => t.occasion === 'birthday')!.edited).toBe(false)
    expect(await manager.call('care.setTemplate', { occasion: 'birthday', text: '{姓名}，生日快乐！——{经纪人}' })).toEqual({ occasion: 'birthday', text: '{姓名}，生日快乐！——{经纪人}', edited: true })
    const row = (await agentA.call('care.birthdays', {})).rows.find((x) => x.name === '寿星丙')!
    expect(row.greeting).toBe('寿星丙，生日快乐！——测试agent')
    const h = await agentA.call('care.holidayClients', { holiday: 'midAutumn', date: '2026-09-25' })
    expect(h.rows[0]!.greeting).toContain('中秋节快乐')
    await manager.call('care.setTemplate', { occasion: 'birthday', text: null })
    expect((await agentA.call('care.birthdays', {})).rows.find((x) => x.name === '寿星丙')!.greeting).toBe('祝您生日快乐，身体健康，万事如意！')
  })
})

describe('policy news to a segment', () => {
  it('each owner agent gets a task per client of theirs in the segment, and one notice', async () => {
    await client(agentA, '新政甲', { tier: 'vip', region: '滨江' })
    await client(agentA, '新政乙', { tier: 'vip', region: '滨江' })
    await client(agentB, '新政丙', { tier: 'vip', region: '滨江' })
    await client(agentB, '新政外', { tier: 'normal', region: '滨江' })
    const segment = { tiers: ['vip' as const], regions: ['滨江'] }
    expect(await manager.call('care.segmentCount', { segment })).toEqual({ clients: 3, agents: 2, unowned: 0 })
    const notices = (id: number) => q(`SELECT count(*) FROM notifications WHERE staff_id = ? AND title_key = 'notice.policy'`, id)
    const r = await manager.call('care.policyNews', { segment, text: '公积金贷款额度上调', dueDate: '2026-09-24' })
    expect(r).toMatchObject({ clients: 3, agents: 2 })
    const tasks = host.database.sqlite.prepare(`SELECT staff_id, detail, due_at FROM tasks WHERE rule = 'policy' ORDER BY id`).all()
    expect(tasks).toEqual([
      { staff_id: agentAId, detail: '新政甲', due_at: '2026-09-24T10:00:00.000Z' },
      { staff_id: agentAId, detail: '新政乙', due_at: '2026-09-24T10:00:00.000Z' },
      { staff_id: agentBId, detail: '新政丙', due_at: '2026-09-24T10:00:00.000Z' },
    ])
    expect([notices(agentAId), notices(agentBId)]).toEqual([1, 1])
    const mine = await agentA.call('tasks.list', { status: 'open' })
    expect(mine.rows.filter((t) => t.rule === 'policy').map((t) => t.title)).toEqual([
      { key: 'task.policyTyped', params: { text: '公积金贷款额度上调' } },
      { key: 'task.policyTyped', params: { text: '公积金贷款额度上调' } },
    ])
    expect(q(`SELECT count(*) FROM audit_log WHERE action = 'care.policyNews'`)).toBe(1)
  })

  it('refuses an empty segment, a past due day and a non-manager; nothing is written', async () => {
    const before = q(`SELECT count(*) FROM tasks WHERE rule = 'policy'`)
    expect(await manager.try('care.policyNews', { segment: { regions: ['无此区'] }, text: '新政', dueDate: '2026-09-24' })).toMatchObject({ ok: false, error: { reason: 'segment_empty' } })
    expect(await manager.try('care.policyNews', { segment: {}, text: '新政', dueDate: '2026-09-21' })).toMatchObject({ ok: false, error: { field: 'dueDate', reason: 'due_range' } })
    expect(await agentA.try('care.policyNews', { segment: {}, text: '新政', dueDate: '2026-09-24' })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
    expect(await agentA.try('care.segmentCount', { segment: {} })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
    expect(q(`SELECT count(*) FROM tasks WHERE rule = 'policy'`)).toBe(before)
    expect(q('SELECT count(*) FROM policy_news')).toBe(1)
    expect(await manager.try('system.ping', {})).toMatchObject({ ok: true })
  })
})
