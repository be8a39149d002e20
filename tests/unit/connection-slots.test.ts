import { describe, expect, it } from 'vitest'
import { ConnectionSlots, JOB_WAIT_LIMIT_MS } from '../../electron/host/db/connection-slots'
import type { WorkerConnection } from '../../electron/host/db/worker-connection'

/** One connection (the slots only look at `alive`), on a clock the test moves. */
function writerSlots() {
  let t = 0
  const slots = new ConnectionSlots('writer', 100, () => t)
  const conn = { alive: true } as unknown as WorkerConnection
  slots.add(conn)
  return { slots, conn, at: (ms: number) => (t = ms) }
}

/** Acquires, noting who got the connection when it is handed over. */
function ask(slots: ConnectionSlots, who: string, priority: 'call' | 'job', order: string[]) {
  return slots.acquire(priority).then((c) => {
    order.push(who)
    return c
  })
}

describe('who gets the writer next', () => {
  it("calls before the job's slices that asked earlier; each side in the order it asked", async () => {
    const { slots, conn, at } = writerSlots()
    const order: string[] = []
    await slots.acquire('job')
    const waiting = [ask(slots, 'slice 1', 'job', order), ask(slots, 'call 1', 'call', order), ask(slots, 'slice 2', 'job', order), ask(slots, 'call 2', 'call', order)]
    for (let i = 1; i <= 4; i++) {
      at(i * 10)
      slots.release(conn)
      await new Promise((r) => setImmediate(r))
    }
    await Promise.all(waiting)
    expect(order).toEqual(['call 1', 'call 2', 'slice 1', 'slice 2'])
  })

  it(`a slice that has waited ${JOB_WAIT_LIMIT_MS} ms goes before the calls: a writer kept busy by calls still moves a job on`, async () => {
    const { slots, conn, at } = writerSlots()
    const order: string[] = []
    await slots.acquire('call')
    const slice = ask(slots, 'slice', 'job', order)
    at(200)
    const calls = [ask(slots, 'call 1', 'call', order), ask(slots, 'call 2', 'call', order)]
    // before the limit the calls go first
    at(JOB_WAIT_LIMIT_MS - 1)
    slots.release(conn)
    await new Promise((r) => setImmediate(r))
    expect(order).toEqual(['call 1'])
    at(JOB_WAIT_LIMIT_MS)
    slots.release(conn)
    await new Promise((r) => setImmediate(r))
    expect(order).toEqual(['call 1', 'slice'])
    slots.release(conn)
    await Promise.all([slice, ...calls])
    expect(order).toEqual(['call 1', 'slice', 'call 2'])
  })

  it('counts the calls that had to wait for the writer, never a slice that waited or a call served at once', async () => {
    const { slots, conn } = writerSlots()
    const held = await slots.acquire('call')
    expect(slots.callsWaited).toBe(0)
    const slice = slots.acquire('job')
    expect(slots.callsWaited).toBe(0)
    const call = slots.acquire('call')
    expect(slots.callsWaited).toBe(1)
    slots.release(held)
    slots.release(await call)
    slots.release(await slice)
    await slots.acquire('call')
    expect(slots.callsWaited).toBe(1)
    slots.release(conn)
  })
})
