import { createHash, createHmac, randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { pickBlocker, type GroupSeat } from '@shared/domain/subscription-contest'
import { drawListText, drawNumbers, drawOrder, parseDrawList, sha256Hex, uniformBelow } from '@shared/domain/subscription-draw'
import { buildQueue, callAt } from '@shared/domain/subscription-queue'

const SEED = 'a3f1c2e4b5d60718293a4b5c6d7e8f90112233445566778899aabbccddeeff00'

describe('the draw hashes (@noble/hashes, so the verifier page works offline in any browser)', () => {
  it('agree with node:crypto on texts around the block edges and on Chinese text', () => {
    for (const len of [0, 1, 55, 56, 63, 64, 65, 119, 120, 200]) {
      const text = randomBytes(len).toString('hex').slice(0, len)
      expect(sha256Hex(text)).toBe(createHash('sha256').update(text).digest('hex'))
    }
    expect(sha256Hex('贵宾卡 №1 🏠')).toBe(createHash('sha256').update('贵宾卡 №1 🏠', 'utf8').digest('hex'))
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad')
  })
})

describe('the draw', () => {
  const cards = Array.from({ length: 100 }, (_, i) => i + 1)

  it('publishes a commitment that matches the revealed seed and a hash of the sorted list', () => {
    const r = drawOrder(SEED, [3, 1, 2])
    expect(r.commitment).toBe(createHash('sha256').update(SEED).digest('hex'))
    expect(r.list).toBe('1\n2\n3')
    expect(r.listHash).toBe(createHash('sha256').update('1\n2\n3').digest('hex'))
  })

  it('is a permutation of the list, the same every time from the same seed, list and public value', () => {
    const a = drawOrder(SEED, cards)
    expect([...a.order].sort((x, y) => x - y)).toEqual(cards)
    expect(drawOrder(SEED, [...cards].reverse()).order).toEqual(a.order)
    expect(a.order).not.toEqual(cards)
  })

  it('gives another order for another seed, another public value or another list', () => {
    const a = drawOrder(SEED, cards).order
    expect(drawOrder(SEED.replace(/^a/, 'b'), cards).order).not.toEqual(a)
    expect(drawOrder(SEED, cards, '3261.51').order).not.toEqual(a)
    expect(drawOrder(SEED, cards.slice(1)).order).not.toEqual(a.filter((n) => n !== 1))
  })

  it('follows the documented algorithm step by step (a reimplementation with node:crypto agrees)', () => {
    const list = [5, 9, 12, 40, 41]
    const listHash = createHash('sha256').update(list.join('\n')).digest('hex')
    const words: number[] = []
    for (let i = 0; words.length < 64; i++) {
      const block = createHmac('sha256', SEED).update(`${listHash}|idx|${i}`).digest()
      for (let k = 0; k < 8; k++) words.push(block.readUInt32BE(4 * k))
    }
    let w = 0
    const below = (n: number) => {
      const limit = 2 ** 32 - (2 ** 32 % n)
      for (;;) {
        const x = words[w++]!
        if (x < limit) return x % n
      }
    }
    const order = [...list]
    for (let i = order.length - 1; i >= 1; i--) {
      const j = below(i + 1)
      ;[order[i], order[j]] = [order[j]!, order[i]!]
    }
    expect(drawOrder(SEED, list, 'idx').order).toEqual(order)
  })

  it('draws an index without modulo bias: the numbers at or above the last whole multiple are skipped', () => {
    // n = 3: 2^32 mod 3 = 1, so 2^32 - 1 (the single leftover value) must be rejected
    const feed = [0xffff_ffff, 0xffff_fffe, 7]
    let i = 0
    expect(uniformBelow(() => feed[i++]!, 3)).toBe(0xffff_fffe % 3)
    expect(i).toBe(2)
    // for n a power of two nothing is ever rejected
    let calls = 0
    expect(uniformBelow(() => (calls++, 0xffff_ffff), 4)).toBe(3)
    expect(calls).toBe(1)
    // over many draws each of 6 values comes up about equally often
    const next = drawNumbers(SEED, 'x', '')
    const counts = new Array<number>(6).fill(0)
    for (let k = 0; k < 60_000; k++) counts[uniformBelow(next, 6)]!++
    for (const c of counts) expect(Math.abs(c - 10_000)).toBeLessThan(500)
  })

  it('reads a published list back, refusing anything but card numbers', () => {
    expect(parseDrawList(drawListText([10, 2]))).toEqual([2, 10])
    expect(parseDrawList('1\r\n2\n\n3\n')).toEqual([1, 2, 3])
    expect(parseDrawList('1\nx')).toBeNull()
    expect(parseDrawList('0')).toBeNull()
  })
})

describe('the queue', () => {
  it('puts 100 cards a day in groups of 10, and leaves out what the days cannot hold', () => {
    const ids = Array.from({ length: 230 }, (_, i) => 1000 + i)
    const { placed, unplaced } = buildQueue(ids, { days: 2, cardsPerDay: 100, groupSize: 10 })
    expect(placed).toHaveLength(200)
    expect(placed[0]).toEqual({ cardId: 1000, position: 0, day: 1, group: 1 })
    expect(placed[9]!.group).toBe(1)
    expect(placed[10]!.group).toBe(2)
    expect(placed[99]).toMatchObject({ day: 1, group: 10 })
    expect(placed[100]).toMatchObject({ day: 2, group: 1 })
    expect(unplaced).toEqual(ids.slice(200))
  })

  it('moves to the next group each time the countdown runs out, and ends the day after the last', () => {
    const start = { group: 1, deadline: '2026-09-26T02:15:00.000Z' }
    const o = { groupMs: 15 * 60_000, lastGroup: 3 }
    expect(callAt(start, new Date('2026-09-26T02:14:59.999Z'), o)).toMatchObject({ group: 1, dayOver: false, passed: [] })
    expect(callAt(start, new Date('2026-09-26T02:15:00.000Z'), o)).toMatchObject({ group: 2, deadline: '2026-09-26T02:30:00.000Z', passed: [1] })
    expect(callAt(start, new Date('2026-09-26T02:31:00.000Z'), o)).toMatchObject({ group: 3, passed: [1, 2] })
    expect(callAt(start, new Date('2026-09-26T05:00:00.000Z'), o)).toMatchObject({ group: 3, dayOver: true, passed: [1, 2, 3] })
  })
})

describe('the contest rule', () => {
  const seat = (cardNo: number, open: boolean, wishes: number[]): GroupSeat => ({ cardId: cardNo * 10, cardNo, position: cardNo, open, wishes })

  it('makes a later card wait for an earlier open card that wishes for the unit', () => {
    const group = [seat(1, true, [501]), seat(2, true, [502]), seat(3, true, [501])]
    expect(pickBlocker(group, 30, 501)?.cardNo).toBe(1)
    expect(pickBlocker(group, 30, 502)?.cardNo).toBe(2)
    expect(pickBlocker(group, 30, 503)).toBeNull()
    expect(pickBlocker(group, 20, 501)?.cardNo).toBe(1)
    expect(pickBlocker(group, 10, 502)).toBeNull()
  })

  it('frees the unit once the earlier card has decided', () => {
    const group = [seat(1, false, [501]), seat(2, true, [501])]
    expect(pickBlocker(group, 20, 501)).toBeNull()
  })

  it('names the earliest of several earlier cards', () => {
    const group = [seat(4, true, [501]), seat(2, true, [501]), seat(7, true, [])]
    expect(pickBlocker(group, 70, 501)?.cardNo).toBe(2)
  })
})
