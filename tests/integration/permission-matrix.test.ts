import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ManualClock } from '../../electron/host/clock'
import type { Host } from '../../electron/host/host'
import { METHOD_NAMES, type InputOf, type MethodName } from '@shared/contract'
import type { ApiClient } from '@shared/contract/client'
import type { Result } from '@shared/contract/common'
import { mayCall, PERMISSIONS } from '@shared/domain/permissions'
import { ROLES, type Role } from '@shared/domain/roles'
import { adminClient, STAFF_PASSWORD } from '../helpers/staff'
import { ADMIN_PASSWORD, startTempHost } from '../helpers/temp-host'
import { unitSheetBase64, type UnitSheetRow } from '../helpers/unit-sheet'
import { MATRIX_ROLES, PERMISSION_MATRIX, type Cell } from './permission-matrix'
import { checkImport } from '../helpers/import-check'

// Every method, called as every role about a colleague's work, against the reviewed table in
// permission-matrix.ts (see there what allowed, denied and masked mean). The colleague is an
// agent of team 一组 ("the owner"); each call is also made as the owner, and "masked" is an
// answer holding less of the owner's work than the owner's own answer does. Writes get fresh
// work of the owner's for each caller, so no call depends on what an earlier one changed.

/** Who calls: a role of the matrix, or the colleague whose work the calls are about. */
type Caller = Role | 'owner'

interface Person {
  client: ApiClient
  id: number
  username: string
}

/** A text planted in the owner's work; which kinds of them an answer holds tells how much it shows. */
type MarkerKind = 'name' | 'address' | 'need' | 'followUp' | 'feedback' | 'comment' | 'price'

/** The owner's client and the work around it. */
interface OwnedClient {
  id: number
  version: number
  name: string
  phone: string
  region: string
}

const DISTRICT = '权限区'
/** Phones of the owner's clients: no answer to anyone else may hold one in full (but clients.revealPhones). */
const OWNED_PHONE = /1391\d{7}/
/** A deal's agreed price (fen): below the list price, so only those who see the deal see it. */
const DEAL_PRICE = 987_654_299
const LIST_PRICE_YUAN = 9_876_543

/** The host, the people, and builders of the owner's work, each planting its markers in the current call's scope. */
class World {
  private serial = 0
  private ownerPhones = 0
  /** the markers of the work the current call is about */
  scope: Array<{ kind: MarkerKind; text: string }> = []
  private units: number[] = []
  subjectWork!: Awaited<ReturnType<World['buildSubject']>>

  constructor(
    readonly host: Host,
    readonly clock: ManualClock,
    readonly people: Record<Caller | 'third', Person>,
    readonly projectId: number,
  ) {}

  get owner() {
    return this.people.owner.client
  }
  get manager() {
    return this.people.manager.client
  }
  get admin() {
    return this.people.admin.client
  }

  next(): number {
    return ++this.serial
  }

  mark(kind: MarkerKind, text: string): void {
    this.scope.push({ kind, text })
  }

  /** The next unit of the project that nobody has touched. */
  unit(): number {
    const u = this.units.shift()
    if (u === undefined) throw new Error('the matrix ran out of units: import more')
    return u
  }

  async loadUnits(): Promise<void> {
    this.units = (await this.manager.call('board.get', { projectId: this.projectId })).units.map((u) => u.id)
  }

  /** The branch's day (Shanghai) now, YYYY-MM-DD. */
  today(): string {
    return new Date(this.clock.now().getTime() + 8 * 3_600_000).toISOString().slice(0, 10)
  }

  /** An ISO time `hours` from now. */
  at(hours: number): string {
    return new Date(this.clock.now().getTime() + hours * 3_600_000).toISOString()
  }

  /** A fresh slot for a booked viewing: the owner's bookings may not overlap. */
  slot(): string {
    return this.at(24 + this.next() * 2)
  }

  /**
   * A new client of the owner's (a pool client when `pool`: created by the owner and handed back).
   * Whole phone numbers are rate-limited per user (20 a minute, 200 an hour): the clock moves on
   * between batches so the owner never meets the limit.
   */
  async client(opts: { pool?: boolean; birthDate?: string } = {}): Promise<OwnedClient> {
    if (++this.ownerPhones % 18 === 0) this.clock.advance(7 * 60_000)
    const n = this.next()
    const name = `测客${n}号`
    const address = `密址${n}号`
    const phone = `${opts.pool ? '1371' : '1391'}${String(n).padStart(7, '0')}`
    const region = `区${n}`
    const c = await this.owner.call('clients.create', { kind: 'person', name, address, phones: [{ number: phone }], sourceChannel: 'walk_in', region, birthDate: opts.birthDate ?? null })
    if (opts.pool) {
      await this.owner.call('pool.release', { clientId: c.id, reason: '交回公客池' })
      return { id: c.id, version: c.version + 1, name, phone, region }
    }
    this.mark('name', name)
    this.mark('address', address)
    return { id: c.id, version: c.version, name, phone, region }
  }

  async need(clientId: number) {
    const note = `需求备注${this.next()}`
    const r = await this.owner.call('needs.create', { clientId, kind: 'residential', regions: [DISTRICT], note })
    this.mark('need', note)
    return r
  }

  /** A contact the owner logged. */
  async followUp(clientId: number) {
    const content = `跟进记录${this.next()}`
    await this.owner.call('followups.create', { clientId, channel: 'phone', content })
    this.mark('followUp', content)
  }

  /** An open task of the owner's about the client (a new client's 建档并确认需求). */
  task(clientId: number): number {
    const id = this.host.database.sqlite
      .prepare(`SELECT id FROM tasks WHERE client_id = ? AND staff_id = ? AND status = 'open' ORDER BY id LIMIT 1`)
      .pluck()
      .get(clientId, this.people.owner.id) as number | undefined
    if (id === undefined) throw new Error(`the owner has no open task about client ${clientId}`)
    return id
  }

  /** A viewing the owner booked; with feedback, one that took place and was recorded. */
  async viewing(clientId: number, opts: { done?: boolean } = {}) {
    const v = await this.owner.call('viewings.book', { clientId, address: '看房地址一号', startsAt: opts.done ? this.at(-0.2) : this.slot() })
    if (!opts.done) return v
    const feedback = `看房反馈${this.next()}`
    this.mark('feedback', feedback)
    return this.owner.call('viewings.record', { id: v.id, version: v.version, status: 'done', feedback })
  }

  uid(): string {
    return `04${this.next().toString(16).toUpperCase().padStart(12, '0')}`
  }

  async card(clientId: number) {
    return this.owner.call('cards.issue', { clientId, read: { uid: this.uid() } })
  }

  /** A manager's points adjustment on the client: a ledger entry to read or reverse. */
  async ledgerEntry(clientId: number) {
    await this.manager.call('club.adjust', { clientId, delta: 100, reason: '积分调整' })
    return (await this.manager.call('club.ledger', { clientId })).rows[0]!.id
  }

  /** A 小订 by the owner for the client; `pledged` moves it to 认筹 at DEAL_PRICE. */
  async deal(clientId: number, opts: { pledged?: boolean } = {}) {
    const unitId = this.unit()
    await this.owner.call('units.reserve', { unitId, clientId, deposit: 100, receiptNo: `R${this.next()}`, method: 'cash' })
    if (opts.pledged) {
      await this.owner.call('units.advance', { unitId, to: 'pledge', price: DEAL_PRICE })
      this.mark('price', String(DEAL_PRICE))
    }
    return unitId
  }

  /** A price change the owner asked for on a unit, pending. */
  async change(unitId: number) {
    const comment = `变更说明${this.next()}`
    const r = await this.owner.call('changes.request', { kind: 'price', unitId, payload: { listPrice: 1_000_000_00 }, comment })
    this.mark('comment', comment)
    return r
  }

  /** An open refund to-do for finance: a 小订 released with its deposit paid. */
  async financeTodo() {
    const unitId = await this.deal((await this.client()).id)
    await this.manager.call('units.release', { unitId, reason: '客户放弃' })
    const todo = (await this.manager.call('finance.todos', { status: 'open' })).todos[0]
    if (!todo) throw new Error('a released 小订 left no refund to-do')
    return todo
  }

  /** A VIP card the owner issued in the shared project for a new client of theirs. */
  async vipCard() {
    const client = await this.client()
    return this.owner.call('subscription.issueCard', { projectId: this.projectId, clientId: client.id, deposit: 100, receiptNo: `V${this.next()}`, method: 'cash' })
  }

  /**
   * A subscription event of its own project (one open event a project): one unit, one VIP card of
   * the owner's client wishing for it; `stage` says how far the manager has taken it.
   */
  async vipEvent(stage: 'setup' | 'committed' | 'ready' | 'running' | 'present', orderBy: 'card' | 'draw' = 'card') {
    const n = this.next()
    const projectId = (await this.manager.call('projects.create', { name: `认购苑${n}` })).id
    await this.manager.call('units.import', {
      projectId,
      fileBase64: await unitSheetBase64([{ building: '1号楼', floor: 1, number: '101', layout: '3室2厅', area: 98.5, orientation: '南北', listPrice: LIST_PRICE_YUAN }]),
    })
    const unitId = (await this.manager.call('board.get', { projectId })).units[0]!.id
    const clientId = (await this.client()).id
    const card = await this.owner.call('subscription.issueCard', { projectId, clientId, deposit: 100, receiptNo: `V${this.next()}`, method: 'cash', wishes: [unitId] })
    if (stage === 'setup' || stage === 'committed') orderBy = 'draw'
    const event = await this.manager.call('subscription.createEvent', { projectId, name: `开盘${n}`, days: [this.today()], unitIds: [unitId], orderBy })
    if (stage === 'committed') await this.manager.call('subscription.commitDraw', { eventId: event.id })
    if (stage === 'running' || stage === 'present') await this.manager.call('subscription.callNext', { eventId: event.id })
    if (stage === 'present') await this.manager.call('subscription.checkIn', { eventId: event.id, cardNo: card.cardNo })
    return { eventId: event.id, projectId, unitId, cardNo: card.cardNo }
  }

  /** A rehearsal (演练) of the shared project with two generated holders, its first group called when `running`. */
  async rehearsal(stage: 'ready' | 'running') {
    const e = await this.manager.call('subscription.rehearse', { projectId: this.projectId, holders: 2 })
    if (stage === 'running') await this.manager.call('subscription.callNext', { eventId: e.id })
    return { eventId: e.id }
  }

  /** A staff member for admin work on accounts: an agent, or an admin when `role` says so. */
  async staff(role: Role = 'agent') {
    const username = `staff-${this.next()}`
    return this.admin.call('staff.create', { username, name: `员工${this.serial}`, role, team: '三组', password: STAFF_PASSWORD })
  }

  /** One client with all the work around it, built once: what the reading calls are about. */
  async buildSubject() {
    const client = await this.client()
    const task = this.task(client.id)
    const need = await this.need(client.id)
    await this.followUp(client.id)
    const viewing = await this.viewing(client.id, { done: true })
    const card = await this.card(client.id)
    const entry = await this.ledgerEntry(client.id)
    const activity = await this.manager.call('activities.create', { name: '业主答谢会', startsAt: this.at(48), endsAt: this.at(50), points: 10 })
    await this.owner.call('activities.signUp', { activityId: activity.id, clientId: client.id })
    const dealUnit = await this.deal(client.id, { pledged: true })
    const change = await this.change(dealUnit)
    const markers = this.scope
    this.scope = []
    return { client, need, task, viewing, card, entry, activity, dealUnit, change, markers }
  }

  /**
   * A ticket the owner took in for a fresh client of theirs (its content a marker), and as far as
   * `upTo` says: dispatched by the manager to the owner, started, fed back by the owner.
   */
  async ticket(upTo: 'new' | 'dispatched' | 'handling' | 'fed_back' = 'new') {
    const c = await this.client()
    const content = `投诉内容${this.next()}`
    this.mark('comment', content)
    let t = await this.owner.call('tickets.create', { clientId: c.id, categoryId: 1, channel: 'phone', content })
    if (upTo === 'new') return t
    t = await this.manager.call('tickets.dispatch', { id: t.id, version: t.version, assigneeId: this.people.owner.id })
    if (upTo === 'dispatched') return t
    t = await this.owner.call('tickets.start', { id: t.id, version: t.version })
    if (upTo === 'handling') return t
    return this.owner.call('tickets.feedBack', { id: t.id, version: t.version, feedback: '已致电客户道歉并说明处理结果' })
  }

  /** The subject: the same client and work for every caller of a reading call. */
  subject() {
    this.scope.push(...this.subjectWork.markers)
    return this.subjectWork
  }
}

/** How to call one method about the owner's work, as a given caller. */
interface Probe<M extends MethodName> {
  input: (w: World, me: Person) => Promise<InputOf<M>> | InputOf<M>
  /** about the caller themselves (their session, preferences, home screen): nothing of the owner's to hold back */
  self?: true
  /** the call ends or changes the caller's session: made from a new account of the role */
  ownSession?: true
}

type Probes = { [M in MethodName]: Probe<M> }

const PROBES: Probes = {
  'auth.login': { input: (_w, me) => ({ username: me.username, password: STAFF_PASSWORD }), self: true, ownSession: true },
  'auth.logout': { input: () => ({}), self: true, ownSession: true },
  'auth.whoami': { input: () => ({}), self: true },
  'auth.changePassword': { input: () => ({ oldPassword: STAFF_PASSWORD, newPassword: 'another-pass-456' }), self: true, ownSession: true },
  'system.ping': { input: () => ({}), self: true },
  'prefs.get': { input: () => ({ key: 'grid.columns' }), self: true },
  'prefs.set': { input: () => ({ key: 'grid.columns', value: ['name'] }), self: true },

  'staff.list': { input: () => ({}) },
  'staff.get': { input: (w) => ({ id: w.people.owner.id }) },
  'staff.create': { input: (w) => ({ username: `new-${w.next()}`, name: '新员工', role: 'agent', password: STAFF_PASSWORD }) },
  'staff.update': { input: async (w) => ({ id: (await w.staff()).id, version: 0, name: '改名员工' }) },
  'staff.deactivate': { input: async (w) => ({ id: (await w.staff()).id }) },
  'staff.reactivate': {
    input: async (w) => {
      const s = await w.staff()
      await w.admin.call('staff.deactivate', { id: s.id })
      return { id: s.id }
    },
  },
  'staff.resetPassword': { input: async (w) => ({ id: (await w.staff()).id, newPassword: 'reset-pass-789' }) },
  'staff.unlockSignIn': { input: async (w) => ({ id: (await w.staff()).id }) },
  'staff.depart': { input: async (w) => ({ id: (await w.staff()).id }) },

  'audit.list': { input: () => ({ limit: 500 }) },
  'audit.verify': { input: () => ({}) },
  'system.tls': { input: () => ({}) },
  'system.standby': { input: () => ({}), self: true },
  'devices.list': { input: () => ({}) },
  'devices.openPairing': { input: () => ({}) },
  'devices.closePairing': { input: () => ({}) },
  'devices.revoke': { input: async (w) => ({ id: (await w.host.pairing.registry.pair(`终端${w.next()}`, 'terminal', '10.0.0.5')).id }) },
  'devices.setStandby': { input: async (w) => ({ id: (await w.host.pairing.registry.pair(`备机${w.next()}`, 'terminal', '10.0.0.6')).id, standby: true }) },

  // the admin's backup ends before the next probe; the restore puts back one taken just before (nothing written between)
  'backup.list': { self: true, input: () => ({}) },
  'health.status': { self: true, input: () => ({}) },
  'backup.create': {
    self: true,
    input: async (w) => {
      await w.host.backups.whenDone()
      return {}
    },
  },
  'backup.setSettings': { self: true, input: () => ({ everyHours: 24, secondFolder: '' }) },
  'backup.restore': {
    self: true,
    input: async (w) => {
      await w.host.backups.whenDone()
      w.host.backups.start('manual')
      const m = await w.host.backups.whenDone()
      return { name: m!.name }
    },
  },

  // the key changes under the probes that follow (they reach the file through host.database, reopened under the new key)
  'backup.rekey': {
    self: true,
    input: async (w) => {
      await w.host.backups.whenDone()
      return { password: ADMIN_PASSWORD }
    },
  },

  'clients.search': { input: (w) => ({ q: w.subject().client.name }) },
  'clients.list': { input: (w) => ({ filter: { region: w.subject().client.region }, limit: 500 }) },
  'clients.regionTree': { input: () => ({}) },
  'clients.get': { input: (w) => ({ id: w.subject().client.id }) },
  'clients.create': {
    input: (w) => {
      const n = w.next()
      const name = `测客${n}号`
      const address = `密址${n}号`
      w.mark('name', name)
      w.mark('address', address)
      return { kind: 'person', name, address, phones: [{ number: `1372${String(n).padStart(7, '0')}` }], sourceChannel: 'walk_in' }
    },
  },
  'clients.update': {
    input: async (w) => {
      const c = await w.client()
      return { id: c.id, version: c.version, address: `密址${w.next()}号` }
    },
  },
  'clients.checkDuplicate': { input: (w) => ({ phones: [w.subject().client.phone] }) },
  'clients.revealPhones': { input: (w) => ({ id: w.subject().client.id, reason: '回电客户' }) },
  'clients.requestCollaboration': { input: async (w) => ({ clientId: (await w.client()).id, note: '一起跟进这位客户' }) },
  'clients.merge': { input: async (w) => ({ keepId: (await w.client()).id, mergeId: (await w.client()).id, reason: '同一客户两条记录' }) },
  'clients.assign': { input: async (w) => ({ clientId: (await w.client({ pool: true })).id }) },
  'clients.reassign': { input: async (w) => ({ clientIds: [(await w.client()).id], toStaffId: w.people.third.id, reason: '调整分工' }) },
  'clients.markLost': { input: async (w) => ({ id: (await w.client()).id, reason: '预算不足' }) },
  'clients.revive': {
    input: async (w) => {
      const c = await w.client()
      await w.owner.call('clients.markLost', { id: c.id, reason: '预算不足' })
      return { id: c.id }
    },
  },

  'needs.list': { input: (w) => ({ clientId: w.subject().client.id }) },
  'needs.history': { input: (w) => ({ id: w.subject().need.id }) },
  'needs.create': {
    input: async (w) => {
      const note = `需求备注${w.next()}`
      w.mark('need', note)
      return { clientId: (await w.client()).id, kind: 'residential', note }
    },
  },
  'needs.update': {
    input: async (w) => {
      const need = await w.need((await w.client()).id)
      return { id: need.id, version: need.version, bedroomsMin: 2 }
    },
  },
  'followups.create': {
    input: async (w) => {
      const content = `跟进记录${w.next()}`
      w.mark('followUp', content)
      return { clientId: (await w.client()).id, channel: 'phone', content }
    },
  },
  'followups.list': { input: (w) => ({ clientId: w.subject().client.id }) },
  'questionnaires.list': { input: () => ({}) },
  'questionnaires.save': { input: (w) => ({ name: `问卷${w.next()}`, questions: [{ key: 'budget', text: '预算多少？', type: 'text' }] }) },

  'viewings.book': { input: async (w) => ({ clientId: (await w.client()).id, address: '看房地址二号', startsAt: w.slot() }) },
  'viewings.calendar': {
    input: (w) => {
      w.subject()
      return { agentId: w.people.owner.id, from: w.at(-24), to: w.at(24 * 30) }
    },
  },
  'viewings.list': { input: (w) => ({ clientId: w.subject().client.id }) },
  'viewings.record': {
    input: async (w) => {
      const v = await w.viewing((await w.client()).id)
      return { id: v.id, version: v.version, status: 'cancelled' }
    },
  },
  'viewings.sheet': { input: (w) => ({ id: w.subject().viewing.id }) },

  'tasks.today': { input: () => ({}), self: true },
  'tasks.list': {
    input: (w) => {
      w.subject()
      return { staffId: w.people.owner.id, limit: 500 }
    },
  },
  'tasks.team': {
    input: (w) => {
      w.subject()
      return {}
    },
  },
  'tasks.complete': { input: async (w) => ({ id: await w.task((await w.client()).id) }) },
  'notifications.list': { input: () => ({}), self: true },
  'notifications.markRead': { input: () => ({ all: true }), self: true },

  'pool.list': { input: () => ({ limit: 500 }) },
  'pool.claim': { input: async (w) => ({ clientId: (await w.client({ pool: true })).id }) },
  'pool.release': { input: async (w) => ({ clientId: (await w.client()).id, reason: '交回公客池' }) },
  'pool.releaseMany': { input: async (w) => ({ clientIds: [(await w.client()).id], reason: '交回公客池' }) },

  'duty.get': { input: (w) => ({ day: w.clock.now().toISOString().slice(0, 10) }) },
  'duty.set': { input: (w) => ({ day: '2027-06-01', entries: [{ staffId: w.people.owner.id }] }) },
  'settings.getRules': { input: () => ({}) },
  'settings.setRules': { input: () => ({}) },
  'reports.lostReasons': { input: (w) => ({ from: w.at(-24 * 30), to: w.at(24) }) },
  // the owner's row in the KPI table names them: the caller's table holds it only if they may see the owner's figures
  'reports.kpis': {
    input: (w) => {
      w.mark('name', `${w.people.owner.username}名`)
      return { from: w.at(-24 * 30), to: w.at(24) }
    },
  },
  // the owner's own trend: another agent may not ask for it, their senior and the management may
  'reports.kpiTrend': { input: (w) => ({ periods: [{ from: w.at(-24 * 30), to: w.at(24) }], subject: { kind: 'agent', staffId: w.people.owner.id } }) },
  'reports.kpiTargets': { input: () => ({}), self: true },
  'reports.setKpiTargets': { input: () => ({}), self: true },
  'reports.funnel': { input: (w) => ({ from: w.at(-24 * 30), to: w.at(24) }) },
  'reports.followUpsVsDeals': { input: (w) => ({ from: w.at(-24 * 30), to: w.at(24) }) },
  'reports.sla': { input: (w) => ({ from: w.at(-24 * 30), to: w.at(24) }) },
  'reports.pool': { input: (w) => ({ from: w.at(-24 * 30), to: w.at(24) }) },
  'reports.responseTimes': { input: (w) => ({ from: w.at(-24 * 30), to: w.at(24) }) },
  'reports.conversion': { input: (w) => ({ from: w.at(-24 * 30), to: w.at(24) }) },
  'reports.traffic': { input: (w) => ({ from: w.at(-24 * 30), to: w.at(24) }) },
  'reports.board': { input: (w) => ({ from: w.at(-24 * 30), to: w.at(24) }) },
  'reports.club': { input: (w) => ({ from: w.at(-24 * 30), to: w.at(24) }) },
  'reports.districts': { input: (w) => ({ from: w.at(-24 * 30), to: w.at(24) }) },
  'reports.dataUse': { input: (w) => ({ from: w.at(-24 * 30), to: w.at(24) }) },
  'scheduler.run': { input: () => ({}) },
  'jobs.get': {
    // a real job, asked for and finished, not a row written beside the host's writer
    input: async (w) => {
      const { jobId } = await w.admin.call('scheduler.run', {})
      await w.host.jobs.finished(jobId)
      return { id: jobId }
    },
  },
  'jobs.list': { input: () => ({}) },

  // an export's rows are in its file, not its answer: the count of the subject's region says whose
  // clients it took (1: the subject is in it; 0: left out)
  'export.start': {
    input: (w) => {
      const region = w.subject().client.region
      w.mark('name', '"total":1')
      return { grid: 'clients', query: { filter: { region } } }
    },
  },
  // the caller's own export (the desk, who may start none, asks after the owner's)
  'export.status': {
    self: true,
    input: async (w, me) => {
      const query = { filter: { region: w.subject().client.region } }
      const { role } = await me.client.call('auth.whoami', {})
      return { id: (await (mayCall(role, 'export.start') ? me.client : w.owner).call('export.start', { grid: 'clients', query })).id }
    },
  },
  'export.getSettings': { input: () => ({}) },
  'export.setSettings': { input: () => ({}) },

  'cards.identify': { input: (w) => ({ read: { uid: w.subject().card.uid } }) },
  'cards.issue': { input: async (w) => ({ clientId: (await w.client()).id, read: { uid: w.uid() } }) },
  'cards.reportLost': { input: async (w) => ({ cardId: (await w.card((await w.client()).id)).id }) },
  'cards.replace': { input: async (w) => ({ cardId: (await w.card((await w.client()).id)).id, read: { uid: w.uid() } }) },
  'cards.list': { input: (w) => ({ clientId: w.subject().client.id }) },
  'frontdesk.registerVisit': { input: async (w) => ({ clientId: (await w.client()).id }) },

  'club.standing': { input: (w) => ({ clientId: w.subject().client.id }) },
  'club.ledger': { input: (w) => ({ clientId: w.subject().client.id }) },
  'club.adjust': { input: async (w) => ({ clientId: (await w.client()).id, delta: 50, reason: '积分调整' }) },
  'club.reverse': { input: async (w) => ({ entryId: await w.ledgerEntry((await w.client()).id), reason: '录错了' }) },
  'club.levels': { input: () => ({}) },
  'club.previewLevels': { input: async (w) => ({ levels: (await w.manager.call('club.levels', {})).levels, rule: 'points' }) },
  'club.setLevels': { input: async (w) => ({ levels: (await w.manager.call('club.levels', {})).levels }) },
  'activities.create': { input: (w) => ({ name: `活动${w.next()}`, startsAt: w.at(72), endsAt: w.at(74) }) },
  'activities.list': { input: () => ({}) },
  'activities.signUp': { input: async (w) => ({ activityId: w.subject().activity.id, clientId: (await w.client()).id }) },
  'activities.checkIn': { input: async (w) => ({ activityId: w.subject().activity.id, read: { uid: (await w.card((await w.client()).id)).uid } }) },
  'referrals.create': { input: async (w) => ({ referrerId: w.subject().client.id, referredId: (await w.client()).id }) },

  'projects.create': { input: (w) => ({ name: `楼盘${w.next()}` }) },
  'projects.list': { input: () => ({}) },
  'units.import': {
    input: async (w) => {
      const projectId = (await w.manager.call('projects.create', { name: `导入楼盘${w.next()}` })).id
      return { projectId, fileBase64: await unitSheetBase64([{ building: '1号楼', floor: 1, number: '101', layout: '2室1厅', area: 80, orientation: '南', listPrice: 3_000_000 }]) }
    },
  },
  'units.template': { input: () => ({}) },
  'imports.upload': { input: (w) => ({ fileName: 'clients.csv', chunkBase64: importCsv(w), last: true }) },
  'imports.check': { input: async (w) => ({ importId: await uploadedImport(w) }) },
  'imports.rows': { input: async (w) => ({ importId: await checkedImport(w), verdict: 'create' }) },
  'imports.get': { input: async (w) => ({ importId: await checkedImport(w) }) },
  'imports.start': { input: async (w) => ({ importId: await checkedImport(w) }) },
  'imports.cancel': { input: async (w) => ({ importId: await checkedImport(w) }) },
  'imports.errors': { input: async (w) => ({ importId: await checkedImport(w) }) },
  'campaigns.list': { input: () => ({}), self: true },
  'campaigns.save': { input: (w) => ({ name: `活动${w.next()}`, channel: 'douyin', startDate: w.today(), endDate: w.today(), costYuan: 1000 }), self: true },
  'campaigns.end': {
    input: async (w) => {
      const c = await w.manager.call('campaigns.save', { name: `活动${w.next()}`, channel: 'douyin', startDate: w.today(), endDate: w.today(), costYuan: 1000 })
      return { id: c.id, version: c.version }
    },
    self: true,
  },
  'campaigns.figures': { input: () => ({}), self: true },
  'board.get': {
    input: (w) => {
      w.subject()
      return { projectId: w.projectId }
    },
  },
  'board.units': { input: (w) => ({ projectId: w.projectId, unitIds: [w.subject().dealUnit] }) },
  'board.publish': { input: (w) => ({ projectId: w.projectId }) },
  'board.published': { input: (w) => ({ projectId: w.projectId }) },
  'board.getPalette': { input: () => ({}) },
  'board.setPalette': { input: () => ({ palette: null }) },
  'units.hold': { input: (w) => ({ unitId: w.unit(), reason: '开发商保留' }) },
  'units.withhold': { input: (w) => ({ unitId: w.unit(), reason: '暂不销售' }) },
  'units.release': { input: async (w) => ({ unitId: await w.deal((await w.client()).id), reason: '客户放弃' }) },
  'units.reserve': { input: async (w) => ({ unitId: w.unit(), clientId: (await w.client()).id, deposit: 100, receiptNo: `R${w.next()}`, method: 'cash' }) },
  'units.advance': { input: async (w) => ({ unitId: await w.deal((await w.client()).id), to: 'pledge' }) },
  'units.quote': { input: (w) => ({ unitId: w.subject().dealUnit }) },
  'payments.record': { input: async (w) => ({ unitId: await w.deal((await w.client()).id), receiptNo: `R${w.next()}`, method: 'cash', amount: 100 }) },
  'payments.list': { input: (w) => ({ unitId: w.subject().dealUnit }) },
  'payments.setSchedule': {
    input: async (w) => ({ unitId: await w.deal((await w.client()).id), items: [{ dueDate: '2027-01-15', amount: LIST_PRICE_YUAN * 100, label: '首付款' }] }),
  },
  'payments.overdue': { input: () => ({}) },
  'finance.todos': { input: () => ({}) },
  'finance.markDone': { input: async (w) => { const t = await w.financeTodo(); return { id: t.id, version: t.version, reference: `V${w.next()}` } } },
  'subscription.issueCard': { input: async (w) => ({ projectId: w.projectId, clientId: (await w.client()).id, deposit: 100, receiptNo: `V${w.next()}`, method: 'cash' }) },
  'subscription.setWishes': { input: async (w) => ({ cardId: (await w.vipCard()).id, wishes: [] }) },
  'subscription.setCarryOver': { input: async (w) => ({ cardId: (await w.vipCard()).id, carryOver: true }) },
  'subscription.cards': { input: (w) => ({ projectId: w.projectId }) },
  'subscription.createEvent': {
    input: async (w) => {
      const projectId = (await w.manager.call('projects.create', { name: `认购苑${w.next()}` })).id
      await w.manager.call('units.import', { projectId, fileBase64: await unitSheetBase64([{ building: '1号楼', floor: 1, number: '101', layout: '3室2厅', area: 98.5, orientation: '南北', listPrice: LIST_PRICE_YUAN }]) })
      return { projectId, name: '开盘日', days: [w.today()], unitIds: [(await w.manager.call('board.get', { projectId })).units[0]!.id] }
    },
  },
  'subscription.event': { input: async (w) => ({ eventId: (await w.vipEvent('running')).eventId }) },
  'subscription.events': { input: () => ({}) },
  'subscription.lobby': { input: async (w) => ({ eventId: (await w.vipEvent('running')).eventId }) },
  'subscription.commitDraw': { input: async (w) => ({ eventId: (await w.vipEvent('setup')).eventId }) },
  'subscription.revealDraw': { input: async (w) => ({ eventId: (await w.vipEvent('committed')).eventId }) },
  'subscription.redraw': { input: async (w) => ({ eventId: (await w.vipEvent('committed')).eventId, reason: '公证员未到场' }) },
  'subscription.callNext': { input: async (w) => ({ eventId: (await w.vipEvent('ready')).eventId }) },
  'subscription.extend': { input: async (w) => ({ eventId: (await w.vipEvent('running')).eventId, minutes: 5 }) },
  'subscription.checkIn': { input: async (w) => { const e = await w.vipEvent('running'); return { eventId: e.eventId, cardNo: e.cardNo } } },
  'subscription.markAbsent': { input: async (w) => { const e = await w.vipEvent('running'); return { eventId: e.eventId, cardNo: e.cardNo } } },
  'subscription.pick': { input: async (w) => { const e = await w.vipEvent('present'); return { eventId: e.eventId, cardNo: e.cardNo, unitId: e.unitId } } },
  'subscription.pass': { input: async (w) => { const e = await w.vipEvent('present'); return { eventId: e.eventId, cardNo: e.cardNo } } },
  'subscription.rehearse': { input: (w) => ({ projectId: w.projectId, holders: 2 }) },
  'subscription.autoRun': { input: async (w) => w.rehearsal('running') },
  'subscription.deleteRehearsal': { input: async (w) => w.rehearsal('ready') },
  'subscription.agreement': {
    input: async (w) => {
      const e = await w.vipEvent('present')
      await w.manager.call('subscription.pick', { eventId: e.eventId, cardNo: e.cardNo, unitId: e.unitId })
      return { eventId: e.eventId, cardNo: e.cardNo }
    },
  },
  'subscription.summary': { input: async (w) => ({ eventId: (await w.vipEvent('running')).eventId }) },
  'changes.request': {
    input: async (w) => {
      const comment = `变更说明${w.next()}`
      w.mark('comment', comment)
      return { kind: 'cancel', unitId: await w.deal((await w.client()).id, { pledged: true }), comment }
    },
  },
  'changes.decide': { input: async (w) => ({ id: (await w.change(w.unit())).id, approve: true }) },
  'changes.resubmit': {
    input: async (w) => {
      const r = await w.change(w.unit())
      await w.manager.call('changes.decide', { id: r.id, approve: false, comment: '价格不合适' })
      return { id: r.id, payload: { listPrice: 1_100_000_00 } }
    },
  },
  'changes.list': { input: (w) => ({ unitId: w.subject().dealUnit }) },
  'changes.getSteps': { input: () => ({}) },
  'changes.setSteps': { input: () => ({ kind: 'price', steps: ['manager'] }) },
  'matching.unitsForClient': { input: (w) => ({ clientId: w.subject().client.id, limit: 200 }) },
  'matching.clientsForUnit': {
    input: (w) => {
      w.subject()
      return { unitId: w.unit(), limit: 200 }
    },
  },
  'collab.inbox': { input: () => ({}), self: true },
  'care.holidays': { input: () => ({}), self: true },
  'cases.search': { input: () => ({}), self: true },
  // a case of the branch's library, entered by the manager for edit and withdraw: no client's work is in it
  'cases.enter': { input: (w) => ({ project: `录入楼盘${w.next()}`, area: 8_900, price: 2_000_000_00, signedOn: '2026-05-01' }), self: true },
  'cases.edit': {
    input: async (w) => {
      const made = await w.manager.call('cases.enter', { project: `录入楼盘${w.next()}`, area: 8_900, price: 2_000_000_00, signedOn: '2026-05-01' })
      return { id: made.case.id, version: made.case.version ?? 0, project: made.case.project, area: 9_000, price: 2_100_000_00, signedOn: '2026-05-02' }
    },
    self: true,
  },
  'cases.withdraw': {
    input: async (w) => {
      const made = await w.manager.call('cases.enter', { project: `录入楼盘${w.next()}`, area: 8_900, price: 2_000_000_00, signedOn: '2026-05-01' })
      return { id: made.case.id, version: made.case.version ?? 0 }
    },
    self: true,
  },
  // a fresh client of the owner's whose birthday is today: on the owner's list, the senior's and the manager's
  'care.birthdays': {
    input: async (w) => {
      await w.client({ birthDate: `1980-${w.today().slice(5)}` })
      return { limit: 500 }
    },
  },
  // the subject is the owner's first client: on the first page of every list that holds it
  'care.holidayClients': {
    input: (w) => {
      w.subject()
      return { holiday: 'newYear', date: '2027-01-01' }
    },
  },
  // the owner's calendar for a month around now: the subject's viewing (its client's name) is on it
  'calendar.range': {
    input: (w) => {
      w.subject()
      const day = (d: number) => new Date(Date.parse(`${w.today()}T00:00:00Z`) + d * 86_400_000).toISOString().slice(0, 10)
      return { staffId: w.people.owner.id, from: day(-1), to: day(30) }
    },
  },
  'calendar.createEvent': {
    input: (w) => {
      const startsAt = w.slot()
      return { kind: 'meeting', title: `周例会${w.next()}`, startsAt, endsAt: new Date(Date.parse(startsAt) + 3_600_000).toISOString(), participantIds: [w.people.owner.id] }
    },
  },
  'calendar.cancelEvent': {
    input: async (w) => {
      const startsAt = w.slot()
      const { event } = await w.manager.call('calendar.createEvent', { kind: 'meeting', title: `周例会${w.next()}`, startsAt, endsAt: new Date(Date.parse(startsAt) + 3_600_000).toISOString(), participantIds: [w.people.owner.id] })
      return { id: Number(event.key.slice('event:'.length)), version: event.version ?? 0 }
    },
  },
  'care.markDone': {
    input: async (w) => {
      const date = w.today()
      const c = await w.client({ birthDate: `1980-${date.slice(5)}` })
      const content = `生日问候${w.next()}`
      w.mark('followUp', content)
      return { clientId: c.id, occasion: 'birthday', date, channel: 'wechat', content }
    },
  },
  // a fresh client of the owner's who signed a deal a year ago today: on the lists of those who see the owner's clients in full
  'care.milestones': {
    input: async (w) => {
      const c = await w.client()
      const unitId = await w.deal(c.id)
      await w.owner.call('units.advance', { unitId, to: 'subscribe' })
      await w.owner.call('units.advance', { unitId, to: 'sign' })
      const yearAgo = new Date(w.clock.now().getTime() - 365 * 86_400_000).toISOString()
      w.host.database.sqlite.prepare(`UPDATE transaction_steps SET at = ? WHERE status = 'sign' AND tx_id = (SELECT id FROM unit_transactions WHERE unit_id = ? AND live = 1)`).run(yearAgo, unitId)
      return { limit: 500 }
    },
  },
  'care.skip': {
    input: async (w) => {
      const date = w.today()
      const c = await w.client({ birthDate: `1981-${date.slice(5)}` })
      return { clientId: c.id, occasion: 'birthday', date, note: `客户出国${w.next()}` }
    },
  },
  'care.templates': { input: () => ({}), self: true },
  'care.setTemplate': { input: (w) => ({ occasion: 'midAutumn', text: `{姓名}中秋快乐${w.next()}` }), self: true },
  'care.segmentCount': { input: () => ({ segment: { tiers: ['vip'] } }), self: true },
  'care.policyNews': {
    input: async (w) => {
      const c = await w.client()
      return { segment: { regions: [c.region] }, text: `公积金新政${w.next()}`, dueDate: w.today() }
    },
    self: true,
  },
  'surveys.templates': { input: () => ({}), self: true },
  // a fresh client of the owner's: the agent of the same team does not see it, the desk serves anyone
  'surveys.answer': {
    input: async (w) => {
      const c = await w.client()
      const { templates } = await w.manager.call('surveys.templates', {})
      const advice = `调查意见${w.next()}`
      w.mark('comment', advice)
      return { setId: templates.find((t) => t.surveyKind === 'satisfaction')!.id, clientId: c.id, channel: 'counter', answers: [{ key: 'overall', value: 5 }, { key: 'agent', value: 4 }, { key: 'advice', value: advice }] }
    },
  },
  'surveys.responses': { input: (w) => ({ clientId: w.subject().client.id }) },
  // the caller's own responses (managers all): the same sums for a template over a period
  'surveys.summary': {
    input: async (w) => {
      const { templates } = await w.manager.call('surveys.templates', {})
      return { setId: templates.find((t) => t.surveyKind === 'satisfaction')!.id, from: '2020-01-01T00:00:00.000Z', to: '2040-01-01T00:00:00.000Z' }
    },
    self: true,
  },
  'tickets.categories': { input: () => ({}), self: true },
  'tickets.saveCategory': { input: (w) => ({ kind: 'complaint', nameZh: `分类${w.next()}`, nameEn: 'A category', hours: { vip: 2, key: 8, normal: 24, potential: 24 } }), self: true },
  // a fresh client of the owner's: the agent of the same team does not see it, the desk serves anyone
  'tickets.create': {
    input: async (w) => {
      const c = await w.client()
      const content = `投诉内容${w.next()}`
      w.mark('comment', content)
      return { clientId: c.id, categoryId: 1, channel: 'desk', content }
    },
  },
  'tickets.list': { input: async (w) => ({ clientId: (await w.ticket()).client.id, limit: 500 }) },
  'tickets.get': { input: async (w) => ({ id: (await w.ticket()).id }) },
  'tickets.dispatch': {
    input: async (w) => {
      const t = await w.ticket()
      return { id: t.id, version: t.version, assigneeId: w.people.owner.id }
    },
  },
  'tickets.start': {
    input: async (w) => {
      const t = await w.ticket('dispatched')
      return { id: t.id, version: t.version }
    },
  },
  'tickets.feedBack': {
    input: async (w) => {
      const t = await w.ticket('handling')
      const feedback = `处理结果${w.next()}`
      w.mark('comment', feedback)
      return { id: t.id, version: t.version, feedback }
    },
  },
  'tickets.close': {
    input: async (w) => {
      const t = await w.ticket('fed_back')
      const returnVisit = `回访记录${w.next()}`
      w.mark('comment', returnVisit)
      return { id: t.id, version: t.version, returnVisit, satisfaction: 4 }
    },
  },
  // a colleague of another team asked to work a fresh client of the owner's; the caller answers
  'collab.answer': {
    input: async (w) => {
      const c = await w.client()
      const r = await w.people.third.client.call('clients.requestCollaboration', { clientId: c.id, note: '客户也在找我' })
      return { id: r.id, version: 0, accept: false, reason: '暂不需要协作' }
    },
  },
}

let host: Host & { cleanup(): Promise<void> }
let w: World
/** What each call answered, and the markers of the work it was about. */
const answers = new Map<string, { result: Result<unknown>; markers: World['scope'] }>()
let forbiddenAnswers = 0
let forbiddenAuditedBefore = 0

const forbiddenAudited = () => host.database.sqlite.prepare(`SELECT count(*) FROM audit_log WHERE action LIKE '%:FORBIDDEN'`).pluck().get() as number

/** A one-row client list (a new phone each time) as CSV, base64. */
function importCsv(w: World): string {
  const n = w.next()
  return Buffer.from(`姓名,电话\n导入客户${n},137${String(n).padStart(8, '0')}\n`).toString('base64')
}

/** A client list uploaded by the manager. */
async function uploadedImport(w: World): Promise<number> {
  return (await w.manager.call('imports.upload', { fileName: 'clients.csv', chunkBase64: importCsv(w), last: true })).importId
}

/** A client list uploaded and dry-run by the manager. */
async function checkedImport(w: World): Promise<number> {
  const importId = await uploadedImport(w)
  await checkImport(host, w.manager, importId)
  return importId
}

async function person(admin: ApiClient, role: Role, username: string, team: string | null): Promise<Person> {
  const row = await admin.call('staff.create', { username, name: `${username}名`, role, team, password: STAFF_PASSWORD })
  const client = host.client()
  await client.call('auth.login', { username, password: STAFF_PASSWORD })
  return { client, id: row.id, username }
}

/** Calls `method` as `caller` about fresh or shared work of the owner's, and keeps the answer. */
async function probe<M extends MethodName>(method: M, caller: Caller): Promise<void> {
  const p = PROBES[method] as Probe<M>
  w.scope = []
  let me = w.people[caller]
  if (p.ownSession) me = await person(w.admin, caller === 'owner' ? 'agent' : caller, `own-${w.next()}`, '一组')
  const input = await p.input(w, me)
  const result = await me.client.try(method, input)
  // a job it queued (scheduler.run, a large departure) ends before the next probe writes its world
  // straight into the file: a write on this thread would wait on the writer's slice, which waits on this thread
  const jobId = result.ok ? (result.value as { jobId?: unknown }).jobId : undefined
  if (typeof jobId === 'number') await w.host.jobs.finished(jobId).catch(() => undefined)
  if (!result.ok && result.error.code === 'FORBIDDEN') forbiddenAnswers++
  answers.set(`${method} ${caller}`, { result, markers: w.scope })
}

/** The kinds of the call's markers its answer holds. */
function shown(a: { result: Result<unknown>; markers: World['scope'] }): Set<MarkerKind> {
  if (!a.result.ok) return new Set()
  const text = JSON.stringify(a.result.value)
  return new Set(a.markers.filter((m) => text.includes(m.text)).map((m) => m.kind))
}

/** What a role's call came to, as the matrix says it: or the error that kept the probe from saying. */
function outcome(method: MethodName, role: Role): Cell | string {
  const a = answers.get(`${method} ${role}`)!
  if (!a.result.ok) return a.result.error.code === 'FORBIDDEN' ? 'denied' : `${a.result.error.code}: ${a.result.error.message}`
  if (PROBES[method].self) return 'allowed'
  const own = answers.get(`${method} owner`)!
  const mine = shown(a)
  return [...shown(own)].every((k) => mine.has(k)) ? 'allowed' : 'masked'
}

beforeAll(async () => {
  const clock = new ManualClock(new Date('2026-11-25T02:00:00Z'))
  host = await startTempHost({ clock })
  const admin = await adminClient(host)
  const adminId = (await admin.call('auth.whoami', {})).id
  const people = {
    admin: { client: admin, id: adminId, username: 'admin' },
    owner: await person(admin, 'agent', 'owner', '一组'),
    third: await person(admin, 'agent', 'third', '二组'),
    front_desk: await person(admin, 'front_desk', 'desk', null),
    agent: await person(admin, 'agent', 'agent', '一组'),
    senior_agent: await person(admin, 'senior_agent', 'senior', '一组'),
    manager: await person(admin, 'manager', 'manager', null),
  }
  const manager = people.manager.client
  // the owner takes hundreds of clients here, and agents claim a few a day
  await manager.call('settings.setRules', { ownerCap: 100_000, dailyClaimCap: 100 })
  // a walk-in the desk records goes to the owner by the rota
  await manager.call('duty.set', { day: clock.now().toISOString().slice(0, 10), entries: [{ staffId: people.owner.id }] })
  const projectId = (await manager.call('projects.create', { name: '权限苑', district: DISTRICT })).id
  const rows: UnitSheetRow[] = []
  for (let floor = 1; floor <= 25; floor++) {
    for (let n = 1; n <= 10; n++) rows.push({ building: '1号楼', floor, number: `${floor}${String(n).padStart(2, '0')}`, layout: '3室2厅', area: 98.5, orientation: '南北', listPrice: LIST_PRICE_YUAN })
  }
  await manager.call('units.import', { projectId, fileBase64: await unitSheetBase64(rows) })
  w = new World(host, clock, people, projectId)
  await w.loadUnits()
  w.subjectWork = await w.buildSubject()
  forbiddenAuditedBefore = forbiddenAudited()
  for (const method of METHOD_NAMES) {
    for (const caller of ['owner', ...MATRIX_ROLES] as const) await probe(method, caller)
  }
}, 300_000)
afterAll(() => host.cleanup())

describe('permission matrix: every method x role against the reviewed table', () => {
  it('has a line for every method of the contract and none for a method that is gone', () => {
    expect(Object.keys(PERMISSION_MATRIX).sort()).toEqual([...METHOD_NAMES].sort())
  })

  it('covers every role', () => {
    expect([...MATRIX_ROLES].sort()).toEqual([...ROLES].sort())
  })

  for (const method of METHOD_NAMES) {
    it(method, () => {
      const seen = Object.fromEntries(MATRIX_ROLES.map((role) => [role, outcome(method, role)]))
      const expected = Object.fromEntries(MATRIX_ROLES.map((role, i) => [role, PERMISSION_MATRIX[method][i]]))
      expect(seen).toEqual(expected)
    })
  }

  it('no answer carries a phone of the owner’s clients in full to anyone else, but the audited reveal', () => {
    const leaks = [...answers]
      .filter(([key]) => !key.endsWith(' owner') && !key.startsWith('clients.revealPhones '))
      .filter(([, a]) => OWNED_PHONE.test(JSON.stringify(a.result)))
      .map(([key]) => key)
    expect(leaks).toEqual([])
    // the reveal itself shows them: the check above looks for the right thing
    expect(JSON.stringify(answers.get('clients.revealPhones manager')?.result)).toMatch(OWNED_PHONE)
  })

  it('every refusal is in the audit log', () => {
    expect(forbiddenAudited() - forbiddenAuditedBefore).toBe(forbiddenAnswers)
  })

  it('every non-public method refuses a caller without a session', async () => {
    const anon = host.client()
    for (const method of METHOD_NAMES) {
      const r = await anon.try(method, {} as never)
      if (PERMISSIONS[method] === 'public') expect(r.ok || r.error.code !== 'UNAUTHENTICATED').toBe(true)
      else expect(r).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } })
    }
  })
})
