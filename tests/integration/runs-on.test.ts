import { unitSheetBase64 } from '../helpers/unit-sheet'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { contract, METHOD_NAMES, type MethodName } from '@shared/contract'
import { ApiClient } from '@shared/contract/client'
import { Dispatcher } from '../../electron/host/api/dispatcher'
import { createHandlers } from '../../electron/host/api/handlers'
import { inProcessTransport } from '../../electron/host/api/in-process-transport'
import { runsOn, type ReadMethodName } from '../../electron/host/api/runs-on'
import { ManualClock } from '../../electron/host/clock'
import { SignInGuard } from '../../electron/host/domains/auth/sign-in-guard'
import type { Host } from '../../electron/host/host'
import { adminClient, staffClient, STAFF_PASSWORD } from '../helpers/staff'
import { startTempHost } from '../helpers/temp-host'
import { checkImport } from '../helpers/import-check'

let host: Host & { cleanup(): Promise<void> }
let clock: ManualClock
const as: Record<'admin' | 'manager' | 'agent' | 'desk', ApiClient> = {} as never
let agentName = ''
const ids = { client: 0, need: 0, viewing: 0, project: 0, unit: 0, expiredUnit: 0, liveUnit: 0, agent: 0, job: 0, export: 0, import: 0, ticket: 0, event: 0 }

function oneRowWorkbook(): Promise<string> {
  return unitSheetBase64(['101', '102', '103'].map((number, i) => ({ building: '1号楼', floor: 1, number, layout: '3室2厅', area: 98.5, orientation: '南北', listPrice: 5_000_000 + i * 100_000 })))
}

beforeAll(async () => {
  clock = new ManualClock(new Date('2026-11-02T01:00:00.000Z'))
  host = await startTempHost({ clock })
  as.admin = await adminClient(host)
  as.manager = (await staffClient(host, as.admin, 'manager', 'ro-mgr')).client
  const agent = await staffClient(host, as.admin, 'agent', 'ro-agent')
  as.agent = agent.client
  ids.agent = agent.staff.id
  agentName = agent.staff.username
  as.desk = (await staffClient(host, as.admin, 'front_desk', 'ro-desk')).client
  // a finished rules pass on the empty book, before anything it could change exists
  ids.job = (await as.manager.call('scheduler.run', {})).jobId
  await host.jobs.finished(ids.job)
  ids.client = (await as.agent.call('clients.create', { kind: 'person', name: '读者甲', phones: [{ number: '13811112222' }], sourceChannel: 'walk_in' })).id
  ids.need = (await as.agent.call('needs.create', { clientId: ids.client, kind: 'residential', regions: ['徐汇'], bedroomsMin: 3 })).id
  ids.viewing = (await as.agent.call('viewings.book', { clientId: ids.client, address: '世纪公园1号楼1201', startsAt: '2026-11-03T02:00:00.000Z' })).id
  await as.agent.call('cards.issue', { clientId: ids.client, read: { uid: '04A1B2C3D4' } })
  ids.ticket = (await as.agent.call('tickets.create', { clientId: ids.client, categoryId: 1, channel: 'phone', content: '看房时经纪人迟到' })).id
  ids.project = (await as.manager.call('projects.create', { name: '滨江壹号', district: '浦东' })).id
  const upload = await as.manager.call('imports.upload', { fileName: '客户.csv', chunkBase64: Buffer.from('姓名,电话\n读者乙,13811113333\n丙,123\n').toString('base64'), last: true })
  ids.import = (await checkImport(host, as.manager, upload.importId)).id
  await as.manager.call('units.import', { projectId: ids.project, fileBase64: await oneRowWorkbook() })
  const units = (await as.manager.call('board.get', { projectId: ids.project })).units
  ids.unit = units[0]!.id
  ids.expiredUnit = units[1]!.id
  await as.agent.call('units.reserve', { unitId: ids.unit, clientId: ids.client, deposit: 2_000_000, receiptNo: 'R-1', method: 'card' })
  // 小订 that run out: reads see them as over without closing them (only a write or the scheduler does)
  await as.agent.call('units.reserve', { unitId: ids.expiredUnit, clientId: ids.client, deposit: 2_000_000, receiptNo: 'R-2', method: 'card' })
  // the first 小订 is paid on, then runs out too
  clock.advance(49 * 3600_000)
  // the clock moved past the sessions too: everyone signs in again
  as.admin = await adminClient(host)
  for (const [who, username] of [['manager', 'ro-mgr'], ['agent', 'ro-agent'], ['desk', 'ro-desk']] as const) {
    as[who] = host.client()
    await as[who].call('auth.login', { username, password: STAFF_PASSWORD })
  }
  // a 小订 still live, for the reads about a deal being worked (units.quote)
  ids.liveUnit = (await as.manager.call('board.get', { projectId: ids.project })).units[2]!.id
  await as.agent.call('units.reserve', { unitId: ids.liveUnit, clientId: ids.client, deposit: 2_000_000, receiptNo: 'R-3', method: 'card' })
  ids.export = (await as.agent.call('export.start', { grid: 'clients', query: {} })).id
  // a subscription day with a group called whose countdown has run out: reads show the next group without writing it
  await as.agent.call('subscription.issueCard', { projectId: ids.project, clientId: ids.client, deposit: 100_000, receiptNo: 'YX-1', method: 'cash', wishes: [ids.expiredUnit] })
  await as.agent.call('subscription.issueCard', { projectId: ids.project, clientId: ids.client, deposit: 100_000, receiptNo: 'YX-2', method: 'cash' })
  ids.event = (await as.manager.call('subscription.createEvent', { projectId: ids.project, name: '开盘日', days: ['2026-11-04'], unitIds: [ids.expiredUnit], groupSize: 1, minutesPerGroup: 15 })).id
  await as.manager.call('subscription.callNext', { eventId: ids.event })
  // card 1 picks (its 认购书 is a read), then group 1's time runs out
  await as.desk.call('subscription.checkIn', { eventId: ids.event, cardNo: 1 })
  await as.agent.call('subscription.pick', { eventId: ids.event, cardNo: 1, unitId: ids.expiredUnit })
  clock.advance(16 * 60_000)
})
afterAll(() => host.cleanup())

const day = '2026-11-04'
const from = '2026-11-01T00:00:00.000Z'
const to = '2026-11-30T00:00:00.000Z'

/** One real call of every read method placed on a reader: who calls it, with what. */
const READER_CALLS: () => Partial<Record<ReadMethodName, [keyof typeof as, unknown]>> = () => ({
  'auth.whoami': ['agent', {}],
  'subscription.cards': ['desk', { projectId: ids.project }],
  'subscription.events': ['desk', {}],
  'subscription.summary': ['manager', { eventId: ids.event }],
  'subscription.agreement': ['agent', { eventId: ids.event, cardNo: 1 }],
  'staff.list': ['manager', {}],
  'staff.get': ['manager', { id: ids.agent }],
  'audit.list': ['admin', {}],
  'audit.verify': ['admin', {}],
  'backup.list': ['admin', {}],
  'health.status': ['admin', {}],
  'backup.create': ['admin', {}],
  'system.ping': ['agent', {}],
  'system.tls': ['admin', {}],
  'system.standby': ['agent', {}],
  'clients.search': ['desk', { q: '13811112222' }],
  'clients.list': ['agent', {}],
  'clients.get': ['admin', { id: ids.client }],
  'clients.checkDuplicate': ['desk', { phones: ['13811112222'] }],
  'clients.revealPhones': ['agent', { id: ids.client, reason: '回访' }],
  'clients.regionTree': ['agent', {}],
  'needs.list': ['agent', { clientId: ids.client }],
  'needs.history': ['agent', { id: ids.need }],
  'prefs.get': ['agent', { key: 'grid.cols' }],
  'followups.list': ['agent', { clientId: ids.client }],
  'questionnaires.list': ['agent', {}],
  'viewings.calendar': ['agent', { from, to }],
  'viewings.list': ['agent', { clientId: ids.client }],
  'viewings.sheet': ['desk', { id: ids.viewing }],
  'tasks.today': ['agent', {}],
  'tasks.list': ['agent', {}],
  'tasks.team': ['manager', {}],
  'notifications.list': ['agent', {}],
  'pool.list': ['agent', {}],
  'duty.get': ['manager', { day }],
  'settings.getRules': ['manager', {}],
  'reports.lostReasons': ['manager', { from, to }],
  'reports.kpis': ['manager', { from, to }],
  'reports.kpiTrend': ['manager', { periods: [{ from, to }], subject: { kind: 'branch' } }],
  'reports.kpiTargets': ['agent', {}],
  'reports.funnel': ['manager', { from, to }],
  'reports.followUpsVsDeals': ['manager', { from, to }],
  'reports.sla': ['manager', { from, to }],
  'reports.pool': ['manager', { from, to }],
  'reports.responseTimes': ['manager', { from, to }],
  'reports.conversion': ['manager', { from, to }],
  'reports.traffic': ['manager', { from, to }],
  'reports.board': ['manager', { from, to }],
  'reports.club': ['manager', { from, to }],
  'reports.districts': ['manager', { from, to }],
  'reports.dataUse': ['admin', { from, to }],
  'cards.list': ['agent', { clientId: ids.client }],
  'club.standing': ['agent', { clientId: ids.client }],
  'club.ledger': ['agent', { clientId: ids.client }],
  'club.levels': ['agent', {}],
  'club.previewLevels': ['manager', { levels: [{ name: '普通', minPoints: 0, discountPermille: 0 }], rule: 'purchases' }],
  'activities.list': ['agent', {}],
  'projects.list': ['agent', {}],
  'units.template': ['manager', {}],
  'units.quote': ['agent', { unitId: ids.liveUnit }],
  'board.get': ['agent', { projectId: ids.project }],
  'board.units': ['agent', { projectId: ids.project, unitIds: [ids.unit, ids.expiredUnit] }],
  'board.published': ['agent', { projectId: ids.project }],
  'payments.list': ['agent', { unitId: ids.expiredUnit }],
  'payments.overdue': ['manager', {}],
  'changes.list': ['manager', {}],
  'changes.getSteps': ['manager', {}],
  'finance.todos': ['manager', {}],
  'board.getPalette': ['manager', {}],
  'matching.unitsForClient': ['agent', { clientId: ids.client }],
  'matching.clientsForUnit': ['agent', { unitId: ids.unit }],
  'jobs.get': ['manager', { id: ids.job }],
  'jobs.list': ['manager', {}],
  'imports.rows': ['manager', { importId: ids.import, verdict: 'refuse' }],
  'imports.get': ['manager', { importId: ids.import }],
  'imports.errors': ['manager', { importId: ids.import }],
  'campaigns.list': ['agent', {}],
  'campaigns.figures': ['manager', {}],
  'devices.list': ['admin', {}],
  'collab.inbox': ['agent', {}],
  'export.status': ['agent', { id: ids.export }],
  'export.getSettings': ['agent', {}],
  'care.holidays': ['agent', {}],
  'care.birthdays': ['manager', {}],
  'care.holidayClients': ['manager', { holiday: 'newYear', date: '2027-01-01' }],
  'care.milestones': ['manager', {}],
  'care.templates': ['agent', {}],
  'cases.search': ['agent', { project: '苑', areaMin: 1, priceMax: 100_000_000_00, from: '2026-01-01', to: '2026-12-31' }],
  'care.segmentCount': ['manager', { segment: { tiers: ['vip'] } }],
  'calendar.range': ['manager', { from: '2026-11-01', to: '2026-12-13', team: true }],
  'surveys.templates': ['agent', {}],
  'surveys.responses': ['agent', { clientId: ids.client }],
  'surveys.summary': ['manager', { setId: 2, from: '2026-01-01T00:00:00.000Z', to: '2027-01-01T00:00:00.000Z' }],
  'tickets.categories': ['agent', {}],
  'tickets.list': ['manager', {}],
  'tickets.get': ['manager', { id: ids.ticket }],
})

const readMethods = METHOD_NAMES.filter((m) => !contract[m].write) as ReadMethodName[]
const onReader = readMethods.filter((m) => runsOn(m, {}) === 'reader')

describe('every method runs on the side that fits it', () => {
  it('every method is placed: writes on the writer, reads on a reader unless listed', () => {
    for (const m of METHOD_NAMES) expect(['reader', 'writer'], m).toContain(runsOn(m, {}))
    for (const m of METHOD_NAMES.filter((x) => contract[x].write)) expect(runsOn(m, {}), m).toBe('writer')
    expect(Object.keys(READER_CALLS()).sort()).toEqual([...onReader].sort())
  })

  it('every read method placed on a reader answers from a query-only connection, and writes nothing there', async () => {
    const expiredBefore = host.database.sqlite.prepare(`SELECT count(*) FROM unit_transactions WHERE closed_reason = 'expired'`).pluck().get()
    const calls = READER_CALLS()
    for (const m of onReader) {
      const [who, input] = calls[m]!
      const r = await as[who].try(m as MethodName, input as never)
      // a write on a reader fails with SQLITE_READONLY, answered DB_READ_ONLY: any failure fails here
      expect(r, m).toMatchObject({ ok: true })
    }
    // the 小订 that ran out is still open in the table (payments.list saw it as over without closing it)
    expect(host.database.sqlite.prepare(`SELECT count(*) FROM unit_transactions WHERE closed_reason = 'expired'`).pluck().get()).toBe(expiredBefore)
    // the reads that are on the record left their rows, written on the writer
    const audited = host.database.sqlite.prepare(`SELECT action FROM audit_log WHERE action IN ('clients.get', 'clients.revealPhones', 'viewings.sheet', 'clients.phoneLookup')`).pluck().all()
    expect(new Set(audited)).toEqual(new Set(['clients.get', 'clients.revealPhones', 'viewings.sheet', 'clients.phoneLookup']))
  })

  it('every read method placed on the writer does write: given only query-only connections, each fails DB_READ_ONLY', async () => {
    // a dispatcher whose "writer" is a reader: each call placed on the writer meets a query-only connection
    const readOnly = new Dispatcher({
      db: { writer: host.pool.reader, reader: host.pool.reader },
      clock: host.clock,
      events: host.events,
      handlers: createHandlers({ guard: new SignInGuard(host.clock) }),
      auditLog: host.auditLog,
      log: () => {},
    })
    const agent = new ApiClient(inProcessTransport(readOnly), as.agent.token)
    const admin = new ApiClient(inProcessTransport(readOnly), as.admin.token)
    const desk = new ApiClient(inProcessTransport(readOnly), as.desk.token)
    const onWriter: Partial<Record<ReadMethodName, [ApiClient, unknown]>> = {
      'auth.login': [new ApiClient(inProcessTransport(readOnly)), { username: agentName, password: STAFF_PASSWORD }],
      'auth.logout': [agent, {}],
      'prefs.set': [agent, { key: 'grid.cols', value: [1, 2] }],
      'notifications.markRead': [agent, { all: true }],
      'cards.identify': [agent, { read: { uid: '04A1B2C3D4' }, log: true }],
      // group 1's countdown ran out (beforeAll): the console and the lobby display close it as they read
      'subscription.event': [desk, { eventId: ids.event }],
      'subscription.lobby': [agent, { eventId: ids.event }],
    }
    expect(Object.keys(onWriter).sort()).toEqual(readMethods.filter((m) => runsOn(m, {}) === 'writer').sort())
    for (const [m, [c, input]] of Object.entries(onWriter)) {
      expect(await c.try(m as MethodName, input as never), m).toMatchObject({ ok: false, error: { code: 'DB_READ_ONLY' } })
    }
    // audit.list is on the writer when it searches by number (the search is logged first, and listed)
    expect(runsOn('audit.list', { number: '13811112222' })).toBe('writer')
    expect(await admin.try('audit.list', { number: '13811112222' })).toMatchObject({ ok: false, error: { code: 'DB_READ_ONLY' } })
    // and the real host still answers every one of them
    expect((await as.agent.try('prefs.set', { key: 'grid.cols', value: [1, 2] })).ok).toBe(true)
    expect(await as.desk.call('subscription.event', { eventId: ids.event })).toMatchObject({ event: { status: 'running', group: 2 }, queue: [{ cardNo: 1, state: 'picked' }, { cardNo: 2, state: 'waiting' }] })
  })
})
