import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ApiClient } from '@shared/contract/client'
import { callProcedure, type ReaderProcedure } from '../../electron/host/db/procedures'
import { searchProcedure, type SearchArgs } from '../../electron/host/domains/clients/search-procedure'
import { SEARCH_COUNT_CAP } from '../../electron/host/domains/clients/client-search'
import { prefixEnd } from '../../electron/host/domains/clients/search-terms'
import type { Host } from '../../electron/host/host'
import { adminClient, staffClient } from '../helpers/staff'
import { startTempHost } from '../helpers/temp-host'

let host: Host & { cleanup(): Promise<void> }
let agent: ApiClient
let agentId: number

beforeAll(async () => {
  host = await startTempHost()
  const admin = await adminClient(host)
  const made = await staffClient(host, admin, 'agent', 'proc-agent')
  agent = made.client
  agentId = made.staff.id
  for (const [name, phone] of [
    ['张伟', '13812345678'],
    ['张伟明', '13912340000'],
  ] as const) {
    await agent.call('clients.create', { kind: 'person', name, phones: [{ number: phone }], sourceChannel: 'phone' })
  }
})
afterAll(() => host.cleanup())

/** What the readers' workers are sent and answer while `fn` runs. */
async function traffic<T>(fn: () => Promise<T>): Promise<{ out: T; posted: Array<Record<string, unknown>>; replies: number }> {
  const posted: Array<Record<string, unknown>> = []
  let replies = 0
  const count = () => replies++
  const undo: Array<() => void> = []
  for (const { worker } of host.pool.connections('reader')) {
    const post = worker.postMessage.bind(worker)
    worker.postMessage = (m: Record<string, unknown>) => {
      posted.push(m)
      post(m)
    }
    worker.on('message', count)
    undo.push(() => {
      worker.postMessage = post
      worker.off('message', count)
    })
  }
  try {
    return { out: await fn(), posted, replies }
  } finally {
    for (const u of undo) u()
  }
}

const args = (key: string, over: Partial<SearchArgs> = {}): SearchArgs => ({
  key,
  end: prefixEnd(key),
  reach: 'contains',
  phones: 'all',
  e164: null,
  offset: 0,
  limit: 20,
  cap: SEARCH_COUNT_CAP + 1,
  ...over,
})

describe('clients.search runs whole in one procedure: on the event loop, or in a reader thread', () => {
  it("a first page is answered on the event loop's read connection: no message to any reader", async () => {
    // the first call of a session reads it; from then on it is kept (SessionCache)
    await agent.call('clients.search', { q: '张伟' })
    const onLoop = host.pool.loop.tally.onLoop
    const { out, posted, replies } = await traffic(() => agent.call('clients.search', { q: '张伟' }))
    expect(out.hits.map((h) => [h.name, h.rank, h.phone])).toEqual([
      ['张伟', 'exact', '13812345678'],
      ['张伟明', 'prefix', '13912340000'],
    ])
    expect(posted).toEqual([])
    expect(replies).toBe(0)
    // a whole number with its holder and the count: on the loop too
    const whole = await traffic(() => agent.call('clients.search', { q: '+86 138 1234 5678' }))
    expect(whole.out).toMatchObject({ hits: [{ name: '张伟', matchedOn: 'phone', rank: 'exact' }], total: 1, totalExact: true })
    expect(whole.posted).toEqual([])
    expect(host.pool.loop.tally.onLoop).toBe(onLoop + 2)
  })

  it('a first page on the loop is answered at once: the call settles in the next microtask, as the same call parsed by zod answers', async () => {
    await agent.call('clients.search', { q: '张伟' })
    const settledAtOnce = async (input: unknown) => {
      let settled = false
      const answer = host.dispatcher.dispatch('clients.search', input, { token: agent.token }).then((r) => {
        settled = true
        return r
      })
      await Promise.resolve()
      return { atOnce: settled, answer: await answer }
    }
    const plain = await settledAtOnce({ q: '张伟' })
    expect(plain.atOnce).toBe(true)
    // full width and a stray space are no plain text: zod parses it (normalised to the same query), and the answer takes its turns
    const folded = await settledAtOnce({ q: ' 张伟　' })
    expect(folded.atOnce).toBe(false)
    expect(folded.answer).toEqual(plain.answer)
    // a refusal is zod's, whatever the fast parse would say
    expect(await host.dispatcher.dispatch('clients.search', { q: '张伟', limit: 51 }, { token: agent.token })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', field: 'limit' },
    })
    // an input whose reading throws (only an in-process caller can send one) is answered by the usual path, as a failure, never thrown
    const hostile = Object.defineProperty({}, 'q', {
      enumerable: true,
      get: () => {
        throw new Error('read me not')
      },
    })
    expect(await host.dispatcher.dispatch('clients.search', hostile, { token: agent.token })).toMatchObject({ ok: false })
    expect(host.dispatcher.callsInFlight).toBe(0)
  })

  it('a client created just before is found on the event loop (the write was answered after its commit)', async () => {
    const made = await agent.call('clients.create', { kind: 'person', name: '欧阳新', phones: [{ number: '13712345670' }], sourceChannel: 'phone' })
    const { out, posted } = await traffic(() => agent.call('clients.search', { q: '欧阳新' }))
    expect(posted).toEqual([])
    expect(out.hits.map((h) => h.id)).toEqual([made.id])
  })

  it('a page past the first 50 hits is one message to the reader and one answer back: no BEGIN, no COMMIT, no statement of its own', async () => {
    const { out, posted, replies } = await traffic(() => agent.call('clients.search', { q: '张伟', offset: 40, limit: 20 }))
    expect(out).toMatchObject({ hits: [], total: 2, totalExact: true })
    expect(posted).toEqual([expect.objectContaining({ kind: 'procedure', name: 'clients.search', begin: undefined })])
    expect(replies).toBe(1)
  })

  it("inside a caller's read transaction a procedure reads that snapshot and leaves it open", async () => {
    const seen = await host.pool.reader.transaction().execute(async (trx) => {
      const before = await callProcedure(trx, searchProcedure, args('张伟'))
      await agent.call('clients.create', { kind: 'person', name: '张伟强', phones: [{ number: '13612340001' }], sourceChannel: 'phone' })
      const after = await callProcedure(trx, searchProcedure, args('张伟'))
      // the transaction is still open: a statement of it runs after the procedures (a closed one would throw)
      await trx.selectFrom('staff').select('id').where('id', '=', agentId).execute()
      return [before.counted, after.counted]
    })
    expect(seen).toEqual([2, 2])
    // outside it, the new client is found (its own snapshot, opened and closed in the thread)
    expect((await callProcedure(host.pool.reader, searchProcedure, args('张伟'))).counted).toBe(3)
  })

  it('a procedure that fails answers its error, leaves no transaction open, and the reader goes on', async () => {
    const unknown: ReaderProcedure<null, null> = { name: 'clients.nothing', run: () => null }
    await expect(callProcedure(host.pool.reader, unknown, null)).rejects.toThrow(/no procedure clients\.nothing/)
    // a value SQLite cannot bind (an object reads as named parameters) fails inside the snapshot the procedure opened
    await expect(callProcedure(host.pool.reader, searchProcedure, args('张伟', { e164: { not: 'a number' } as never }))).rejects.toThrow(/too few parameter values/i)
    // rolled back: a transaction can begin on each reader, and searches answer
    await Promise.all([0, 1].map(() => host.pool.reader.transaction().execute((trx) => trx.selectFrom('staff').select('id').execute())))
    expect((await agent.call('clients.search', { q: '张伟明' })).hits.map((h) => h.name)).toEqual(['张伟明'])
  })

  it('on a connection that is no worker’s a procedure is no statement: refused (the start-up handle runs none)', async () => {
    await expect(callProcedure(host.database.db, searchProcedure, args('张伟'))).rejects.toThrow()
  })
})
