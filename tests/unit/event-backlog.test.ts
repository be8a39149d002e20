import { describe, expect, it } from 'vitest'
import { CallRate } from '../../electron/host/lan/call-rate'
import { EventBacklog } from '../../electron/host/lan/event-backlog'

const all = { kind: 'all' } as const
const add = (b: EventBacklog, text = 'x') => b.add('board.changed', all, (seq) => `${seq}:${text}`)

describe('event backlog', () => {
  it('numbers events from 1 and gives back those after a number, oldest first', () => {
    const b = new EventBacklog(10, 1000)
    expect(b.seq).toBe(0)
    expect(b.since(0)).toEqual([])
    for (let i = 0; i < 3; i++) add(b)
    expect(b.since(1)!.map((e) => e.frame)).toEqual(['2:x', '3:x'])
    expect(b.since(3)).toEqual([])
  })

  it('says null (refetch) once an event after the number has been pushed out, by count or by bytes', () => {
    const byCount = new EventBacklog(2, 1000)
    for (let i = 0; i < 3; i++) add(byCount)
    expect(byCount.since(0)).toBeNull()
    expect(byCount.since(1)!.map((e) => e.seq)).toEqual([2, 3])

    const byBytes = new EventBacklog(100, 10)
    add(byBytes, 'aaaa') // "1:aaaa", 6 bytes
    add(byBytes, 'bbbb') // over 10 together: the first goes
    expect(byBytes.since(0)).toBeNull()
    expect(byBytes.since(1)!.map((e) => e.seq)).toEqual([2])
  })

  it('says null for a number it never gave (a client of another run of the host)', () => {
    const b = new EventBacklog(10, 1000)
    add(b)
    expect(b.since(5)).toBeNull()
  })
})

describe('call rate', () => {
  it('allows a burst, then one call per 1/rate seconds, and says how long to wait', () => {
    const r = new CallRate(2, 3)
    expect([0, 0, 0].map(() => r.take('a', 0))).toEqual([0, 0, 0])
    expect(r.take('a', 0)).toBe(1)
    expect(r.take('b', 0)).toBe(0) // another session has its own bucket
    expect(r.take('a', 500)).toBe(0) // half a second at 2/s: one call
    expect(r.take('a', 500)).toBe(1)
    expect(r.take('a', 60_000)).toBe(0) // refilled, but never past the burst
    expect([0, 0].map(() => r.take('a', 60_000))).toEqual([0, 0])
    expect(r.take('a', 60_000)).toBe(1)
  })

  it('rounds a long wait up to whole seconds', () => {
    const r = new CallRate(0.25, 1)
    expect(r.take('a', 0)).toBe(0)
    expect(r.take('a', 0)).toBe(4)
  })
})
