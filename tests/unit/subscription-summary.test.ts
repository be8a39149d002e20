import { describe, expect, it } from 'vitest'
import { summarize, type SummarySeat } from '@shared/domain/subscription-summary'
import { amountDue, isVilla } from '@shared/domain/subscription-agreement'

const seat = (s: Partial<SummarySeat> & Pick<SummarySeat, 'cardNo' | 'state'>): SummarySeat => ({
  position: s.cardNo,
  day: 1,
  group: 1,
  unitId: null,
  wishes: [],
  checkedInAt: null,
  decidedAt: null,
  refund: null,
  ...s,
})

describe('the summary of a subscription day', () => {
  it('counts a contested unit once, for the card that got it, by the earlier card', () => {
    // cards 1, 2 and 3 all wished for unit 10 first; card 1 took it, 2 and 3 took their second wishes
    const f = summarize(
      [
        seat({ cardNo: 1, state: 'picked', unitId: 10, wishes: [10, 11] }),
        seat({ cardNo: 2, state: 'picked', unitId: 12, wishes: [10, 12] }),
        seat({ cardNo: 3, state: 'picked', unitId: 13, wishes: [10, 13] }),
      ],
      'card',
    )
    expect(f.contests).toEqual([{ day: 1, group: 1, unitId: 10, winnerCardNo: 1, rivalCardNos: [2, 3], rule: 'earlier_card' }])
    expect(f.unitsSold).toBe(3)
    expect(f.picked).toBe(3)
  })

  it('names the draw position for a draw-ordered event, and "released" when the earlier wisher let the unit go', () => {
    const draw = summarize([seat({ cardNo: 9, position: 1, state: 'picked', unitId: 10, wishes: [10] }), seat({ cardNo: 4, position: 2, state: 'picked', unitId: 11, wishes: [10, 11] })], 'draw')
    expect(draw.contests.map((c) => [c.winnerCardNo, c.rule])).toEqual([[9, 'draw_position']])
    const released = summarize([seat({ cardNo: 1, state: 'passed', wishes: [10] }), seat({ cardNo: 2, state: 'picked', unitId: 10, wishes: [10] })], 'card')
    expect(released.contests).toEqual([{ day: 1, group: 1, unitId: 10, winnerCardNo: 2, rivalCardNos: [1], rule: 'released' }])
  })

  it('does not see a contest across groups: a unit is contested only within its group', () => {
    const f = summarize([seat({ cardNo: 1, state: 'picked', unitId: 10, wishes: [10] }), seat({ cardNo: 11, group: 2, state: 'absent', wishes: [10], refund: { amount: 5, done: false } })], 'card')
    expect(f.contests).toEqual([])
  })

  it('has a refund to-do for every absentee, due or done, with the amounts', () => {
    const f = summarize(
      [
        seat({ cardNo: 1, state: 'absent', refund: { amount: 50_000, done: false } }),
        seat({ cardNo: 2, state: 'absent', refund: { amount: 30_000, done: true } }),
        seat({ cardNo: 3, state: 'passed', refund: { amount: 20_000, done: false } }),
        seat({ cardNo: 4, state: 'picked', unitId: 7 }),
      ],
      'card',
    )
    expect(f).toMatchObject({ cards: 4, absent: 2, passed: 1, picked: 1, refundsDue: 2, refundsDone: 1, refundAmountDue: 70_000, refundAmountDone: 30_000 })
    expect(f.refundsDue + f.refundsDone).toBe(f.absent + f.passed)
  })

  it('gives each group its counts and the minutes from its first arrival to its last decision, in day and group order', () => {
    const f = summarize(
      [
        seat({ cardNo: 11, day: 1, group: 2, state: 'picked', unitId: 3, checkedInAt: '2026-09-26T02:16:00.000Z', decidedAt: '2026-09-26T02:20:00.000Z' }),
        seat({ cardNo: 1, day: 1, group: 1, state: 'picked', unitId: 1, checkedInAt: '2026-09-26T02:01:00.000Z', decidedAt: '2026-09-26T02:05:00.000Z' }),
        seat({ cardNo: 2, day: 1, group: 1, state: 'absent', decidedAt: '2026-09-26T02:15:00.000Z', refund: { amount: 1, done: false } }),
        seat({ cardNo: 21, day: 2, group: 1, state: 'waiting' }),
      ],
      'card',
    )
    expect(f.groups).toEqual([
      { day: 1, group: 1, cards: 2, picked: 1, passed: 0, absent: 1, firstAt: '2026-09-26T02:01:00.000Z', lastAt: '2026-09-26T02:15:00.000Z', calledAt: null, endedAt: null, ms: null, minutes: 14 },
      { day: 1, group: 2, cards: 1, picked: 1, passed: 0, absent: 0, firstAt: '2026-09-26T02:16:00.000Z', lastAt: '2026-09-26T02:20:00.000Z', calledAt: null, endedAt: null, ms: null, minutes: 4 },
      { day: 2, group: 1, cards: 1, picked: 0, passed: 0, absent: 0, firstAt: null, lastAt: null, calledAt: null, endedAt: null, ms: null, minutes: null },
    ])
  })

  it('times a group exactly from its call to its end when the host kept them; a group still called has no time yet', () => {
    const seats = [
      seat({ cardNo: 1, day: 1, group: 1, state: 'picked', unitId: 1, checkedInAt: '2026-09-26T02:01:00.000Z', decidedAt: '2026-09-26T02:05:00.000Z' }),
      seat({ cardNo: 11, day: 1, group: 2, state: 'present', checkedInAt: '2026-09-26T02:20:00.000Z' }),
    ]
    const calls = [
      { day: 1, group: 1, calledAt: '2026-09-26T02:00:00.000Z', endedAt: '2026-09-26T02:12:34.567Z' },
      { day: 1, group: 2, calledAt: '2026-09-26T02:12:34.567Z', endedAt: null },
    ]
    const [g1, g2] = summarize(seats, 'card', calls).groups
    expect(g1).toMatchObject({ calledAt: '2026-09-26T02:00:00.000Z', endedAt: '2026-09-26T02:12:34.567Z', ms: 12 * 60_000 + 34_567, minutes: 13 })
    expect(g2).toMatchObject({ calledAt: '2026-09-26T02:12:34.567Z', endedAt: null, ms: null, minutes: null })
  })

  it('does not count as sold a unit whose pick was released later, and says how many were', () => {
    const f = summarize(
      [
        seat({ cardNo: 1, state: 'picked', unitId: 10, wishes: [10], live: true }),
        seat({ cardNo: 2, state: 'picked', unitId: 11, wishes: [11], live: false }),
        seat({ cardNo: 3, state: 'picked', unitId: 12 }),
      ],
      'card',
    )
    expect(f).toMatchObject({ picked: 3, unitsSold: 2, released: 1 })
  })
})

describe('the papers of a pick', () => {
  it('knows a villa by the 别墅 tag or a layout naming it, and nothing else', () => {
    expect(isVilla(['别墅'], '4室3厅')).toBe(true)
    expect(isVilla([' 别墅 '], null)).toBe(true)
    expect(isVilla([], '独栋别墅')).toBe(true)
    expect(isVilla(['景观房', '别墅区旁'], '3室2厅')).toBe(false)
    expect(isVilla([], null)).toBe(false)
  })

  it('owes the deal price less the 意向金, never below zero', () => {
    expect(amountDue(300_000_000, 5_000_000)).toBe(295_000_000)
    expect(amountDue(1_000, 5_000)).toBe(0)
  })
})
