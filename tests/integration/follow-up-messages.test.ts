import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ApiClient } from '@shared/contract/client'
import { ManualClock } from '../../electron/host/clock'
import type { Host } from '../../electron/host/host'
import { adminClient, staffClient } from '../helpers/staff'
import { startTempHost } from '../helpers/temp-host'

let host: Host & { cleanup(): Promise<void> }
let agent: ApiClient
let clientId: number

beforeAll(async () => {
  host = await startTempHost({ clock: new ManualClock(new Date('2026-11-02T01:00:00.000Z')) })
  const admin = await adminClient(host)
  agent = (await staffClient(host, admin, 'agent', 'msg-agent')).client
  clientId = (await agent.call('clients.create', { kind: 'person', name: '计数', phones: [{ number: '13833334444' }], sourceChannel: 'walk_in', region: '浦东' })).id
})
afterAll(() => host.cleanup())

/** Messages posted to the writer's thread while `call` runs (the writer is one connection; nothing else writes meanwhile). */
async function writerMessages(call: () => Promise<unknown>): Promise<number> {
  const [writer] = host.pool.connections('writer')
  const before = writer!.messages
  await call()
  return writer!.messages - before
}

describe('a follow-up costs the writer a handful of messages', () => {
  it('followups.create with a stage, an intention and a next action', async () => {
    const n = await writerMessages(() =>
      agent.call('followups.create', { clientId, channel: 'phone', content: '电话沟通', intention: 'warm', stageTo: 'intent', nextAction: '带看', nextDueAt: '2026-11-03T02:00:00.000Z' }),
    )
    console.log('messages', n)
    expect(n).toBeLessThanOrEqual(8)
  })
})
