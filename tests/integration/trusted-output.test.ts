import { unitSheetBase64 } from '../helpers/unit-sheet'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { contract, type MethodName } from '@shared/contract'
import type { ApiClient } from '@shared/contract/client'
import { TRUSTED_OUTPUTS } from '../../electron/host/api/trusted-output'
import { ManualClock } from '../../electron/host/clock'
import type { Host } from '../../electron/host/host'
import { adminClient, staffClient } from '../helpers/staff'
import { startTempHost } from '../helpers/temp-host'

// The dispatcher hands the answers of TRUSTED_OUTPUTS on unparsed. That is only safe while the
// output schema's parse of a real answer is the answer itself: nothing stripped (an extra key
// such as a full phone), defaulted, transformed or refused. Each method is called here by every
// role that may, on data that fills every part of its answer, and the parse is compared.

let host: Host & { cleanup(): Promise<void> }
let clock: ManualClock
const as: Record<'admin' | 'manager' | 'agent' | 'other' | 'desk', ApiClient> = {} as never
const ids = { own: 0, org: 0, colleagues: 0, project: 0 }

function workbook(): Promise<string> {
  const rows = [1, 2, 3].flatMap((floor) =>
    [1, 2, 3].map((n) => ({ building: `${n % 2 ? 1 : 2}号楼`, floor, number: `${floor}0${n}`, layout: '3室2厅', area: 98.5, orientation: '南北', listPrice: 5_000_000 + floor * 10_000, tags: n === 1 ? '江景' : '' })),
  )
  return unitSheetBase64(rows)
}

beforeAll(async () => {
  clock = new ManualClock(new Date('2026-11-02T01:00:00.000Z'))
  host = await startTempHost({ clock })
  as.admin = await adminClient(host)
  as.manager = (await staffClient(host, as.admin, 'manager', 'to-mgr')).client
  as.agent = (await staffClient(host, as.admin, 'agent', 'to-agent')).client
  as.other = (await staffClient(host, as.admin, 'agent', 'to-other')).client
  as.desk = (await staffClient(host, as.admin, 'front_desk', 'to-desk')).client
  ids.own = (
    await as.agent.call('clients.create', {
      kind: 'person',
      name: '信任甲',
      phones: [{ number: '13811112222' }, { number: '021-62345678' }],
      sourceChannel: 'walk_in',
      tier: 'vip',
      region: '浦东',
      community: '世纪公园',
    })
  ).id
  ids.org = (await as.agent.call('clients.create', { kind: 'org', name: '信任实业有限公司', phones: [{ number: '13811113333' }], sourceChannel: 'phone' })).id
  ids.colleagues = (await as.other.call('clients.create', { kind: 'person', name: '信任乙', phones: [{ number: '13911114444' }], sourceChannel: 'walk_in' })).id
  await as.agent.call('followups.create', {
    clientId: ids.own,
    channel: 'phone',
    content: '约看房',
    stageTo: 'intent',
    nextAction: '回电确认时间',
    nextDueAt: '2026-11-02T06:00:00.000Z',
  })
  await as.agent.call('viewings.book', { clientId: ids.own, address: '世纪公园1号楼1201', startsAt: '2026-11-03T06:00:00.000Z' })
  ids.project = (await as.manager.call('projects.create', { name: '信任壹号', district: '浦东' })).id
  await as.manager.call('units.import', { projectId: ids.project, fileBase64: await workbook() })
  const units = (await as.manager.call('board.get', { projectId: ids.project })).units
  await as.agent.call('units.reserve', { unitId: units[0]!.id, clientId: ids.own, deposit: 2_000_000, receiptNo: 'R-1', method: 'card' })
  // a day on: the file-and-needs task of yesterday's clients is overdue, the next action due
  clock.advance(26 * 3600_000)
  await host.scheduler.runOnce()
  for (const [who, username] of [['manager', 'to-mgr'], ['agent', 'to-agent'], ['other', 'to-other'], ['desk', 'to-desk']] as const) {
    as[who] = host.client()
    await as[who].call('auth.login', { username, password: 'staff-pass-123' })
  }
  as.admin = await adminClient(host)
})
afterAll(() => host.cleanup())

/** Real calls of each trusted method: who, with what. Every trusted method must appear. */
const CALLS: () => Record<string, Array<[keyof typeof as, unknown]>> = () => ({
  'system.ping': [['desk', {}]],
  'clients.search': [
    ['agent', { q: '信任' }],
    ['other', { q: '信任' }],
    ['desk', { q: '13811112222' }],
    ['desk', { q: '2222' }],
    ['manager', { q: 'xr' }],
    ['admin', { q: '信任实业' }],
  ],
  'clients.get': [
    ['agent', { id: ids.own }],
    ['agent', { id: ids.org }],
    ['other', { id: ids.own }],
    ['desk', { id: ids.own }],
    ['manager', { id: ids.colleagues }],
    ['admin', { id: ids.own }],
  ],
  'clients.list': [
    ['agent', {}],
    ['other', { view: 'team' }],
    ['manager', { sort: { field: 'name', dir: 'asc' } }],
    ['desk', {}],
  ],
  'tasks.today': [['agent', {}], ['other', {}], ['manager', {}]],
  'board.get': [['agent', { projectId: ids.project }], ['manager', { projectId: ids.project }], ['desk', { projectId: ids.project }]],
})

describe('trusted outputs: the answer handed on unparsed is what parsing it would give', () => {
  it('lists only read methods, each with calls below', () => {
    const calls = CALLS()
    for (const m of TRUSTED_OUTPUTS) {
      expect(contract[m].write, m).toBe(false)
      expect(calls[m]?.length ?? 0, m).toBeGreaterThan(0)
    }
  })

  for (const m of TRUSTED_OUTPUTS) {
    it(`${m}: every role's answer survives its output schema unchanged`, async () => {
      let filled = 0
      for (const [who, input] of CALLS()[m]!) {
        const r = await as[who].try(m as MethodName, input as never)
        if (!r.ok) {
          // a role refused this method answers FORBIDDEN; nothing else may fail here
          expect(r.error.code, `${m} as ${who}`).toBe('FORBIDDEN')
          continue
        }
        const parsed = contract[m].output.safeParse(r.value)
        expect(parsed.success, `${m} as ${who}: ${parsed.success ? '' : parsed.error.message}`).toBe(true)
        expect(parsed.data, `${m} as ${who}`).toStrictEqual(r.value)
        if (JSON.stringify(r.value).length > 60) filled++
      }
      // the data behind the calls is not empty: at least one answer carries rows
      if (m !== 'system.ping') expect(filled, m).toBeGreaterThan(0)
    })
  }

  it('tasks.today and board.get answers carry what they can (the fixture reaches every part)', async () => {
    const today = await as.agent.call('tasks.today', {})
    expect(today.overdue.length + today.due.length).toBeGreaterThan(0)
    expect(today.viewings.length).toBeGreaterThan(0)
    const board = await as.manager.call('board.get', { projectId: ids.project })
    expect(board.units.some((u) => u.status !== 'available')).toBe(true)
  })
})
