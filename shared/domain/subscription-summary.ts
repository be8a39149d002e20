/**
 * The figures of a subscription day after the event (认购日汇总): picks by group, units sold,
 * contested picks and the rule that decided each, absentees and their refunds, and how long each
 * group took. Pure: the host reads the queue, wish lists, refund to-dos and call times and hands
 * them in.
 */

export interface SummarySeat {
  cardNo: number
  position: number
  day: number
  group: number
  state: 'waiting' | 'present' | 'picked' | 'passed' | 'absent'
  unitId: number | null
  wishes: readonly number[]
  checkedInAt: string | null
  decidedAt: string | null
  /** the 意向金 refund to-do of a forfeited card: null when none, else whether finance has done it */
  refund: { amount: number; done: boolean } | null
  /** false when the unit picked was released later (its 认购 cancelled): picked, but not sold */
  live?: boolean
}

/** When a group was called and when its time ended (null while it is being called), as the host stored them. */
export interface GroupCall {
  day: number
  group: number
  calledAt: string
  endedAt: string | null
}

/** How a contested unit went to its buyer: their earlier place (card number or draw position), or the earlier wishers let it go. */
export type ContestRule = 'earlier_card' | 'draw_position' | 'released'

export interface Contest {
  day: number
  group: number
  unitId: number
  winnerCardNo: number
  /** the other cards of the group that wished for the unit */
  rivalCardNos: number[]
  rule: ContestRule
}

export interface GroupFigures {
  day: number
  group: number
  cards: number
  picked: number
  passed: number
  absent: number
  /** first check-in or decision of the group, and its last decision */
  firstAt: string | null
  lastAt: string | null
  /** when the group was called and when its time ended (the next call, or its deadline) */
  calledAt: string | null
  endedAt: string | null
  /** the group's time exactly, from its call to its end (null until it has ended) */
  ms: number | null
  /** whole minutes of that time; for an event from before call times were kept, first arrival to last decision */
  minutes: number | null
}

export interface SummaryFigures {
  cards: number
  picked: number
  passed: number
  absent: number
  /** distinct units whose pick still stands (a 认购 cancelled later does not count) */
  unitsSold: number
  /** picks whose unit was released later */
  released: number
  contests: Contest[]
  groups: GroupFigures[]
  refundsDue: number
  refundsDone: number
  refundAmountDue: number
  refundAmountDone: number
}

const minOf = (xs: (string | null)[]) => xs.filter((x): x is string => x !== null).sort()[0] ?? null
const maxOf = (xs: (string | null)[]) => xs.filter((x): x is string => x !== null).sort().at(-1) ?? null

/** The contest of a picked unit within its group, or null when no other card of the group wished for it. */
function contestOf(seat: SummarySeat, group: readonly SummarySeat[], orderBy: 'card' | 'draw'): Contest | null {
  if (seat.unitId === null) return null
  const unit = seat.unitId
  const rivals = group.filter((s) => s !== seat && s.wishes.includes(unit))
  if (rivals.length === 0) return null
  const released = rivals.some((r) => r.position < seat.position)
  return {
    day: seat.day,
    group: seat.group,
    unitId: unit,
    winnerCardNo: seat.cardNo,
    rivalCardNos: rivals.map((r) => r.cardNo).sort((a, b) => a - b),
    rule: released ? 'released' : orderBy === 'card' ? 'earlier_card' : 'draw_position',
  }
}

/** The whole event's (or one day's, when the seats are one day's) figures. */
export function summarize(seats: readonly SummarySeat[], orderBy: 'card' | 'draw', calls: readonly GroupCall[] = []): SummaryFigures {
  const callOf = new Map(calls.map((c) => [`${c.day}:${c.group}`, c]))
  const groups = new Map<string, SummarySeat[]>()
  for (const s of seats) {
    const key = `${s.day}:${s.group}`
    const g = groups.get(key) ?? []
    g.push(s)
    groups.set(key, g)
  }
  const contests: Contest[] = []
  const figures: GroupFigures[] = []
  for (const [key, g] of groups) {
    // each contest is counted at its pick (a unit picked again after its 认购 was released is contested afresh in its new group)
    for (const s of g) {
      const c = contestOf(s, g, orderBy)
      if (c) contests.push(c)
    }
    const firstAt = minOf(g.flatMap((s) => [s.checkedInAt, s.decidedAt]))
    const lastAt = maxOf(g.map((s) => s.decidedAt))
    const call = callOf.get(key)
    const ms = call?.endedAt ? Date.parse(call.endedAt) - Date.parse(call.calledAt) : null
    const approx = firstAt && lastAt ? Math.round((Date.parse(lastAt) - Date.parse(firstAt)) / 60_000) : null
    figures.push({
      day: g[0]!.day,
      group: g[0]!.group,
      cards: g.length,
      picked: g.filter((s) => s.state === 'picked').length,
      passed: g.filter((s) => s.state === 'passed').length,
      absent: g.filter((s) => s.state === 'absent').length,
      firstAt,
      lastAt,
      calledAt: call?.calledAt ?? null,
      endedAt: call?.endedAt ?? null,
      ms,
      minutes: call ? (ms === null ? null : Math.round(ms / 60_000)) : approx,
    })
  }
  figures.sort((a, b) => a.day - b.day || a.group - b.group)
  contests.sort((a, b) => a.day - b.day || a.group - b.group || a.winnerCardNo - b.winnerCardNo)
  const refunds = seats.filter((s) => s.refund !== null)
  const done = refunds.filter((s) => s.refund!.done)
  return {
    cards: seats.length,
    picked: seats.filter((s) => s.state === 'picked').length,
    passed: seats.filter((s) => s.state === 'passed').length,
    absent: seats.filter((s) => s.state === 'absent').length,
    unitsSold: new Set(seats.flatMap((s) => (s.state === 'picked' && s.unitId !== null && s.live !== false ? [s.unitId] : []))).size,
    released: seats.filter((s) => s.state === 'picked' && s.live === false).length,
    contests,
    groups: figures,
    refundsDue: refunds.length - done.length,
    refundsDone: done.length,
    refundAmountDue: refunds.filter((s) => !s.refund!.done).reduce((n, s) => n + s.refund!.amount, 0),
    refundAmountDone: done.reduce((n, s) => n + s.refund!.amount, 0),
  }
}
