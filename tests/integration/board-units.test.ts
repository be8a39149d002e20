import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { PushedEvent } from '../../electron/host/api/events'
import type { Host } from '../../electron/host/host'
import type { ApiClient } from '@shared/contract/client'
import { adminClient, staffClient } from '../helpers/staff'
import { startTempHost } from '../helpers/temp-host'
import { unitSheetBase64, type UnitSheetRow } from '../helpers/unit-sheet'

let host: Host & { cleanup(): Promise<void> }
let manager: ApiClient
let agentA: ApiClient
let agentB: ApiClient
let projectId: number
let otherProjectId: number
let clientA: number

async function workbook(building: string) {
  const rows: UnitSheetRow[] = []
  for (let floor = 1; floor <= 3; floor++) for (const n of ['01', '02']) rows.push({ building, floor, number: `${floor}${n}`, layout: '3室2厅', area: 98.5, orientation: '南北', listPrice: 5_000_000 })
  return unitSheetBase64(rows)
}

beforeAll(async () => {
  host = await startTempHost()
  const admin = await adminClient(host)
  manager = (await staffClient(host, admin, 'manager', 'mgr')).client
  agentA = (await staffClient(host, admin, 'agent', 'agent-a')).client
  agentB = (await staffClient(host, admin, 'agent', 'agent-b')).client
  projectId = (await manager.call('projects.create', { name: '滨江壹号' })).id
  otherProjectId = (await manager.call('projects.create', { name: '江南府' })).id
  await manager.call('units.import', { projectId, fileBase64: await workbook('1号楼') })
  await manager.call('units.import', { projectId: otherProjectId, fileBase64: await workbook('A座') })
  clientA = (await agentA.call('clients.create', { kind: 'person', name: '买家甲', phones: [{ number: '13811110001' }], sourceChannel: 'walk_in' })).id
})
afterAll(() => host.cleanup())

describe('board.units: what an open board refetches after a push', () => {
  it('names the reserved unit in the push and returns it exactly as board.get shows it to each viewer', async () => {
    const before = await agentA.call('board.get', { projectId })
    const target = before.units.find((u) => u.number === '201')!
    const pushed: PushedEvent[] = []
    const off = host.events.onEvent((e) => pushed.push(e))
    await agentA.call('units.reserve', { unitId: target.id, clientId: clientA, deposit: 2_000_000, receiptNo: 'R-1', method: 'card' })
    off()
    expect(pushed.filter((e) => e.name === 'board.changed').map((e) => e.payload)).toEqual([{ projectId, unitIds: [target.id] }])

    for (const viewer of [agentA, agentB, manager]) {
      const full = (await viewer.call('board.get', { projectId })).units.find((u) => u.id === target.id)
      const some = await viewer.call('board.units', { projectId, unitIds: [target.id] })
      expect(some.units).toEqual([full])
    }
    // the deal's agent and managers see the buyer; another agent does not
    expect((await agentA.call('board.units', { projectId, unitIds: [target.id] })).units[0]!.tx?.clientName).toBe('买家甲')
    expect((await agentB.call('board.units', { projectId, unitIds: [target.id] })).units[0]!.tx?.clientName).toBeNull()
    expect((await agentB.call('board.units', { projectId, unitIds: [target.id] })).units[0]!.status).toBe('small_deposit')
  })

  it("leaves out units of another project and ids that do not exist", async () => {
    const mine = (await manager.call('board.get', { projectId })).units[0]!
    const theirs = (await manager.call('board.get', { projectId: otherProjectId })).units[0]!
    const r = await manager.call('board.units', { projectId, unitIds: [mine.id, theirs.id, 999_999, mine.id] })
    expect(r.units.map((u) => u.id)).toEqual([mine.id])
  })

  it('refuses bad input, naming the field', async () => {
    expect(await manager.try('board.units', { projectId, unitIds: [] })).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'unitIds' } })
    expect(await manager.try('board.units', { projectId, unitIds: Array.from({ length: 501 }, (_, i) => i + 1) })).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'unitIds' } })
    expect(await manager.try('board.units', { projectId: 424242, unitIds: [1] })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND', field: 'projectId' } })
  })
})
