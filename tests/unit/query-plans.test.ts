import fs from 'node:fs'
import path from 'node:path'
import { Kysely } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { HandlerContext, SessionInfo } from '../../electron/host/api/handler'
import { ManualClock } from '../../electron/host/clock'
import { tasksHandlers } from '../../electron/host/domains/tasks/tasks.service'
import { openDatabase, type OpenedDatabase } from '../../electron/host/db/open'
import { procedureOf } from '../../electron/host/db/procedures'
import type { DB } from '../../electron/host/db/schema'
import { findSession } from '../../electron/host/domains/auth/sessions.repository'
import { resolveSearch, SEARCH_COUNT_CAP, searchClients } from '../../electron/host/domains/clients/client-search'
import { GridTotals, listClients } from '../../electron/host/domains/clients/client-grid'
import { clientsByPhones } from '../../electron/host/domains/clients/clients.repository'
import { generateClients } from '../../electron/host/demo/generate-clients'
import { unitRecords } from '../../electron/host/domains/units/units.repository'
import { ClientListInput } from '@shared/contract/clients'
import { countStatement, stepStatement, STEPS } from '../../electron/host/domains/clients/search-sql'
import { InlineProcedureDialect, type HeardStatement } from '../helpers/inline-procedures'
import { tempDir } from '../helpers/temp-host'

// EXPLAIN QUERY PLAN for the hot queries, run through the real repository code:
// fails when an index stops being used or a sort falls back to a temporary B-tree.
let dir: string
let store: OpenedDatabase
let captured: HeardStatement[] = []
let db: Kysely<DB>
const viewer: SessionInfo = { tokenHash: 'x', staffId: 1, username: 'a', name: 'A', role: 'manager', team: '一组', expiresAt: '' }

beforeAll(() => {
  dir = tempDir('keyuan-plan-')
  store = openDatabase(path.join(dir, 'keyuan.db'), 'f6'.repeat(32))
  // a branch-like spread: 20 agents in 4 teams
  const addStaff = store.sqlite.prepare(`INSERT INTO staff (username, name, role, team, password_hash, created_at, updated_at) VALUES (?, ?, 'agent', ?, 'x', 'n', 'n')`)
  for (let i = 1; i <= 20; i++) addStaff.run(`a${i}`, `A${i}`, `${i % 4}组`)
  generateClients(store.sqlite, { clients: 2000, ownerIds: Array.from({ length: 20 }, (_, i) => i + 1), now: new Date('2026-11-25T00:00:00Z') })
  store.sqlite.exec('ANALYZE')
  // a search runs whole in a reader's thread (search-procedure.ts): here on this handle, its statements heard
  db = new Kysely<DB>({
    dialect: new InlineProcedureDialect(store.sqlite, (st) => captured.push(st)),
    log: (e) => {
      // a procedure call is no statement: the statements it runs are heard above
      if (e.level === 'query' && !procedureOf(e.query)) captured.push(e.query)
    },
  })
})
afterAll(async () => {
  await store.close()
  fs.rmSync(dir, { recursive: true, force: true })
})

async function plansOf(run: () => unknown): Promise<string[]> {
  return (await statementsOf(run)).map((s) => s.plan)
}

/** Each statement `run` makes, with its plan. */
async function statementsOf(run: () => unknown): Promise<Array<{ sql: string; plan: string }>> {
  captured = []
  await run()
  return captured.map((q) => ({
    sql: q.sql,
    plan: (store.sqlite.prepare(`EXPLAIN QUERY PLAN ${q.sql}`).all(...(q.parameters as unknown[])) as Array<{ detail: string }>)
      .map((r) => r.detail)
      .join(' | '),
  }))
}

const list = (input: unknown) => () => listClients(db, ClientListInput.parse(input), viewer, new Date('2026-11-25T00:00:00Z'), new GridTotals())

/** A search step's range: the whole fields' terms, or (the inner-part step) the inner parts' own table (migration 045). */
const INNER_RANGE = /^SEARCH search_inner USING PRIMARY KEY \(term>\? AND term<\?\)/
const TERM_RANGE = /^SEARCH (search_terms USING PRIMARY KEY \(term[=>]|search_inner USING PRIMARY KEY \(term>\? AND term<\?\))/
/** A statement's plan reads search terms (either table). */
const TERMS = /search_(terms|inner)/

describe('query plans of hot queries', () => {
  it('search uses the term index for exact, prefix and substring steps', async () => {
    for (const q of ['张伟', 'zw', '5678', 'ky000123']) {
      const plans = await plansOf(() => searchClients(db, q, 20, viewer))
      const termPlans = plans.filter((p) => TERMS.test(p))
      expect(termPlans.length).toBeGreaterThan(0)
      for (const p of termPlans) for (const part of p.split(' | ').filter((x) => TERMS.test(x))) expect(part, q).toMatch(TERM_RANGE)
      for (const p of plans.filter((x) => x.includes('clients'))) expect(p).toMatch(/SEARCH c USING INTEGER PRIMARY KEY/)
    }
  })

  // issue #16 item 12: a short code (KY301, 301) and a card's printed number are terms of the same
  // index, so they cost what the whole code costs: the same statements, each its own range of it
  it('a short code and a printed card number stay on the term index, in no more statements than the whole code', async () => {
    const whole = await statementsOf(() => searchClients(db, 'ky000123', 20, viewer))
    const wholeTerms = whole.filter((s) => TERMS.test(s.plan)).length
    expect(wholeTerms).toBeGreaterThan(0)
    for (const q of ['KY123', 'ky123', '123', '000123', '0305441741', '305441741']) {
      const statements = await statementsOf(() => searchClients(db, q, 20, viewer))
      // (a query with no hits reads no rows: one statement fewer)
      expect(statements.length, q).toBeLessThanOrEqual(whole.length)
      const termPlans = statements.map((s) => s.plan).filter((p) => TERMS.test(p))
      // a step per statement, each one range of the term index; no more steps than the whole code takes
      expect(termPlans.length, q).toBeGreaterThan(0)
      expect(termPlans.length, q).toBeLessThanOrEqual(wholeTerms)
      for (const p of termPlans) for (const part of p.split(' | ').filter((x) => TERMS.test(x))) expect(part, q).toMatch(TERM_RANGE)
      for (const p of statements.map((s) => s.plan)) expect(p, q).not.toMatch(/SCAN (search_terms|search_inner|clients|c|oc)\b/)
    }
    // and they find what they name: the generated branch's client KY000123
    expect((await searchClients(db, 'KY123', 20, viewer)).hits[0]).toMatchObject({ code: 'KY000123', matchedOn: 'code', rank: 'exact' })
  })

  // phone digits match only clients the caller sees in full: the filter is part of each term
  // query (the owner read on the index entry (owner_id, id) per candidate row, never the table
  // row, issue #15), never a scan of clients
  it.each([
    ['agent', { staffId: 3, role: 'agent', team: null }, true],
    ['senior', { staffId: 3, role: 'senior_agent', team: '3组' }, true],
    ['front desk', { staffId: 30, role: 'front_desk', team: null }, false],
  ] as const)('digits searched by %s stay on the term index', async (_who, v, byOwner) => {
    for (const q of ['5678', '13800000000']) {
      const plans = await plansOf(() => searchClients(db, q, 20, v))
      // a statement per step run (exact, prefix, substring: these few matches fill no page, so all three
      // run and no count), each one range of the term index; the inner parts in their own table (migration 045)
      const termPlans = plans.filter((p) => TERMS.test(p))
      expect(termPlans, q).toHaveLength(3)
      for (const p of termPlans) expect(p.split(' | ').filter((part) => TERMS.test(part)), q).toHaveLength(1)
      for (const p of [termPlans[0], termPlans[1]]) expect(p, q).toMatch(/^SEARCH search_terms USING PRIMARY KEY \(term[=>]/)
      expect(termPlans[2], q).toMatch(INNER_RANGE)
      for (const p of termPlans) expect(p, q).not.toMatch(/SCAN|TEMP B-TREE/)
      if (byOwner) for (const p of termPlans) expect(p, q).toContain('SEARCH oc USING INDEX clients_grid_owner (owner_id=? AND id=?)')
      if (byOwner) for (const p of termPlans) expect(p, q).not.toContain('SEARCH oc USING INTEGER PRIMARY KEY')
      for (const p of plans) expect(p, q).not.toMatch(/SCAN (clients|c|oc)\b/)
    }
  })

  // issue #15: an agent's 3-digit count walked the owner of every number starting so on its table
  // row (a page of clients decrypted per number: 86 ms at 100,000 clients); the index entry answers
  it.each([
    ['agent', { staffId: 3, role: 'agent', team: null }],
    ['senior', { staffId: 3, role: 'senior_agent', team: '3组' }],
  ] as const)('the count of digits searched by %s checks owners on clients_grid_owner, never a client row', async (_who, v) => {
    for (const q of ['138', '5678']) {
      const { match } = await resolveSearch(db, q, v)
      // the count a search runs when a step was cut short (search-procedure.ts)
      const plans = await plansOf(async () => void captured.push(countStatement(match, SEARCH_COUNT_CAP + 1)))
      expect(plans, q).toHaveLength(1)
      // the count's own range and its owner check
      const count = plans[0]!.slice(plans[0]!.indexOf('SEARCH search_terms'))
      expect(count, q).toMatch(/^SEARCH search_terms USING PRIMARY KEY \(term>\? AND term<\?\)/)
      expect(count, q).toContain('SEARCH oc USING INDEX clients_grid_owner (owner_id=? AND id=?)')
      expect(plans[0], q).not.toMatch(/INTEGER PRIMARY KEY|SCAN (clients|c|oc)\b/)
    }
  })

  // issue #15: the inner-part step read the term index's whole range and kept pos > 0, so a
  // 客户编号 prefix (`ky0`: every code of the book at pos 0, no inner part) walked 100,000 entries
  // to find nothing; their own table (migration 045; an index of them before, 039) holds the inner parts alone
  it('the inner-part step of a search reads the inner parts\' own table, for names, digits and codes alike', async () => {
    for (const q of ['ky0', 'ky00012', '伟', '5678']) {
      const { match } = await resolveSearch(db, q, viewer)
      expect(match.reach, q).toBe('contains')
      const plans = await plansOf(async () => {
        for (const step of STEPS[match.reach]) captured.push(stepStatement(match, step, 60))
        captured.push(countStatement(match, SEARCH_COUNT_CAP + 1))
      })
      const ranges = plans.map((p) => p.split(' | ').find((part) => TERMS.test(part)))
      // exact, prefix, inner, the count
      expect(ranges, q).toHaveLength(4)
      expect(ranges[2], q).toMatch(INNER_RANGE)
      for (const part of [ranges[0], ranges[1], ranges[3]]) expect(part, q).toMatch(/^SEARCH search_terms USING PRIMARY KEY \(term[=>]/)
    }
  })

  it('session lookup is a primary-key search', async () => {
    const plans = await plansOf(() => findSession(db, 'abc'))
    expect(plans[0]).toMatch(/SEARCH sessions USING INDEX sqlite_autoindex_sessions_1 \(token_hash=\?\)/)
  })

  // on a reader the page cache is cold after every write elsewhere: a walk over an agent's
  // thousands of clients would be decrypted again each time the list is opened
  it('the today list reads each of its parts by index, never walking an agent\'s clients', async () => {
    const handler = tasksHandlers['tasks.today']
    if (typeof handler !== 'function') throw new Error('tasks.today is a one-phase handler')
    const ctx = { db, session: { ...viewer, role: 'agent', staffId: 3 }, clock: new ManualClock(new Date('2026-11-25T00:00:00Z')) } as unknown as HandlerContext
    const plans = await plansOf(() => handler({}, ctx))
    expect(plans.length).toBeGreaterThanOrEqual(6)
    for (const p of plans) expect(p).not.toMatch(/SCAN (clients|c|t|v|tasks)\b/)
    expect(plans.find((p) => p.includes('claimed_at'))?.toString() ?? plans.join('\n')).toMatch(/SEARCH c USING INDEX clients_owner_claimed \(owner_id=\? AND claimed_at>\?\)/)
  })

  it('duplicate check by phone uses the unique phone index', async () => {
    const plans = await plansOf(() => clientsByPhones(db, ['+8613812345678']))
    expect(plans[0]).toMatch(/SEARCH p USING INDEX sqlite_autoindex_client_phones_1 \(e164=\?\)/)
  })

  // every sort has a grid index (migration 010) holding every filter column: the page walks it in
  // order and checks the filters on its entries, so it reads no table row and sorts nothing,
  // whatever the filter (the hot combinations of issue #15 among them)
  it.each([
    [{}, 'clients_created'],
    [{ sort: { field: 'createdAt', dir: 'asc' } }, 'clients_created'],
    [{ sort: { field: 'lastFollowUpAt', dir: 'desc' } }, 'clients_last_follow_up'],
    [{ sort: { field: 'completeness', dir: 'asc' } }, 'clients_completeness'],
    [{ sort: { field: 'name', dir: 'asc' } }, 'clients_name'],
    [{ sort: { field: 'code', dir: 'desc' } }, 'clients_grid_code'],
    [{ sort: { field: 'tier', dir: 'desc' } }, 'clients_grid_tier'],
    [{ sort: { field: 'stage', dir: 'asc' } }, 'clients_stage'],
    [{ sort: { field: 'region', dir: 'asc' } }, 'clients_region'],
    [{ sort: { field: 'sourceChannel', dir: 'desc' } }, 'clients_source'],
    [{ filter: { region: '浦东', tier: ['key'] }, sort: { field: 'name', dir: 'asc' } }, 'clients_name'],
    [{ filter: { stage: ['negotiating'] }, sort: { field: 'lastFollowUpAt', dir: 'desc' } }, 'clients_last_follow_up'],
    [{ filter: { tier: ['vip'] }, sort: { field: 'completeness', dir: 'desc' } }, 'clients_completeness'],
    [{ filter: { region: '浦东' } }, 'clients_created'],
    [{ filter: { demandType: ['invest'], blacklisted: false } }, 'clients_created'],
    [{ filter: { sourceChannel: ['walk_in'], completenessMin: 50 }, sort: { field: 'code', dir: 'asc' } }, 'clients_grid_code'],
    [{ filter: { lastFollowUpBefore: '2026-11-01T00:00:00.000Z' }, sort: { field: 'stage', dir: 'desc' } }, 'clients_stage'],
    [{ view: 'mine', sort: { field: 'lastFollowUpAt', dir: 'desc' } }, 'clients_last_follow_up'],
    [{ view: 'vip_stale_7d' }, 'clients_created'],
    [{ filter: { tier: ['vip', 'key'], region: '浦东' }, sort: { field: 'region', dir: 'desc' } }, 'clients_region'],
    [{ filter: { neverFollowedUp: true }, sort: { field: 'name', dir: 'desc' } }, 'clients_name'],
  ])('grid page %j walks %s in order', async (input, index) => {
    const [page, ...rest] = await statementsOf(list({ ...input, limit: 20 }))
    expect(page?.plan).toMatch(new RegExp(`^(SCAN|SEARCH) c USING INDEX ${index}\\b`))
    expect(page?.plan).not.toMatch(/TEMP B-TREE|SCAN c$|SCAN c \|/)
    // counting reads an index, never the table, and never joins the owner
    const counts = rest.filter((s) => s.sql.includes('count('))
    expect(counts.length).toBeGreaterThan(0)
    for (const count of counts) {
      expect(count.plan).toMatch(/(SEARCH|SCAN) c USING (COVERING )?INDEX/)
      expect(count.plan).not.toMatch(/SCAN c$|SCAN c \|| o /)
    }
  })

  // the owner sort goes owner by owner: each owner's part of the page in id order from
  // clients_grid_owner (owner_id=?), the owners before the page counted there too (past offset
  // 1,000 all of them in one walk of that index); a filter
  // holding few clients (at most 1,000) is read whole from an index and put in owner order
  // in JS. No statement sorts clients or reads their table for it. (Until #15's owner-sort
  // follow-up the first statement counted every owner's clients in one walk of the index.)
  it.each([
    [{ sort: { field: 'owner', dir: 'asc' } }, true],
    [{ sort: { field: 'owner', dir: 'desc' }, offset: 150 }, true],
    // deep: every owner counted in one walk of clients_grid_owner, in its order (no sort either)
    [{ sort: { field: 'owner', dir: 'asc' }, offset: 1500 }, true],
    [{ filter: { demandType: ['rigid'] }, sort: { field: 'owner', dir: 'desc' } }, false],
    [{ filter: { tier: ['vip'] }, sort: { field: 'owner', dir: 'asc' } }, false],
    [{ filter: { ownerId: [3] }, sort: { field: 'owner', dir: 'asc' } }, false],
    [{ view: 'mine', sort: { field: 'owner', dir: 'desc' } }, false],
  ])('grid page %j sorts by owner without sorting the clients', async (input, walked) => {
    const plans = await plansOf(list(input))
    for (const p of plans) expect(p).not.toMatch(/SCAN c$|SCAN c \||TEMP B-TREE/)
    const perOwner = plans.filter((p) => p.includes('(owner_id=?)') && !p.includes('CO-ROUTINE'))
    if (walked) {
      expect(perOwner.length).toBeGreaterThan(0)
      for (const p of perOwner) expect(p).toBe('SEARCH c USING INDEX clients_grid_owner (owner_id=?)')
    } else {
      // one read of the filter's clients, the page's rows read by id after it
      const reads = plans.filter((p) => /^(SEARCH|SCAN) c USING (COVERING )?INDEX/.test(p))
      expect(reads).toHaveLength(1)
    }
  })

  it('the board reads a project\'s units and their live deals by index, never scanning a table', async () => {
    for (const where of [{ projectId: 1 }, { unitIds: [1, 2, 3] }]) {
      const [plan] = await plansOf(() => unitRecords(db, where))
      expect(plan).toContain('unit_transactions_one_live')
      expect(plan).toContain('payments_tx')
      expect(plan).not.toMatch(/SCAN (u|b|t|p)\b/)
    }
  })
})
