import fs from 'node:fs'
import path from 'node:path'
import { Kysely } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { z } from 'zod'
import { ClientListInput, ClientSortField } from '@shared/contract/clients'
import type { SessionInfo } from '../../electron/host/api/handler'
import { generateClients } from '../../electron/host/demo/generate-clients'
import type { PageKey } from '../../electron/host/db/keyset'
import { openDatabase, type OpenedDatabase } from '../../electron/host/db/open'
import type { DB } from '../../electron/host/db/schema'
import { clientsAfter, GridTotals, listClients } from '../../electron/host/domains/clients/client-grid'
import { resolveSearch } from '../../electron/host/domains/clients/client-search'
import type { SearchMatch } from '../../electron/host/domains/clients/clients.repository'
import { poolAfter, poolPage } from '../../electron/host/domains/pool/pool.repository'
import { taskKey, tasksAfter, tasksPage } from '../../electron/host/domains/tasks/tasks.repository'
import { InlineProcedureDialect, type HeardStatement } from '../helpers/inline-procedures'
import { tempDir } from '../helpers/temp-host'

// An export reads its grid by keyset (the last row's sort values and id), not by OFFSET: every
// row exactly once, in the grid's own order, however small the slices and however many rows tie
// or have no value; each slice's statements seek in the sort's index.
let dir: string
let store: OpenedDatabase
let db: Kysely<DB>
let captured: HeardStatement[] = []
const NOW = new Date('2026-11-25T00:00:00Z')
const manager: SessionInfo = { tokenHash: 'x', staffId: 1, username: 'a1', name: 'A1', role: 'manager', team: '0组', expiresAt: '' }
const agent: SessionInfo = { ...manager, staffId: 2, username: 'a2', name: 'A2', role: 'agent', team: '2组' }
/** Many small slices: a prime, so slices end inside runs of ties as well as on their edges. */
const SLICE = 7
const SORTS = ClientSortField.options

beforeAll(() => {
  dir = tempDir('keyuan-keyset-')
  store = openDatabase(path.join(dir, 'keyuan.db'), 'a7'.repeat(32))
  const addStaff = store.sqlite.prepare(`INSERT INTO staff (username, name, role, team, password_hash, created_at, updated_at) VALUES (?, ?, 'agent', ?, 'x', 'n', 'n')`)
  // two owners share a name: the owner sort orders them by id
  for (let i = 1; i <= 8; i++) addStaff.run(`a${i}`, i === 5 ? 'A4' : `A${i}`, `${i % 3}组`)
  generateClients(store.sqlite, { clients: 600, ownerIds: Array.from({ length: 8 }, (_, i) => i + 1), now: NOW })
  // ties and NULLs in every sort column that can have them: runs of equal values longer than a
  // slice, no region or no community (NULL sorts first ascending, last descending), equal times
  store.sqlite.exec(`
    UPDATE clients SET region = NULL WHERE id % 5 = 0;
    UPDATE clients SET community = NULL WHERE id % 3 = 0;
    UPDATE clients SET last_follow_up_at = NULL WHERE id % 4 = 0;
    UPDATE clients SET last_follow_up_at = '2026-11-20T00:00:00.000Z' WHERE id % 4 = 1;
    UPDATE clients SET created_at = '2026-11-01T00:00:00.000Z' WHERE id % 2 = 0;
    UPDATE clients SET completeness = 40 WHERE id % 3 = 1;
    UPDATE clients SET name = '同名' WHERE id % 6 = 2;
    UPDATE clients SET pooled_at = CASE WHEN id % 3 = 0 THEN NULL ELSE '2026-11-1' || (id % 2) || 'T00:00:00.000Z' END WHERE owner_id IS NULL;
  `)
  const addTask = store.sqlite.prepare(`INSERT INTO tasks (staff_id, client_id, rule, due_at, status, event_key, created_at) VALUES (2, NULL, 'wake', ?, ?, ?, 'n')`)
  for (let i = 0; i < 60; i++) addTask.run(`2026-11-2${i % 3}T00:00:00.000Z`, i % 4 === 0 ? 'done' : 'open', `k${i}`)
  store.sqlite.exec('ANALYZE')
  db = new Kysely<DB>({ dialect: new InlineProcedureDialect(store.sqlite, (st) => captured.push(st)), log: (e) => {
      if (e.level === 'query') captured.push(e.query)
    },
  })
})
afterAll(async () => {
  await store.close()
  fs.rmSync(dir, { recursive: true, force: true })
})

type Query = Pick<z.output<typeof ClientListInput>, 'filter' | 'view' | 'sort'>

/** The grid's rows for a query, page by page as the grid serves them (OFFSET pages of 100). */
async function gridIds(q: Query, viewer: SessionInfo, search: SearchMatch | null = null): Promise<number[]> {
  const ids: number[] = []
  for (let offset = 0; ; offset += 100) {
    const page = await listClients(db, { ...q, offset, limit: 100, exactTotal: false }, viewer, NOW, new GridTotals(), search)
    ids.push(...page.rows.map((r) => r.id))
    if (page.rows.length < 100) return ids
  }
}

/** The same rows as an export reads them: keyset slices of SLICE rows, each starting after the last key. */
async function keysetIds(q: Query, viewer: SessionInfo, search: SearchMatch | null = null): Promise<{ ids: number[]; slices: number }> {
  const ids: number[] = []
  let after: PageKey | null = null
  for (let slices = 1; ; slices++) {
    const slice = await clientsAfter(db, q, viewer, NOW, search, after, SLICE)
    ids.push(...slice.rows.map((r) => r.id))
    if (slice.read < SLICE) return { ids, slices }
    after = slice.last
  }
}

const query = (sort: Query['sort'], filter: Query['filter'] = {}, view: Query['view'] = 'all'): Query => ClientListInput.parse({ view, filter, sort, offset: 0, limit: 1 })

describe('export slices by keyset', () => {
  it('every sort of the client grid, both ways, ties and NULLs included: each row once, in the grid’s order', async () => {
    for (const field of SORTS) {
      for (const dir of ['asc', 'desc'] as const) {
        const q = query({ field, dir })
        const grid = await gridIds(q, manager)
        const { ids, slices } = await keysetIds(q, manager)
        expect(grid.length, field).toBeGreaterThan(500)
        expect(slices, field).toBeGreaterThan(70)
        expect(new Set(ids).size, `${field} ${dir}`).toBe(ids.length)
        expect(ids, `${field} ${dir}`).toEqual(grid)
      }
    }
  })

  it('with filters, a view and a search, the same: the grid’s rows once each, in its order', async () => {
    const search = (await resolveSearch(db, 'KY0001', manager)).match
    const cases: Array<[Query, SessionInfo, SearchMatch | null]> = [
      [query({ field: 'region', dir: 'desc' }, { tier: ['vip', 'key', 'normal'] }), manager, null],
      [query({ field: 'lastFollowUpAt', dir: 'asc' }, {}, 'team'), agent, null],
      [query({ field: 'owner', dir: 'desc' }, { completenessMin: 1 }), manager, null],
      [query({ field: 'owner', dir: 'asc' }, {}, 'mine'), agent, null],
      [query({ field: 'name', dir: 'asc' }), manager, search],
      [query({ field: 'owner', dir: 'asc' }), manager, search],
    ]
    for (const [q, viewer, match] of cases) {
      const grid = await gridIds(q, viewer, match)
      const { ids } = await keysetIds(q, viewer, match)
      expect(grid.length, JSON.stringify(q)).toBeGreaterThan(SLICE)
      expect(new Set(ids).size).toBe(ids.length)
      expect(ids, JSON.stringify(q)).toEqual(grid)
    }
  })

  it('the pool (NULL and tied return times) and a task list (tied due times) likewise', async () => {
    const pool = (await poolPage(db, undefined, 0, 10_000)).rows.map((r) => r.id)
    const pooled: number[] = []
    for (let after: PageKey | null = null; ; ) {
      const slice = await poolAfter(db, undefined, after, SLICE)
      pooled.push(...slice.rows.map((r) => r.id))
      if (slice.rows.length < SLICE) break
      after = slice.last
    }
    expect(pool.length).toBeGreaterThan(3 * SLICE)
    expect(pooled).toEqual(pool)
    for (const status of ['open', 'done']) {
      const all = (await tasksPage(db, 2, status, 0, 10_000)).rows.map((t) => t.id)
      const read: number[] = []
      for (let after: PageKey | null = null; ; ) {
        const rows = await tasksAfter(db, 2, status, after, SLICE)
        read.push(...rows.map((t) => t.id))
        if (rows.length < SLICE) break
        after = taskKey(rows.at(-1)!)
      }
      expect(all.length).toBeGreaterThan(SLICE)
      expect(read, status).toEqual(all)
    }
  })
})

/** The plans of the statements `run` makes that read `table`. */
async function plansOf(run: () => Promise<unknown>, table: string): Promise<string[]> {
  captured = []
  await run()
  return captured
    .map((q) => (store.sqlite.prepare(`EXPLAIN QUERY PLAN ${q.sql}`).all(...(q.parameters as unknown[])) as Array<{ detail: string }>).map((r) => r.detail).join(' | '))
    .filter((p) => p.includes(` ${table} `))
}

describe('query plans of an export slice', () => {
  it('a slice deep in the grid seeks in the sort’s index (no scan from the start, no sort) where the grid’s page has no sort either', async () => {
    for (const field of SORTS) {
      for (const dir of ['asc', 'desc'] as const) {
        const q = query({ field, dir }, { blacklisted: false })
        // the grid's own page: in index order, nothing sorted
        const gridPlans = await plansOf(() => listClients(db, { ...q, offset: 300, limit: 50, exactTotal: false }, manager, NOW, new GridTotals()), 'c')
        expect(gridPlans.join(' || '), `${field} ${dir}`).not.toContain('TEMP B-TREE')
        const index = /USING (?:COVERING )?INDEX (clients_\w+)/.exec(gridPlans[0] ?? '')?.[1]
        expect(index, `${field} ${dir}`).toBeDefined()
        // a slice starting after a row with NULLs in its key, and one after a row with values
        const keys = await clientsAfter(db, q, manager, NOW, null, null, 400)
        const withNull = keys.rows.findIndex((r) => r.region === null || r.community === null || r.last_follow_up_at === null || r.owner_id === null)
        for (const at of [withNull, 300].filter((n) => n >= 0)) {
          const after = (await clientsAfter(db, q, manager, NOW, null, null, at + 1)).last
          const plans = await plansOf(() => clientsAfter(db, q, manager, NOW, null, after, 50), 'c')
          const reads = plans.filter((p) => !p.includes('c USING INTEGER PRIMARY KEY'))
          expect(reads.length, `${field} ${dir}`).toBeGreaterThan(0)
          for (const p of reads) {
            // the grid's index, entered at the last key (a range or equalities on its columns), not walked from its start
            expect(p, `${field} ${dir}`).toMatch(new RegExp(`^SEARCH c USING (COVERING )?INDEX ${index} \\(.*[<>=]\\?\\)`))
            expect(p, `${field} ${dir}`).not.toContain('TEMP B-TREE')
          }
        }
      }
    }
  })

  it('a slice of the pool and of a task list seeks too', async () => {
    const after = (await poolAfter(db, undefined, null, 10)).last
    for (const p of await plansOf(() => poolAfter(db, undefined, after, 10), 'c')) {
      expect(p).toMatch(/SEARCH c USING INDEX clients_pool \(.*[<>=]\?\)/)
      expect(p).not.toContain('TEMP B-TREE')
    }
    const first = await tasksAfter(db, 2, 'open', null, 10)
    for (const p of await plansOf(() => tasksAfter(db, 2, 'open', taskKey(first.at(-1)!), 10), 't')) {
      expect(p).toMatch(/SEARCH t USING INDEX tasks_staff_open \(staff_id=\? AND status=\? AND due_at[=>]\?/)
      expect(p).not.toContain('TEMP B-TREE')
    }
  })
})
