import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ManualClock } from '../../electron/host/clock'
import type { Host } from '../../electron/host/host'
import type { ApiClient } from '@shared/contract/client'
import { adminClient, staffClient } from '../helpers/staff'
import { startTempHost } from '../helpers/temp-host'

// a client's 居民身份证号 (issue #20): the birthday and gender it carries, masked like the phones
let host: Host & { cleanup(): Promise<void> }
let manager: ApiClient
let agentA: ApiClient
let agentB: ApiClient
let seq = 0
const clock = new ManualClock(new Date('2026-09-22T02:00:00Z'))

beforeAll(async () => {
  host = await startTempHost({ clock })
  const admin = await adminClient(host)
  manager = (await staffClient(host, admin, 'manager', 'mgr')).client
  agentA = (await staffClient(host, admin, 'agent', 'agent-a')).client
  agentB = (await staffClient(host, admin, 'agent', 'agent-b')).client
})
afterAll(() => host.cleanup())

function person(name: string, more: { idNumber?: string | null; birthDate?: string | null; gender?: 'male' | 'female' | null } = {}) {
  seq++
  return { kind: 'person' as const, name, phones: [{ number: `1381111${String(seq).padStart(4, '0')}` }], sourceChannel: 'walk_in' as const, ...more }
}

const stored = (id: number) =>
  host.database.sqlite.prepare('SELECT id_number, birth_date, birth_md, gender FROM clients WHERE id = ?').get(id) as Record<string, string | null>

describe('birthday and gender from the ID number', () => {
  it('fills an empty birth date and gender on create, stores the number normalised, and the birthday is on the care list', async () => {
    const c = await agentA.call('clients.create', person('身份证甲', { idNumber: '１１０１０５ １９６６０９２４ ０３８ｘ' }))
    expect(stored(c.id)).toEqual({ id_number: '11010519660924038X', birth_date: '1966-09-24', birth_md: '09-24', gender: 'female' })
    expect(c).toMatchObject({ birthDate: '1966-09-24', gender: 'female', idNumber: '11010519660924038X' })
    const care = await agentA.call('care.birthdays', {})
    expect(care.rows.find((r) => r.clientId === c.id)).toMatchObject({ birthDate: '1966-09-24', date: '2026-09-24' })
  })

  it('never overwrites a typed birth date or gender', async () => {
    const c = await agentA.call('clients.create', person('身份证乙', { idNumber: '11010519491231002X', birthDate: '1950-01-02', gender: 'male' }))
    expect(stored(c.id)).toMatchObject({ id_number: '11010519491231002X', birth_date: '1950-01-02', gender: 'male' })
    // an ID number added later to a client with a typed birthday leaves it too
    const d = await agentA.call('clients.create', person('身份证丙', { birthDate: '1970-05-05' }))
    await agentA.call('clients.update', { id: d.id, version: d.version, idNumber: '110105198807141234' })
    expect(stored(d.id)).toMatchObject({ id_number: '110105198807141234', birth_date: '1970-05-05', gender: 'male' })
  })

  it('a corrected ID number moves the birthday it gave; clearing the birth date takes it from the number again', async () => {
    const c = await agentA.call('clients.create', person('身份证丁', { idNumber: '110105198807141234' }))
    expect(stored(c.id)).toMatchObject({ birth_date: '1988-07-14', gender: 'male' })
    // the form sends back the birth date it showed, unchanged: it still follows the number
    const u = await agentA.call('clients.update', { id: c.id, version: c.version, idNumber: '110105200002290021', birthDate: '1988-07-14', gender: 'male' })
    expect(stored(c.id)).toMatchObject({ id_number: '110105200002290021', birth_date: '2000-02-29', birth_md: '02-29', gender: 'female' })
    const typed = await agentA.call('clients.update', { id: c.id, version: u.version, birthDate: '2000-03-01' })
    expect(stored(c.id)).toMatchObject({ birth_date: '2000-03-01' })
    await agentA.call('clients.update', { id: c.id, version: typed.version, birthDate: null })
    expect(stored(c.id)).toMatchObject({ birth_date: '2000-02-29' })
  })

  it('refuses a failed check character, a date that does not exist or is to come, a wrong shape and an organisation’s number; nothing is saved', async () => {
    const before = host.database.sqlite.prepare('SELECT count(*) FROM clients').pluck().get()
    for (const [idNumber, reason] of [
      ['110105194912310021', 'id_checksum'],
      ['110105190002290017', 'id_date'],
      ['11010520300101001X', 'id_date'],
      ['110105491231002', 'id_shape'],
    ] as const) {
      expect(await agentA.try('clients.create', person('错证件', { idNumber }))).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'idNumber', reason } })
    }
    const org = { kind: 'org' as const, name: '某某有限公司', phones: [{ number: '13811119999' }], sourceChannel: 'walk_in' as const, idNumber: '11010519491231002X' }
    expect(await agentA.try('clients.create', org)).toMatchObject({ ok: false, error: { field: 'idNumber', reason: 'id_person_only' } })
    expect(host.database.sqlite.prepare('SELECT count(*) FROM clients').pluck().get()).toBe(before)
    const c = await agentA.call('clients.create', person('身份证戊'))
    const bad = await agentA.try('clients.update', { id: c.id, version: c.version, idNumber: '440524188001010015', birthDate: '1991-01-01' })
    expect(bad).toMatchObject({ ok: false, error: { field: 'idNumber', reason: 'id_checksum' } })
    expect(stored(c.id)).toMatchObject({ id_number: null, birth_date: null })
    expect(await agentA.try('system.ping', {})).toMatchObject({ ok: true })
  })

  it('is masked like the phones: the owner sees it, a manager reveals it (audited), a colleague sees nothing', async () => {
    const c = await agentA.call('clients.create', person('身份证己', { idNumber: '11010519491231002X' }))
    expect((await manager.call('clients.get', { id: c.id })).idNumber).toBe('110***********002X')
    expect((await agentB.call('clients.get', { id: c.id })).idNumber).toBeNull()
    const shown = await manager.call('clients.revealPhones', { id: c.id, reason: '核对身份' })
    expect(shown.idNumber).toBe('11010519491231002X')
    // the audit log keeps the number masked wherever a payload carried it
    const logged = host.database.sqlite.prepare(`SELECT count(*) FROM audit_log WHERE detail LIKE '%11010519491231002X%'`).pluck().get()
    expect(logged).toBe(0)
  })
})
