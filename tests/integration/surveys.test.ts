import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ManualClock } from '../../electron/host/clock'
import type { Host } from '../../electron/host/host'
import type { ApiClient } from '@shared/contract/client'
import { adminClient, STAFF_PASSWORD, staffClient } from '../helpers/staff'
import { startTempHost } from '../helpers/temp-host'

// surveys (issue #20 item 2): templates on the questionnaire model, answers per client filled by
// staff, profile fields filled, summaries per template and period, and who may do what
let host: Host & { cleanup(): Promise<void> }
let admin: ApiClient
const as: Record<'manager' | 'agentA' | 'agentB' | 'desk', ApiClient> = {} as never
const ids = { manager: 0, agentA: 0, agentB: 0, desk: 0 }
let seq = 0
const clock = new ManualClock(new Date('2026-11-02T02:00:00Z'))

/** Everyone signs in again (the clock moved past their sessions). */
async function signInAll() {
  admin = await adminClient(host)
  for (const who of Object.keys(ids) as Array<keyof typeof ids>) {
    const c = host.client()
    await c.call('auth.login', { username: `sv-${who}`, password: STAFF_PASSWORD })
    as[who] = c
  }
}

const q = <T>(sql: string, ...args: unknown[]) => host.database.sqlite.prepare(sql).pluck().get(...args) as T

beforeAll(async () => {
  host = await startTempHost({ clock })
  admin = await adminClient(host)
  for (const who of Object.keys(ids) as Array<keyof typeof ids>) {
    const role = who === 'manager' ? 'manager' : who === 'desk' ? 'front_desk' : 'agent'
    const r = await staffClient(host, admin, role, `sv-${who}`)
    as[who] = r.client
    ids[who] = r.staff.id
  }
})
afterAll(() => host.cleanup())

async function client(owner: ApiClient) {
  seq++
  return owner.call('clients.create', { kind: 'person', name: `调查客户${seq}`, phones: [{ number: `1360000${String(seq).padStart(4, '0')}` }], sourceChannel: 'walk_in' })
}

async function template(kind: 'satisfaction' | 'needs' | 'post_viewing' | 'post_sale') {
  return (await as.desk.call('surveys.templates', {})).templates.find((t) => t.surveyKind === kind)!
}

describe('survey templates', () => {
  it('are seeded one per kind, are not follow-up questionnaires, and the manager edits them', async () => {
    const { templates } = await as.agentA.call('surveys.templates', {})
    expect(templates.map((t) => t.surveyKind).sort()).toEqual(['needs', 'post_sale', 'post_viewing', 'satisfaction'])
    expect(templates.find((t) => t.name === '首次需求问卷')).toBeUndefined()
    const sat = await template('satisfaction')
    const edited = await as.manager.call('questionnaires.save', {
      id: sat.id,
      name: sat.name,
      surveyKind: 'satisfaction',
      questions: [...sat.questions.map((x) => ({ ...x, field: x.field ?? null })), { key: 'speed', text: '响应速度', type: 'score', required: false }],
    })
    expect(edited.surveyKind).toBe('satisfaction')
    expect((await template('satisfaction')).questions.map((x) => x.key)).toContain('speed')
    expect(await as.agentA.try('questionnaires.save', { id: sat.id, name: sat.name, surveyKind: 'satisfaction', questions: [{ key: 'a', text: 'a', type: 'score' }] })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
    // a follow-up questionnaire stays one: not listed as a survey, not answerable as one
    const plain = (await as.manager.call('questionnaires.list', {})).sets.find((s) => s.surveyKind === null)!
    const c = await client(as.agentA)
    expect(await as.agentA.try('surveys.answer', { setId: plain.id, clientId: c.id, channel: 'phone', answers: [] })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND', field: 'setId' } })
  })
})

describe('answering a survey', () => {
  it('at the counter by the desk or on a call by the agent: stored, logged as a contact, profile fields filled', async () => {
    const c = await client(as.agentA)
    const needs = await template('needs')
    const r = await as.agentA.call('surveys.answer', {
      setId: needs.id,
      clientId: c.id,
      channel: 'phone',
      answers: [
        { key: 'household', value: 4 },
        { key: 'horizon', value: 'near' },
        { key: 'demand', value: 'improve' },
        { key: 'region', value: '徐汇' },
      ],
    })
    expect(r).toMatchObject({ setId: needs.id, setName: '购房需求调查', clientId: c.id, staff: { id: ids.agentA }, channel: 'phone' })
    expect(await as.agentA.call('clients.get', { id: c.id })).toMatchObject({ householdSize: 4, purchaseHorizon: 'near', demandType: 'improve', region: '徐汇' })
    const log = await as.agentA.call('followups.list', { clientId: c.id, offset: 0, limit: 10 })
    expect(log.rows[0]).toMatchObject({ channel: 'phone', content: '购房需求调查', staffId: ids.agentA })

    const sat = await template('satisfaction')
    const atDesk = await as.desk.call('surveys.answer', { setId: sat.id, clientId: c.id, channel: 'counter', answers: [{ key: 'overall', value: 5 }, { key: 'agent', value: 4 }] })
    expect(atDesk).toMatchObject({ staff: { id: ids.desk }, channel: 'counter' })
    const mine = await as.agentA.call('surveys.responses', { clientId: c.id })
    expect(mine.rows.map((x) => x.setName)).toEqual(['服务满意度调查', '购房需求调查'])
  })

  it('with a required answer missing is refused naming the question, nothing saved', async () => {
    const c = await client(as.agentA)
    const needs = await template('needs')
    const before = q<number>('SELECT count(*) FROM survey_responses')
    const follows = q<number>('SELECT count(*) FROM follow_ups')
    const r = await as.agentA.try('surveys.answer', { setId: needs.id, clientId: c.id, channel: 'phone', answers: [{ key: 'household', value: 3 }, { key: 'demand', value: 'rigid' }] })
    expect(r).toMatchObject({ ok: false, error: { code: 'VALIDATION', reason: 'required_answer', field: 'answers.horizon', params: { question: '计划什么时候购房？' } } })
    // a wrong answer of a profile field, a score out of range, an unknown question
    expect(await as.agentA.try('surveys.answer', { setId: needs.id, clientId: c.id, channel: 'phone', answers: [{ key: 'horizon', value: 'someday' }, { key: 'demand', value: 'rigid' }] })).toMatchObject({ ok: false, error: { code: 'VALIDATION', reason: 'invalid_answer', field: 'answers.0.value' } })
    expect(await as.agentA.try('surveys.answer', { setId: needs.id, clientId: c.id, channel: 'phone', answers: [{ key: 'household', value: 99 }, { key: 'horizon', value: 'near' }, { key: 'demand', value: 'rigid' }] })).toMatchObject({ ok: false, error: { code: 'VALIDATION', reason: 'invalid_answer', field: 'answers.0.value' } })
    const sat = await template('satisfaction')
    expect(await as.agentA.try('surveys.answer', { setId: sat.id, clientId: c.id, channel: 'phone', answers: [{ key: 'overall', value: 9 }, { key: 'agent', value: 4 }] })).toMatchObject({ ok: false, error: { code: 'VALIDATION', reason: 'invalid_answer', params: { question: '对本次服务总体满意吗？' } } })
    expect(await as.agentA.try('surveys.answer', { setId: sat.id, clientId: c.id, channel: 'phone', answers: [{ key: 'mood', value: 'x' }] })).toMatchObject({ ok: false, error: { code: 'VALIDATION', reason: 'unknown_question' } })
    expect(q<number>('SELECT count(*) FROM survey_responses')).toBe(before)
    expect(q<number>('SELECT count(*) FROM follow_ups')).toBe(follows)
    expect(await as.agentA.call('clients.get', { id: c.id })).toMatchObject({ householdSize: null })
    // the host still answers
    expect(await as.agentA.call('surveys.templates', {})).toMatchObject({ templates: expect.any(Array) })
  })

  it('for a client the agent may not see is refused, and their answers stay unread', async () => {
    const c = await client(as.agentA)
    const sat = await template('satisfaction')
    const r = await as.agentB.try('surveys.answer', { setId: sat.id, clientId: c.id, channel: 'phone', answers: [{ key: 'overall', value: 1 }, { key: 'agent', value: 1 }] })
    expect(r).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', field: 'clientId' } })
    expect(JSON.stringify(r)).not.toContain(c.name)
    await as.agentA.call('surveys.answer', { setId: sat.id, clientId: c.id, channel: 'phone', answers: [{ key: 'overall', value: 3 }, { key: 'agent', value: 3 }] })
    expect(await as.agentB.try('surveys.responses', { clientId: c.id })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
    expect(await admin.try('surveys.answer', { setId: sat.id, clientId: c.id, channel: 'phone', answers: [{ key: 'overall', value: 5 }, { key: 'agent', value: 5 }] })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
  })
})

describe('a summary per template and period', () => {
  it('counts, averages and distributes the period’s answers; managers see all, others what they took', async () => {
    const pv = await template('post_viewing')
    clock.set(new Date('2026-12-01T02:00:00Z'))
    await signInAll()
    const c1 = await client(as.agentA)
    const c2 = await client(as.agentB)
    await as.agentA.call('surveys.answer', { setId: pv.id, clientId: c1.id, channel: 'phone', answers: [{ key: 'unit', value: 4 }, { key: 'service', value: 5 }, { key: 'next', value: '再看' }] })
    await as.agentB.call('surveys.answer', { setId: pv.id, clientId: c2.id, channel: 'phone', answers: [{ key: 'unit', value: 2 }, { key: 'service', value: 4 }, { key: 'next', value: '不合适' }] })
    await as.desk.call('surveys.answer', { setId: pv.id, clientId: c2.id, channel: 'counter', answers: [{ key: 'unit', value: 3 }, { key: 'service', value: 3 }] })
    // a later month is outside the period
    clock.set(new Date('2027-01-05T02:00:00Z'))
    await signInAll()
    await as.agentA.call('surveys.answer', { setId: pv.id, clientId: c1.id, channel: 'phone', answers: [{ key: 'unit', value: 1 }, { key: 'service', value: 1 }] })

    const december = { setId: pv.id, from: '2026-12-01T00:00:00+08:00', to: '2027-01-01T00:00:00+08:00' }
    const all = await as.manager.call('surveys.summary', december)
    expect(all).toMatchObject({ setId: pv.id, name: '带看回访调查', count: 3 })
    const unit = all.questions.find((x) => x.key === 'unit')!
    expect(unit).toMatchObject({ answered: 3, average: 3 })
    expect(unit.distribution.map((d) => d.count)).toEqual([0, 1, 1, 1, 0])
    expect(all.questions.find((x) => x.key === 'service')).toMatchObject({ average: 4 })
    expect(all.questions.find((x) => x.key === 'next')).toMatchObject({ answered: 2, average: null, distribution: [{ value: '再看', count: 1 }, { value: '考虑中', count: 0 }, { value: '不合适', count: 1 }] })
    // an agent sums up the surveys they took, not a colleague's
    const own = await as.agentA.call('surveys.summary', december)
    expect(own).toMatchObject({ count: 1 })
    expect(own.questions.find((x) => x.key === 'unit')).toMatchObject({ average: 4 })
    // a period ending before it starts, a questionnaire that is no survey
    expect(await as.manager.try('surveys.summary', { ...december, to: december.from })).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'to', reason: 'range' } })
    const plain = (await as.manager.call('questionnaires.list', {})).sets.find((s) => s.surveyKind === null)!
    expect(await as.manager.try('surveys.summary', { ...december, setId: plain.id })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND', field: 'setId' } })
    expect(await admin.try('surveys.summary', december)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
  })
})
