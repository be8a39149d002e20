import type { KyselyPlugin } from 'kysely'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { ApiClient } from '@shared/contract/client'
import { BEHAVIOUR_TAG_RULES } from '@shared/domain/behaviour-tags'
import { ManualClock } from '../../electron/host/clock'
import { writeBehaviourTags } from '../../electron/host/domains/clients/behaviour-tags'
import { applyRules } from '../../electron/host/domains/followups/rules/evaluate'
import { getRules } from '../../electron/host/domains/settings/rules.repository'
import type { Host } from '../../electron/host/host'
import { adminClient, staffClient } from '../helpers/staff'
import { startTempHost } from '../helpers/temp-host'
import { unitSheetBase64 } from '../helpers/unit-sheet'

const HOUR = 3_600_000
const DAY = 24 * HOUR
const WAN = 10_000 * 100 // 万元 in fen

let host: Host & { cleanup(): Promise<void> }
let clock: ManualClock
let agent: ApiClient
let desk: ApiClient
let unitIds: Map<string, number>

// a fresh host each test: the first moves the clock past the sessions' lifetime
beforeEach(async () => {
  clock = new ManualClock(new Date('2026-11-02T01:00:00.000Z'))
  host = await startTempHost({ clock })
  const admin = await adminClient(host)
  const manager = (await staffClient(host, admin, 'manager', 'bt-mgr')).client
  agent = (await staffClient(host, admin, 'agent', 'bt-agent')).client
  desk = (await staffClient(host, admin, 'front_desk', 'bt-desk')).client
  const projectId = (await manager.call('projects.create', { name: '标签花园', district: '浦东' })).id
  // list prices in yuan as a sheet has them: 510万 and 560万
  const rows = [
    { building: '1号楼', floor: 5, number: '501', layout: '3室2厅', area: 98.5, orientation: '南北', listPrice: 5_100_000 },
    { building: '1号楼', floor: 6, number: '601', layout: '3室2厅', area: 98.5, orientation: '南北', listPrice: 5_600_000 },
  ]
  expect(await manager.call('units.import', { projectId, fileBase64: await unitSheetBase64(rows) })).toMatchObject({ imported: 2 })
  unitIds = new Map((await manager.call('board.get', { projectId })).units.map((u) => [u.number, u.id]))
})
afterEach(() => host.cleanup())

async function newClient(name: string) {
  return (await agent.call('clients.create', { kind: 'person', name, phones: [{ number: '13900001234' }], sourceChannel: 'phone' })).id
}
const tagsOf = async (id: number) => (await agent.call('clients.get', { id })).behaviourTags
/** The stored tags, read from the file (after days pass, the test's sessions have expired). */
const storedTags = (id: number) => JSON.parse(host.database.sqlite.prepare('SELECT behaviour_tags FROM clients WHERE id = ?').pluck().get(id) as string) as string[]
const inHours = (h: number) => new Date(clock.now().getTime() + h * HOUR).toISOString()

describe('behaviour tags are written by the host from what the client did', () => {
  it('近3天咨询N次 and 近期有联系: appear with the contacts, go when their windows lapse', async () => {
    const id = await newClient('咨询多')
    expect(await tagsOf(id)).toEqual([])
    await agent.call('followups.create', { clientId: id, channel: 'phone', content: '来电问价' })
    // one contact: recent, not yet frequent
    expect(await tagsOf(id)).toEqual(['recentContact'])
    clock.advance(HOUR)
    await desk.call('frontdesk.registerVisit', { clientId: id })
    // the front-desk arrival is the second enquiry, tagged in the same change
    expect(await tagsOf(id)).toEqual(['enquiries:2', 'recentContact'])
    // an agent's own note is no contact
    await agent.call('followups.create', { clientId: id, channel: 'note', content: '内部备注' })
    expect(await tagsOf(id)).toEqual(['enquiries:2', 'recentContact'])

    clock.advance(BEHAVIOUR_TAG_RULES.enquiries.days * DAY)
    await host.scheduler.runOnce()
    expect(storedTags(id)).toEqual(['recentContact'])
    clock.advance((BEHAVIOUR_TAG_RULES.recentContact.days - BEHAVIOUR_TAG_RULES.enquiries.days) * DAY + HOUR)
    await host.scheduler.runOnce()
    expect(storedTags(id)).toEqual([])
  })

  it('a pass queued before the contacts (its slices evaluate at its own time) keeps the tags they set', async () => {
    const id = await newClient('刚来电')
    const queuedAt = clock.now()
    clock.advance(HOUR)
    for (const content of ['来电', '又来电']) await agent.call('followups.create', { clientId: id, channel: 'phone', content })
    expect(await tagsOf(id)).toEqual(['enquiries:2', 'recentContact'])
    await host.database.db.transaction().execute(async (trx) => applyRules(trx, host.auditLog, queuedAt, await getRules(trx), { all: true }))
    expect(await tagsOf(id)).toEqual(['enquiries:2', 'recentContact'])
  })

  it('学区房偏好 and the property type: appear with an active need, go when it is closed', async () => {
    const id = await newClient('要学区')
    const need = await agent.call('needs.create', { clientId: id, kind: 'residential', propertyType: 'apartment', amenities: { school: true } })
    expect(await tagsOf(id)).toEqual(['prefers:apartment', 'prefers:school'])
    const edited = await agent.call('needs.update', { id: need.id, version: need.version, amenities: { school: false, metro: true } })
    expect(await tagsOf(id)).toEqual(['prefers:apartment', 'prefers:metro'])
    await agent.call('needs.update', { id: edited.id, version: edited.version, active: false })
    expect(await tagsOf(id)).toEqual([])
  })

  it('price willingness: units booked against the budget, within it or beyond it, gone with the viewing', async () => {
    const id = await newClient('看价格')
    const need = await agent.call('needs.create', { clientId: id, kind: 'residential', totalPriceMax: 600 * WAN })
    // no unit viewed yet: no price tag
    expect(await tagsOf(id)).toEqual([])
    const v = await agent.call('viewings.book', { clientId: id, unitId: unitIds.get('501'), startsAt: inHours(2) })
    expect(await tagsOf(id)).toEqual(['withinBudget'])
    // the budget comes down to 450万: 510万 is more than 10 % over it
    const lowered = await agent.call('needs.update', { id: need.id, version: need.version, totalPriceMax: 450 * WAN })
    expect(await tagsOf(id)).toEqual(['budgetStretch'])
    // 480万: 510万 is over, by less than 10 %: neither tag
    await agent.call('needs.update', { id: lowered.id, version: lowered.version, totalPriceMax: 480 * WAN })
    expect(await tagsOf(id)).toEqual([])
    await agent.call('viewings.book', { clientId: id, unitId: unitIds.get('601'), startsAt: inHours(5) })
    expect(await tagsOf(id)).toEqual(['budgetStretch'])
    // both viewings cancelled: nothing viewed, no price tag
    const all = (await agent.call('viewings.list', { clientId: id })).viewings
    for (const x of all) await agent.call('viewings.record', { id: x.id, version: x.version, status: 'cancelled' })
    expect(all.map((x) => x.id)).toContain(v.id)
    expect(await tagsOf(id)).toEqual([])
  })
})

describe('a pass over the book', () => {
  it('tags 1,000 clients with the same few statements as 10 (no query per client)', async () => {
    const sqlite = host.database.sqlite
    const at = clock.now().toISOString()
    const firstNew = (sqlite.prepare('SELECT max(id) FROM clients').pluck().get() as number) + 1
    const staffId = sqlite.prepare(`SELECT id FROM staff WHERE username = 'bt-agent'`).pluck().get() as number
    // 1,000 clients with two calls each today, written straight to the file (the book a pass meets)
    sqlite
      .prepare(
        `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000)
         INSERT INTO clients (code, kind, name, source_channel, tier, stage, owner_id, created_at, updated_at)
         SELECT 'BT' || i, 'person', '批量' || i, 'phone', 'normal', 'potential', ?, ?, ? FROM n`,
      )
      .run(staffId, at, at)
    sqlite
      .prepare(
        `INSERT INTO follow_ups (client_id, staff_id, channel, content, created_at)
         SELECT c.id, ?, 'phone', '来电', ? FROM clients c, (SELECT 1 UNION ALL SELECT 2) WHERE c.id >= ?`,
      )
      .run(staffId, at, firstNew)

    const countStatements = async (scope: Parameters<typeof writeBehaviourTags>[2]) => {
      let statements = 0
      const counter: KyselyPlugin = {
        transformQuery: (args) => {
          statements += 1
          return args.node
        },
        transformResult: async (args) => args.result,
      }
      const changed = await host.database.db.transaction().execute((trx) => writeBehaviourTags(trx.withPlugin(counter), clock.now(), scope))
      return { statements, changed }
    }
    const ten = await countStatements({ idRange: { from: firstNew, to: firstNew + 10 } })
    const thousand = await countStatements({ idRange: { from: firstNew, to: firstNew + 1000 } })
    expect(ten.changed).toBe(10)
    expect(thousand.changed).toBe(990)
    expect(thousand.statements).toBe(ten.statements)
    expect(thousand.statements).toBeLessThanOrEqual(5)
    expect(sqlite.prepare(`SELECT count(*) FROM clients WHERE id >= ? AND behaviour_tags = '["enquiries:2","recentContact"]'`).pluck().get(firstNew)).toBe(1000)
    // the host's own reading of the client: no version bump, so no agent's open form goes stale
    expect(sqlite.prepare('SELECT max(version) FROM clients WHERE id >= ?').pluck().get(firstNew)).toBe(0)
  })
})

describe('the once-a-minute pass re-reads only the tags that can lapse; the whole book once a day', () => {
  it('a tag lapses at the next minute\'s pass, a client whose tags cannot lapse is not re-read, the day\'s first pass re-reads every client', async () => {
    const sqlite = host.database.sqlite
    const talked = await newClient('将过期')
    const quiet = (await agent.call('clients.create', { kind: 'person', name: '只有偏好', phones: [{ number: '13900005678' }], sourceChannel: 'phone' })).id
    // two calls nearly three days ago, an hour apart
    clock.advance(-(BEHAVIOUR_TAG_RULES.enquiries.days * DAY - 2 * HOUR))
    await agent.call('followups.create', { clientId: talked, channel: 'phone', content: '来电' })
    clock.advance(HOUR)
    await agent.call('followups.create', { clientId: talked, channel: 'phone', content: '又来电' })
    clock.advance(BEHAVIOUR_TAG_RULES.enquiries.days * DAY - 3 * HOUR)
    // the first pass is a whole one (no whole pass within a day): it rewrites what a hand put in the file
    sqlite.prepare(`UPDATE clients SET behaviour_tags = '["prefers:villa"]' WHERE id = ?`).run(quiet)
    await host.scheduler.runOnce()
    expect(storedTags(quiet)).toEqual([])
    expect(storedTags(talked)).toEqual(['enquiries:2', 'recentContact'])
    const lapsing = () => sqlite.prepare(`SELECT id FROM clients INDEXED BY clients_lapsing_tags WHERE instr(behaviour_tags, '"enquiries:') > 0 OR instr(behaviour_tags, '"recentContact"') > 0 OR instr(behaviour_tags, '"budgetStretch"') > 0 OR instr(behaviour_tags, '"withinBudget"') > 0`).pluck().all()
    expect(lapsing()).toEqual([talked])

    // two and a half hours on: the first call is over three days old, so 近3天咨询2次 goes at this minute's pass,
    // which is no whole one: the hand-made tag of the client whose tags cannot lapse stays
    clock.advance(2.5 * HOUR)
    sqlite.prepare(`UPDATE clients SET behaviour_tags = '["prefers:villa"]' WHERE id = ?`).run(quiet)
    await host.scheduler.runOnce()
    expect(storedTags(talked)).toEqual(['recentContact'])
    expect(storedTags(quiet)).toEqual(['prefers:villa'])
    const params = sqlite.prepare(`SELECT json_extract(params, '$.wholeTags') FROM jobs WHERE kind = 'rules.pass' ORDER BY id`).pluck().all()
    expect(params).toEqual([1, 0])

    // a day after the last whole pass, the next is whole again
    clock.advance(DAY)
    await host.scheduler.runOnce()
    expect(storedTags(quiet)).toEqual([])
  })
})

