import fs from 'node:fs'
import path from 'node:path'
import { Kysely, SqliteDialect } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Viewer } from '@shared/domain/client-access'
import { openDatabase, type OpenedDatabase } from '../../electron/host/db/open'
import type { DB } from '../../electron/host/db/schema'
import { districtsReport } from '../../electron/host/domains/reports/branch-reports.service'
import { followUpsReport, funnelReport, lostReasonsReport, poolReport, slaReport } from '../../electron/host/domains/reports/reports.service'
import { tempDir } from '../helpers/temp-host'

// The period reports' 统计对象 filter follows the KPI rules (kpi-scope.ts) in the services
// themselves, not only in the permission table (which gives the branch reports to the management
// today): an agent sees their own figures, a senior agent their team's, the management everyone's.
// Each case tries to cross that line with a real encrypted database behind it.

let dir: string
let store: OpenedDatabase
let db: Kysely<DB>
const P = { from: '2026-11-01T00:00:00.000Z', to: '2026-12-01T00:00:00.000Z' }
const agentA: Viewer = { staffId: 1, role: 'agent', team: '一组' }
const seniorA: Viewer = { staffId: 3, role: 'senior_agent', team: '一组' }
const manager: Viewer = { staffId: 4, role: 'manager', team: null }
const NOW = new Date('2026-11-20T00:00:00.000Z')

beforeAll(() => {
  dir = tempDir('keyuan-report-scope-')
  store = openDatabase(path.join(dir, 'keyuan.db'), 'c3'.repeat(32))
  db = new Kysely<DB>({ dialect: new SqliteDialect({ database: store.sqlite }) })
  const addStaff = store.sqlite.prepare(`INSERT INTO staff (id, username, name, role, team, password_hash, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 'x', 'n', 'n')`)
  addStaff.run(1, 'a', '甲', 'agent', '一组')
  addStaff.run(2, 'b', '乙', 'agent', '二组')
  addStaff.run(3, 's', '丙', 'senior_agent', '一组')
  addStaff.run(4, 'm', '丁', 'manager', null)
  const addClient = store.sqlite.prepare(
    `INSERT INTO clients (code, kind, name, source_channel, owner_id, tier, stage, completeness, region, created_at, updated_at, stage_changed_at)
     VALUES (?, 'person', ?, 'phone', ?, 'normal', 'potential', 0, ?, ?, ?, ?)`,
  )
  const t = '2026-11-05T00:00:00.000Z'
  addClient.run('S1', '客户一', 1, '浦东', t, t, t)
  addClient.run('S2', '客户二', 2, '徐汇', t, t, t)
})

afterAll(() => {
  store.sqlite.close()
  fs.rmSync(dir, { recursive: true, force: true })
})

const refused = { code: 'FORBIDDEN', reason: 'kpi_subject' }

describe('the 统计对象 filter keeps to what the caller may see', () => {
  it('an agent: their own figures only; another agent, their team, the branch (no subject) are refused', async () => {
    const own = await districtsReport(db, agentA, { ...P, subject: { kind: 'agent', staffId: 1 } })
    expect(own.districts.filter((d) => d.clients > 0).map((d) => d.name)).toEqual(['浦东'])
    await expect(districtsReport(db, agentA, { ...P, subject: { kind: 'agent', staffId: 2 } })).rejects.toMatchObject(refused)
    await expect(funnelReport(db, agentA, { ...P, subject: { kind: 'team', team: '一组' } })).rejects.toMatchObject(refused)
    await expect(funnelReport(db, agentA, P)).rejects.toMatchObject(refused)
    await expect(lostReasonsReport(db, agentA, { ...P, channel: 'phone' })).rejects.toMatchObject(refused)
    await expect(poolReport(db, agentA, { ...P, subject: { kind: 'branch' } })).rejects.toMatchObject(refused)
    expect((await followUpsReport(db, agentA, P)).agents.map((a) => a.staffId)).toEqual([1])
    await expect(followUpsReport(db, agentA, { ...P, subject: { kind: 'agent', staffId: 2 } })).rejects.toMatchObject(refused)
  })

  it('a senior agent: their team and its agents; another team or its agent refused, even one that does not exist', async () => {
    expect((await slaReport(db, seniorA, { ...P, subject: { kind: 'team', team: '一组' } }, NOW)).agents.map((a) => a.staffId)).toEqual([1, 3])
    expect((await funnelReport(db, seniorA, { ...P, subject: { kind: 'team', team: '一组' } })).stages[0]).toEqual({ stage: 'potential', clients: 1 })
    await expect(slaReport(db, seniorA, { ...P, subject: { kind: 'team', team: '二组' } }, NOW)).rejects.toMatchObject(refused)
    await expect(districtsReport(db, seniorA, { ...P, subject: { kind: 'agent', staffId: 2 } })).rejects.toMatchObject(refused)
    await expect(districtsReport(db, seniorA, { ...P, subject: { kind: 'agent', staffId: 999 } })).rejects.toMatchObject(refused)
    await expect(poolReport(db, seniorA, P)).rejects.toMatchObject(refused)
  })

  it('the management: anyone; an agent that does not exist is NOT_FOUND, a team with nobody counts nothing', async () => {
    expect((await funnelReport(db, manager, P)).stages[0]).toEqual({ stage: 'potential', clients: 2 })
    expect((await funnelReport(db, manager, { ...P, subject: { kind: 'agent', staffId: 2 } })).stages[0]).toEqual({ stage: 'potential', clients: 1 })
    await expect(funnelReport(db, manager, { ...P, subject: { kind: 'agent', staffId: 999 } })).rejects.toMatchObject({ code: 'NOT_FOUND', field: 'subject.staffId' })
    expect((await funnelReport(db, manager, { ...P, subject: { kind: 'team', team: '三组' } })).stages.every((s) => s.clients === 0)).toBe(true)
    expect((await followUpsReport(db, manager, { ...P, subject: { kind: 'team', team: '二组' } })).agents.map((a) => a.staffId)).toEqual([2])
  })
})
