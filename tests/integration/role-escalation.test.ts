import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ManualClock } from '../../electron/host/clock'
import type { Host } from '../../electron/host/host'
import type { ApiClient } from '@shared/contract/client'
import type { ErrorCode, Result } from '@shared/contract/common'
import type { Role } from '@shared/domain/roles'
import { adminClient, STAFF_PASSWORD } from '../helpers/staff'
import { startTempHost } from '../helpers/temp-host'
import { unitSheetBase64, type UnitSheetRow } from '../helpers/unit-sheet'

/**
 * Issue #13 item 5: every crossing of a role or a row boundary, tried as the lower role, is refused
 * and leaves the database as it was. Agents 李四 (一组) and 王五 (二组) each own one client; the
 * senior agent leads 一组.
 */

const HOUR = 3_600_000
const BUYER_A = { name: '买家甲', phone: '13811110001' }
const BUYER_B = { name: '买家乙', phone: '13811110002' }

let host: Host & { cleanup(): Promise<void> }
let clock: ManualClock
let admin: ApiClient
let mgr: ApiClient
let senior: ApiClient
let agentA: ApiClient
let agentB: ApiClient
let desk: ApiClient
const ids = { admin: 0, mgr: 0, senior: 0, agentA: 0, agentB: 0, desk: 0 }
let clientA: number
let clientB: number
let projectId: number

async function member(role: Role, username: string, name: string, team: string | null = null) {
  const row = await admin.call('staff.create', { username, name, role, team, password: STAFF_PASSWORD })
  const c = host.client()
  await c.call('auth.login', { username, password: STAFF_PASSWORD })
  return { client: c, id: row.id }
}

beforeEach(async () => {
  clock = new ManualClock(new Date('2026-11-02T01:00:00.000Z'))
  host = await startTempHost({ clock })
  admin = await adminClient(host)
  ids.admin = (await admin.call('auth.whoami', {})).id
  ;({ client: mgr, id: ids.mgr } = await member('manager', 'mgr', '店长张'))
  ;({ client: senior, id: ids.senior } = await member('senior_agent', 'senior', '组长赵', '一组'))
  ;({ client: agentA, id: ids.agentA } = await member('agent', 'agent-a', '李四', '一组'))
  ;({ client: agentB, id: ids.agentB } = await member('agent', 'agent-b', '王五', '二组'))
  ;({ client: desk, id: ids.desk } = await member('front_desk', 'desk', '前台钱'))
  clientA = (await agentA.call('clients.create', { kind: 'person', name: BUYER_A.name, phones: [{ number: BUYER_A.phone }], sourceChannel: 'walk_in' })).id
  clientB = (await agentB.call('clients.create', { kind: 'person', name: BUYER_B.name, phones: [{ number: BUYER_B.phone }], sourceChannel: 'walk_in' })).id
  projectId = (await mgr.call('projects.create', { name: '滨江壹号' })).id
  const rows: UnitSheetRow[] = []
  for (let floor = 1; floor <= 2; floor++) for (const n of ['01', '02', '03']) rows.push({ building: '1号楼', floor, number: `${floor}${n}`, layout: '3室2厅', area: 98.5, orientation: '南北', listPrice: 5_000_000 })
  await mgr.call('units.import', { projectId, fileBase64: await unitSheetBase64(rows) })
})
afterEach(() => host.cleanup())

/** Every stored row but the audit log (refusals are audited) and sessions: what a refused call must leave as it was. */
function dbState(): string {
  const db = host.database.sqlite
  const tables = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT IN ('audit_log', 'sessions', 'change_log') ORDER BY name`).pluck().all() as string[]
  return JSON.stringify(tables.map((t) => [t, db.prepare(`SELECT * FROM "${t}"`).raw().all()]))
}

/** Runs a call that must be refused with `code` (and `reason`), and checks that nothing changed; returns the error. */
async function refused(run: () => Promise<Result<unknown>>, code: ErrorCode, reason?: string) {
  const before = dbState()
  const r = await run()
  expect(r).toMatchObject({ ok: false, error: { code, ...(reason === undefined ? {} : { reason }) } })
  expect(dbState()).toBe(before)
  if (r.ok) throw new Error('unreachable')
  return r.error
}

const unit = async (n: string) => (await mgr.call('board.get', { projectId })).units.find((u) => u.number === n)!
const reserve = (c: ApiClient, unitId: number, clientId: number, receiptNo: string) => c.try('units.reserve', { unitId, clientId, deposit: 2_000_000, receiptNo, method: 'card' })

/** A unit with 李四's live 认筹 for 买家甲. */
async function dealOfA(n: string) {
  const u = await unit(n)
  await agentA.call('units.reserve', { unitId: u.id, clientId: clientA, deposit: 2_000_000, receiptNo: `R-${n}`, method: 'card' })
  await agentA.call('units.advance', { unitId: u.id, to: 'pledge' })
  return unit(n)
}

describe('staff: a manager does not out-rank an admin, and the last admin stays', () => {
  it('a manager cannot depart, deactivate or demote an admin, nor depart another manager', async () => {
    const adminRow = await admin.call('staff.get', { id: ids.admin })
    const mgr2 = await member('manager', 'mgr2', '店长孙')
    await admin.call('staff.create', { username: 'admin2', name: '管理员二', role: 'admin', password: STAFF_PASSWORD })
    // not the last admin any more: the refusal is the manager's rank
    await refused(() => mgr.try('staff.depart', { id: ids.admin }), 'FORBIDDEN', 'outranks')
    await refused(() => mgr.try('staff.depart', { id: mgr2.id }), 'FORBIDDEN', 'outranks')
    await refused(() => mgr.try('staff.deactivate', { id: ids.admin }), 'FORBIDDEN')
    await refused(() => mgr.try('staff.update', { id: ids.admin, version: adminRow.version, role: 'agent' }), 'FORBIDDEN')
    await refused(() => mgr.try('staff.resetPassword', { id: ids.admin, newPassword: 'taken-over-123' }), 'FORBIDDEN')
    // the admin is still in charge; a manager still departs an agent
    expect((await admin.call('auth.whoami', {})).role).toBe('admin')
    await mgr.call('staff.depart', { id: ids.agentB })
    expect((await admin.call('staff.get', { id: ids.agentB })).active).toBe(false)
  })

  it('the last active admin can be neither deactivated, departed nor given another role, by anyone', async () => {
    const me = await admin.call('staff.get', { id: ids.admin })
    await refused(() => admin.try('staff.update', { id: ids.admin, version: me.version, role: 'manager' }), 'FORBIDDEN', 'last_admin')
    await refused(() => admin.try('staff.deactivate', { id: ids.admin }), 'FORBIDDEN', 'last_admin')
    await refused(() => admin.try('staff.depart', { id: ids.admin }), 'FORBIDDEN', 'last_admin')
    await refused(() => mgr.try('staff.depart', { id: ids.admin }), 'FORBIDDEN', 'last_admin')

    // with a second admin either may go; then the one left is the last again
    const second = await admin.call('staff.create', { username: 'admin2', name: '管理员二', role: 'admin', password: STAFF_PASSWORD })
    const admin2 = host.client()
    await admin2.call('auth.login', { username: 'admin2', password: STAFF_PASSWORD })
    await admin2.call('staff.deactivate', { id: ids.admin })
    await refused(() => admin2.try('staff.deactivate', { id: second.id }), 'FORBIDDEN', 'last_admin')
    await refused(() => admin2.try('staff.update', { id: second.id, version: second.version, role: 'agent' }), 'FORBIDDEN', 'last_admin')
    await admin2.call('staff.reactivate', { id: ids.admin })
    // deactivating ended the first admin's session
    admin = await adminClient(host)
    const fresh = await admin.call('staff.get', { id: second.id })
    await admin.call('staff.update', { id: second.id, version: fresh.version, role: 'manager' })
    await refused(() => admin.try('staff.deactivate', { id: ids.admin }), 'FORBIDDEN', 'last_admin')
    expect((await admin.call('staff.list', { role: 'admin', active: true })).rows.map((r) => r.id)).toEqual([ids.admin])
  })
})

describe('approvals: nobody approves their own request', () => {
  it('setting the steps is the admin’s: a manager is refused and nothing changes', async () => {
    await refused(() => mgr.try('changes.setSteps', { kind: 'discount', steps: ['senior_agent'] }), 'FORBIDDEN')
    await refused(() => senior.try('changes.setSteps', { kind: 'price', steps: ['senior_agent'] }), 'FORBIDDEN')
    expect((await admin.call('changes.setSteps', { kind: 'price', steps: ['senior_agent'] })).steps.price).toEqual(['senior_agent'])
  })

  it('a manager’s request goes to the admin, so the one manager of a branch never waves it through', async () => {
    const u = await unit('101')
    const req = await mgr.call('changes.request', { kind: 'price', unitId: u.id, payload: { listPrice: 4_000_000_00 } })
    expect(req.steps.map((s) => s.role)).toEqual(['admin'])
    await refused(() => mgr.try('changes.decide', { id: req.id, approve: true }), 'FORBIDDEN', 'own_request')
    await refused(() => mgr.try('changes.decide', { id: req.id, approve: false, comment: '撤回' }), 'FORBIDDEN', 'own_request')
    const rejected = await admin.call('changes.decide', { id: req.id, approve: false, comment: '先不调' })
    // resubmitted, it is planned for its requester again
    const again = await mgr.call('changes.resubmit', { id: req.id, payload: { listPrice: 4_500_000_00 } })
    expect([rejected.status, again.steps.map((s) => s.role)]).toEqual(['rejected', ['admin']])
    await refused(() => mgr.try('changes.decide', { id: req.id, approve: true }), 'FORBIDDEN', 'own_request')
    expect((await admin.call('changes.decide', { id: req.id, approve: true })).status).toBe('approved')
    expect((await unit('101')).listPrice).toBe(4_500_000_00)
  })

  it('a plan of the requester’s own role is lifted a level: senior agents alone never decide a senior agent’s request', async () => {
    await admin.call('changes.setSteps', { kind: 'price', steps: ['senior_agent', 'senior_agent'] })
    const other = await member('senior_agent', 'senior2', '组长周', '二组')
    const u = await unit('102')
    const req = await senior.call('changes.request', { kind: 'price', unitId: u.id, payload: { listPrice: 4_000_000_00 } })
    expect(req.steps.map((s) => s.role)).toEqual(['manager'])
    await refused(() => other.client.try('changes.decide', { id: req.id, approve: true }), 'FORBIDDEN', 'not_your_step')
    expect((await mgr.call('changes.decide', { id: req.id, approve: true })).status).toBe('approved')
    // an agent's request keeps the steps as set
    const byAgent = await agentA.call('changes.request', { kind: 'price', unitId: (await unit('103')).id, payload: { listPrice: 4_000_000_00 } })
    expect(byAgent.steps.map((s) => s.role)).toEqual(['senior_agent', 'senior_agent'])
  })

  it('the requester is refused at every step, even after a promotion into the step’s role', async () => {
    await admin.call('changes.setSteps', { kind: 'price', steps: ['senior_agent', 'manager', 'admin'] })
    const u = await unit('201')
    const req = await agentA.call('changes.request', { kind: 'price', unitId: u.id, payload: { listPrice: 4_000_000_00 } })
    expect(req.steps.map((s) => s.role)).toEqual(['senior_agent', 'manager', 'admin'])
    const promote = async (role: Role) => {
      const row = await admin.call('staff.get', { id: ids.agentA })
      await admin.call('staff.update', { id: ids.agentA, version: row.version, role })
    }
    await promote('senior_agent')
    await refused(() => agentA.try('changes.decide', { id: req.id, approve: true }), 'FORBIDDEN', 'own_request')
    await senior.call('changes.decide', { id: req.id, approve: true })
    await promote('manager')
    await refused(() => agentA.try('changes.decide', { id: req.id, approve: true }), 'FORBIDDEN', 'own_request')
    await mgr.call('changes.decide', { id: req.id, approve: true })
    await promote('admin')
    await refused(() => agentA.try('changes.decide', { id: req.id, approve: false, comment: '不行' }), 'FORBIDDEN', 'own_request')
    const done = await admin.call('changes.decide', { id: req.id, approve: true })
    expect(done.steps.map((s) => s.byId)).toEqual([ids.senior, ids.mgr, ids.admin])
  })

  it('a request stored before this rule with the requester’s own role is still refused to them', async () => {
    const u = await unit('202')
    const req = await mgr.call('changes.request', { kind: 'price', unitId: u.id, payload: { listPrice: 4_000_000_00 } })
    host.database.sqlite.prepare(`UPDATE change_requests SET steps = '["manager"]' WHERE id = ?`).run(req.id)
    await refused(() => mgr.try('changes.decide', { id: req.id, approve: true }), 'FORBIDDEN', 'own_request')
    const mgr2 = await member('manager', 'mgr2', '店长孙')
    expect((await mgr2.client.call('changes.decide', { id: req.id, approve: true })).status).toBe('approved')
  })
})

describe('deals need full access to the buyer', () => {
  it('reserving for a colleague’s client is refused; a senior agent reserves for the team', async () => {
    const u = await unit('101')
    await refused(() => reserve(agentA, u.id, clientB, 'X1'), 'FORBIDDEN', 'no_client_access')
    await refused(() => reserve(senior, u.id, clientB, 'X2'), 'FORBIDDEN', 'no_client_access')
    await refused(() => reserve(desk, u.id, clientA, 'X3'), 'FORBIDDEN')
    expect(await reserve(senior, u.id, clientA, 'X4')).toMatchObject({ ok: true })
  })

  it('advancing, asking for changes and scheduling payments need the buyer too, also after the buyer was handed over', async () => {
    const u = await dealOfA('102')
    await refused(() => agentB.try('units.advance', { unitId: u.id, to: 'subscribe' }), 'FORBIDDEN')
    await refused(() => agentA.try('changes.request', { kind: 'rename', unitId: u.id, payload: { clientId: clientB } }), 'FORBIDDEN', 'no_client_access')
    await refused(() => desk.try('payments.setSchedule', { unitId: u.id, items: [{ dueDate: '2026-12-01', amount: u.tx!.price, label: '首付' }] }), 'FORBIDDEN')
    await mgr.call('clients.reassign', { clientIds: [clientA], toStaffId: ids.agentB, reason: '调岗交接' })
    await refused(() => agentA.try('units.advance', { unitId: u.id, to: 'subscribe' }), 'FORBIDDEN', 'no_client_access')
    await refused(() => agentA.try('changes.request', { kind: 'discount', unitId: u.id, payload: { price: u.tx!.price - 100_000 } }), 'FORBIDDEN', 'no_client_access')
    await refused(() => agentA.try('changes.request', { kind: 'cancel', unitId: u.id }), 'FORBIDDEN', 'no_client_access')
    expect((await mgr.call('units.advance', { unitId: u.id, to: 'subscribe' })).status).toBe('subscribe')
  })

  it('the front desk takes a payment on any live deal (it is the cashier) but does not see a deal’s buyer only by being an agent', async () => {
    const u = await dealOfA('103')
    expect(await desk.call('payments.record', { unitId: u.id, receiptNo: 'P-1', method: 'cash', amount: 1_000_000 })).toMatchObject({ amount: 1_000_000, by: '前台钱' })
    expect((await desk.call('payments.list', { unitId: u.id })).payments).toHaveLength(2)
    await refused(() => agentB.try('payments.list', { unitId: u.id }), 'FORBIDDEN', 'no_client_access')
    expect((await senior.call('payments.list', { unitId: u.id })).balance).toBe(u.tx!.price - 3_000_000)
  })
})

describe('row-level reads', () => {
  it('the board shows a deal’s buyer and money only to who sees the deal', async () => {
    const u = await dealOfA('201')
    const txAs = async (c: ApiClient) => (await c.call('board.units', { projectId, unitIds: [u.id] })).units[0]!.tx!
    const hidden = { clientId: null, clientName: null, price: 0, paid: 0, agentName: '李四' }
    expect(await txAs(agentB)).toMatchObject(hidden)
    expect(await txAs(admin)).toMatchObject(hidden)
    for (const c of [agentA, senior, mgr, desk]) expect(await txAs(c)).toMatchObject({ clientId: clientA, clientName: BUYER_A.name, price: u.tx!.price, paid: 2_000_000 })
    expect(JSON.stringify(await agentB.call('board.get', { projectId }))).not.toContain(BUYER_A.name)
    // seeing a deal is not working it: only its agent and managers are offered 推进 and deal changes (tx.yours)
    for (const c of [agentA, mgr]) expect((await txAs(c)).yours).toBe(true)
    for (const c of [senior, desk, agentB, admin]) expect((await txAs(c)).yours).toBe(false)
  })

  it('club standing and ledger, cards, sign-ups and referrals: the desk and who works the client', async () => {
    const card = await desk.call('cards.issue', { clientId: clientA, read: { uid: 'A1B2C3D4' } })
    await refused(() => agentB.try('club.standing', { clientId: clientA }), 'FORBIDDEN', 'no_client_access')
    await refused(() => agentB.try('club.ledger', { clientId: clientA }), 'FORBIDDEN', 'no_client_access')
    await refused(() => agentB.try('cards.list', { clientId: clientA }), 'FORBIDDEN', 'no_client_access')
    await refused(() => agentB.try('cards.issue', { clientId: clientA, read: { uid: '0A0B0C0D' } }), 'FORBIDDEN', 'no_client_access')
    await refused(() => agentB.try('cards.reportLost', { cardId: card.id }), 'FORBIDDEN', 'no_client_access')
    await refused(() => agentB.try('cards.replace', { cardId: card.id, read: { uid: '0A0B0C0D' } }), 'FORBIDDEN', 'no_client_access')
    const activity = await mgr.call('activities.create', { name: '业主答谢会', startsAt: '2026-11-10T06:00:00.000Z', endsAt: '2026-11-10T09:00:00.000Z', points: 50 })
    await refused(() => agentB.try('activities.signUp', { activityId: activity.id, clientId: clientA }), 'FORBIDDEN', 'no_client_access')
    await refused(() => agentB.try('referrals.create', { referrerId: clientB, referredId: clientA }), 'FORBIDDEN', 'no_client_access')
    for (const c of [desk, agentA, senior, mgr]) {
      expect(await c.call('club.standing', { clientId: clientA })).toMatchObject({ points: 0 })
      expect((await c.call('club.ledger', { clientId: clientA })).total).toBe(0)
      expect((await c.call('cards.list', { clientId: clientA })).cards).toHaveLength(1)
    }
    // the referrer may be anyone's client: only the referred one's record changes
    expect(await agentB.call('referrals.create', { referrerId: clientA, referredId: clientB })).toEqual({ ok: true })
    // a colleague swiping the card sees the basics, not the service records
    const swiped = await agentB.call('cards.identify', { read: { uid: 'A1B2C3D4' } })
    expect(swiped).toMatchObject({ status: 'known', card: { name: BUYER_A.name, club: null, lastViewings: [], openTasks: [] } })
    expect(await desk.call('cards.identify', { read: { uid: 'A1B2C3D4' } })).toMatchObject({ card: { club: { points: 0 } } })
  })

  it('viewings: sheets for the desk, the agent and who works the client; feedback only for those; calendars by team', async () => {
    const v = await agentA.call('viewings.book', { clientId: clientA, address: '世纪公园1号楼1201', startsAt: new Date(clock.now().getTime() + 2 * HOUR).toISOString() })
    clock.advance(3 * HOUR)
    await agentA.call('viewings.record', { id: v.id, version: v.version, status: 'done', feedback: '嫌贵，想要低楼层' })
    const range = { from: new Date(clock.now().getTime() - 10 * HOUR).toISOString(), to: new Date(clock.now().getTime() + 10 * HOUR).toISOString() }
    await refused(() => agentB.try('viewings.sheet', { id: v.id }), 'FORBIDDEN', 'no_client_access')
    await refused(() => agentB.try('viewings.list', { clientId: clientA }), 'FORBIDDEN', 'no_client_access')
    await refused(() => agentB.try('viewings.calendar', { agentId: ids.agentA, ...range }), 'FORBIDDEN')
    const other = await member('senior_agent', 'senior2', '组长周', '二组')
    await refused(() => other.client.try('viewings.calendar', { agentId: ids.agentA, ...range }), 'FORBIDDEN')
    expect((await desk.call('viewings.sheet', { id: v.id })).viewing).toMatchObject({ clientName: BUYER_A.name, feedback: null })
    expect((await desk.call('viewings.list', { clientId: clientA })).viewings[0]!.feedback).toBeNull()
    expect((await desk.call('viewings.calendar', { agentId: ids.agentA, ...range })).viewings[0]!.feedback).toBeNull()
    for (const c of [agentA, senior, mgr]) expect((await c.call('viewings.sheet', { id: v.id })).viewing.feedback).toBe('嫌贵，想要低楼层')
    expect((await senior.call('viewings.calendar', { agentId: ids.agentA, ...range })).viewings[0]!.feedback).toBe('嫌贵，想要低楼层')
    // a viewing the agent shows for a client they do not own (booked by the manager) is theirs to print
    const forB = await mgr.call('viewings.book', { clientId: clientA, address: '别处', startsAt: new Date(clock.now().getTime() + 5 * HOUR).toISOString(), agentId: ids.agentB })
    expect((await agentB.call('viewings.sheet', { id: forB.id })).viewing.id).toBe(forB.id)
  })

  it('change requests: others see their own, those on their deals and those their role decides', async () => {
    await admin.call('changes.setSteps', { kind: 'discount', steps: ['senior_agent', 'manager'] })
    const u = await dealOfA('202')
    const req = await agentA.call('changes.request', { kind: 'discount', unitId: u.id, payload: { price: u.tx!.price - 100_000 } })
    const price = await agentB.call('changes.request', { kind: 'price', unitId: (await unit('203')).id, payload: { listPrice: 4_000_000_00 } })
    const seen = async (c: ApiClient) => (await c.call('changes.list', {})).requests.map((r) => r.id).sort()
    expect(await seen(agentB)).toEqual([price.id])
    expect(await seen(agentA)).toEqual([req.id])
    expect(await seen(senior)).toEqual([req.id])
    expect(await seen(mgr)).toEqual([req.id, price.id].sort())
    expect(await seen(admin)).toEqual([req.id, price.id].sort())
    expect(JSON.stringify(await agentB.call('changes.list', { unitId: u.id }))).not.toContain(BUYER_A.name)
  })
})

describe('errors tell no more than the caller may see', () => {
  /** The error must not name 买家甲 nor carry their number, in any field. */
  const clean = (e: unknown) => {
    const text = JSON.stringify(e)
    expect(text).not.toContain(BUYER_A.name)
    expect(text.replace(/\D/g, '')).not.toContain(BUYER_A.phone)
  }

  it('a refused reservation names the agent holding the unit, never their client', async () => {
    const u = await dealOfA('101')
    const e = await refused(() => reserve(agentB, u.id, clientB, 'B1'), 'CONFLICT', 'unit_pledge')
    clean(e)
    expect(e.params).toEqual({ status: 'pledge', holder: '李四' })
    // a swap into that unit, approved by the manager, is refused the same way
    const mine = await unit('102')
    await reserve(agentB, mine.id, clientB, 'B2')
    const swap = await agentB.call('changes.request', { kind: 'swap', unitId: mine.id, payload: { toUnitId: u.id } })
    clean(await refused(() => mgr.try('changes.decide', { id: swap.id, approve: true }), 'CONFLICT', 'unit_pledge'))
  })

  it('a viewing clash on a unit says when, not with whom; a pending request is not pointed at', async () => {
    const u = await unit('103')
    const at = new Date(clock.now().getTime() + 2 * HOUR).toISOString()
    await agentA.call('viewings.book', { clientId: clientA, unitId: u.id, startsAt: at })
    const e = await refused(() => agentB.try('viewings.book', { clientId: clientB, unitId: u.id, startsAt: at }), 'CONFLICT', 'unit_busy')
    clean(e)
    expect(e.params).toEqual({ startsAt: at })
    // the agent's own clash still names their own client
    expect(await agentA.try('viewings.book', { clientId: clientA, address: '别处', startsAt: at })).toMatchObject({ ok: false, error: { reason: 'agent_busy', params: { clientName: BUYER_A.name } } })

    await agentA.call('changes.request', { kind: 'price', unitId: u.id, payload: { listPrice: 4_000_000_00 } })
    const pending = await refused(() => agentB.try('changes.request', { kind: 'price', unitId: u.id, payload: { listPrice: 3_900_000_00 } }), 'CONFLICT', 'request_pending')
    expect(pending.params).toBeUndefined()
  })

  it('every refusal of a colleague’s client leaves the client out of the error', async () => {
    const u = await dealOfA('201')
    const card = await desk.call('cards.issue', { clientId: clientA, read: { uid: 'A1B2C3D4' } })
    const v = await agentA.call('viewings.book', { clientId: clientA, address: '世纪公园', startsAt: new Date(clock.now().getTime() + 2 * HOUR).toISOString() })
    const tries: Array<() => Promise<Result<unknown>>> = [
      () => agentB.try('club.standing', { clientId: clientA }),
      () => agentB.try('club.ledger', { clientId: clientA }),
      () => agentB.try('cards.list', { clientId: clientA }),
      () => agentB.try('cards.reportLost', { cardId: card.id }),
      () => agentB.try('cards.issue', { clientId: clientB, read: { uid: 'A1B2C3D4' } }),
      () => agentB.try('viewings.sheet', { id: v.id }),
      () => agentB.try('viewings.list', { clientId: clientA }),
      () => agentB.try('units.reserve', { unitId: u.id, clientId: clientA, deposit: 1, receiptNo: 'Z', method: 'cash' }),
      () => agentB.try('units.advance', { unitId: u.id, to: 'subscribe' }),
      () => agentB.try('payments.list', { unitId: u.id }),
      () => agentB.try('changes.request', { kind: 'discount', unitId: u.id, payload: { price: 1_000_000_00 } }),
      () => agentB.try('matching.unitsForClient', { clientId: clientA }),
      () => agentB.try('needs.list', { clientId: clientA }),
      () => agentB.try('followups.list', { clientId: clientA }),
      () => agentB.try('clients.revealPhones', { id: clientA, reason: '想联系' }),
    ]
    for (const run of tries) {
      const r = await run()
      expect(r.ok).toBe(false)
      clean(r)
    }
  })
})
