import fs from 'node:fs'
import { afterAll, describe, expect, it } from 'vitest'
import { ManualClock } from '../../electron/host/clock'
import { startHost, type Host } from '../../electron/host/host'
import { TEXT_FOLD_VERSION } from '../../electron/host/domains/clients/text-rekey'
import { adminClient, staffClient, STAFF_PASSWORD } from '../helpers/staff'
import { ADMIN_PASSWORD, tempDir } from '../helpers/temp-host'

const dataDir = tempDir()
const open = () =>
  startHost({ dataDir, clock: new ManualClock(new Date('2026-11-25T02:00:00Z')), noServer: true, env: { KEYUAN_ADMIN_PASSWORD: ADMIN_PASSWORD }, schedulerIntervalMs: 0 })
let host: Host | null = null
afterAll(async () => {
  await host?.close()
  fs.rmSync(dataDir, { recursive: true, force: true })
})

describe('names stored before the text kinds', () => {
  it('get search terms and org name keys in the new fold at the next start, once', async () => {
    host = await open()
    const admin = await adminClient(host)
    const agent = (await staffClient(host, admin, 'agent', 'rekey-agent')).client
    const person = await agent.call('clients.create', { kind: 'person', name: '欧阳娜娜', phones: [{ number: '13912345001' }], sourceChannel: 'phone' })
    const plainOrg = await agent.call('clients.create', { kind: 'org', name: '锦华置业有限公司', phones: [{ number: '021-52340001' }], sourceChannel: 'referral' })
    const twinOrg = await agent.call('clients.create', { kind: 'org', name: '锦华物业', phones: [{ number: '021-52340002' }], sourceChannel: 'referral' })
    const loneOrg = await agent.call('clients.create', { kind: 'org', name: 'Acme', phones: [{ number: '021-52340003' }], sourceChannel: 'referral' })

    // what an older version stored: names with the characters in them, terms and keys folded the old way
    const db = host.database.sqlite
    const legacy = (id: number, name: string, orgKey: string | null, terms: string[]) => {
      db.prepare('UPDATE clients SET name = ?, org_name_key = ? WHERE id = ?').run(name, orgKey, id)
      db.prepare('DELETE FROM search_terms WHERE client_id = ? AND field = 1').run(id)
      db.prepare('DELETE FROM search_inner WHERE client_id = ? AND field = 1').run(id)
      // the whole name's term, and its inner parts in their own table (migration 045)
      terms.forEach((t, pos) => db.prepare(`INSERT INTO ${pos > 0 ? 'search_inner' : 'search_terms'} (term, client_id, field, pos) VALUES (?, ?, 1, ?)`).run(t, id, pos))
    }
    legacy(person.id, '欧阳\u200B娜娜', null, ['欧阳\u200b娜娜', '阳\u200b娜娜', '\u200b娜娜', '娜娜', '娜'])
    legacy(twinOrg.id, '锦华\u200B置业有限公司', '锦华\u200b置业', ['锦华\u200b置业有限公司'])
    legacy(loneOrg.id, 'Acme\u200BHoldings', 'acme\u200bholdings', ['acme\u200bholdings'])
    db.prepare("DELETE FROM settings WHERE key = 'text_fold_version'").run()
    expect((await agent.call('clients.search', { q: '欧阳娜娜' })).hits).toEqual([])
    expect((await agent.call('clients.checkDuplicate', { orgName: 'Acme Holdings' })).matches).toEqual([])
    await host.close()

    const logs: string[] = []
    host = await startHost({
      dataDir,
      clock: new ManualClock(new Date('2026-11-26T02:00:00Z')),
      noServer: true,
      env: { KEYUAN_ADMIN_PASSWORD: ADMIN_PASSWORD },
      schedulerIntervalMs: 0,
      log: (m) => logs.push(m),
    })
    expect(logs.join('\n')).toContain('search keys computed again for 3 clients')
    expect(logs.join('\n')).toContain(String(twinOrg.id))
    const again = host.client()
    await again.call('auth.login', { username: 'rekey-agent', password: STAFF_PASSWORD })
    expect((await again.call('clients.search', { q: '欧阳娜娜' })).hits[0]).toMatchObject({ id: person.id, rank: 'exact' })
    // its inner parts too, written again in their own table (the legacy ones held the old fold)
    expect((await again.call('clients.search', { q: '阳娜' })).hits.map((h) => h.id)).toContain(person.id)
    expect(host.database.sqlite.prepare("SELECT count(*) FROM search_inner WHERE client_id = ? AND term LIKE '%​%'").pluck().get(person.id)).toBe(0)
    const row = (id: number) => host!.database.sqlite.prepare('SELECT name, org_name_key FROM clients WHERE id = ?').get(id) as { name: string; org_name_key: string }
    // the name is left as entered; the keys are derived again
    expect(row(person.id).name).toBe('欧阳\u200B娜娜')
    expect(row(loneOrg.id).org_name_key).toBe('acmeholdings')
    expect((await again.call('clients.checkDuplicate', { orgName: 'Acme Holdings' })).matches).toEqual([expect.objectContaining({ clientId: loneOrg.id, matchedOn: 'org_name' })])
    // the twin's new key is the plain org's: both stay, the twin keeps its old key, for a manager to merge
    expect(row(twinOrg.id).org_name_key).toBe('锦华\u200b置业')
    expect(row(plainOrg.id).org_name_key).toBe('锦华置业')
    expect(host.database.sqlite.prepare("SELECT value FROM settings WHERE key = 'text_fold_version'").pluck().get()).toBe(String(TEXT_FOLD_VERSION))
    await host.close()

    // once: the next start does nothing
    const quiet: string[] = []
    host = await startHost({ dataDir, clock: new ManualClock(new Date('2026-11-27T02:00:00Z')), noServer: true, env: {}, schedulerIntervalMs: 0, log: (m) => quiet.push(m) })
    expect(quiet.filter((m) => m.includes('search keys'))).toEqual([])
  })
})
