import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ApiClient } from '@shared/contract/client'
import { ManualClock } from '../../electron/host/clock'
import type { Host } from '../../electron/host/host'
import { adminClient, staffClient } from '../helpers/staff'
import { startTempHost } from '../helpers/temp-host'

// a policy-news task (告知政策) is done once the agent records a contact with the client after it was set (issue #20)
let host: Host & { cleanup(): Promise<void> }
let manager: ApiClient
let agent: ApiClient
const clock = new ManualClock(new Date('2026-09-22T02:00:00Z'))
const ids: Record<string, number> = {}

beforeAll(async () => {
  host = await startTempHost({ clock })
  const admin = await adminClient(host)
  manager = (await staffClient(host, admin, 'manager', 'mgr')).client
  agent = (await staffClient(host, admin, 'agent', 'agent')).client
  let seq = 0
  for (const name of ['先联系', '后联系', '只备注', '未联系']) {
    seq++
    ids[name] = (await agent.call('clients.create', { kind: 'person', name, phones: [{ number: `1330000${String(seq).padStart(4, '0')}` }], sourceChannel: 'walk_in', tier: 'vip', region: '新政区' })).id
  }
  // a contact before the news tells nothing of it
  await agent.call('followups.create', { clientId: ids['先联系']!, channel: 'phone', content: '问候' })
  clock.advance(60_000)
  await manager.call('care.policyNews', { segment: { regions: ['新政区'] }, text: '首套房契税下调', dueDate: '2026-09-24' })
  clock.advance(60_000)
})
afterAll(() => host.cleanup())

const statusOf = (name: string) =>
  host.database.sqlite.prepare(`SELECT status FROM tasks WHERE rule = 'policy' AND client_id = ?`).pluck().get(ids[name]) as string

describe('policy-news tasks close on a follow-up', () => {
  it('a contact after the task was set marks it done; one before it, or a note, leaves it open', async () => {
    expect(['先联系', '后联系', '只备注', '未联系'].map(statusOf)).toEqual(['open', 'open', 'open', 'open'])
    await agent.call('followups.create', { clientId: ids['后联系']!, channel: 'wechat', content: '已告知契税新政' })
    await agent.call('followups.create', { clientId: ids['只备注']!, channel: 'note', content: '下次再说' })
    expect(['先联系', '后联系', '只备注', '未联系'].map(statusOf)).toEqual(['open', 'done', 'open', 'open'])
    const open = await agent.call('tasks.list', { status: 'open' })
    expect(open.rows.filter((t) => t.rule === 'policy').map((t) => t.clientId).sort()).toEqual([ids['先联系'], ids['只备注'], ids['未联系']].sort())
  })

  it('the client contacted before the news is done at the next contact', async () => {
    await agent.call('followups.create', { clientId: ids['先联系']!, channel: 'phone', content: '已告知' })
    expect(statusOf('先联系')).toBe('done')
    expect(await agent.try('system.ping', {})).toMatchObject({ ok: true })
  })
})
