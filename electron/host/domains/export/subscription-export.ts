import type { z } from 'zod'
import type { SubscriptionExportQuery } from '@shared/contract/export'
import { formatBranchTime } from '@shared/domain/branch-time'
import { summarize, type ContestRule, type GroupFigures, type SummarySeat } from '@shared/domain/subscription-summary'
import { ApiFailure } from '../../api/api-failure'
import { mustFindEvent } from '../subscription/subscription-day'
import { callsAt, summaryLines, type SummaryRow } from '../subscription/subscription-summary'
import { unitLabel } from '../units/unit-shape'
import { sliceOfList, type ExportColumn, type Exporter, type GridSource } from './export-sheet'

type Query = z.output<typeof SubscriptionExportQuery>
/** A queue line of the sheet: the card's row, its seat, the rule that gave it a contested unit, and its group's times. */
interface Line {
  row: SummaryRow
  seat: SummarySeat
  rule: ContestRule | null
  group: GroupFigures | undefined
}

/** The summary is the manager's (subscription.summary); so is its sheet. */
function mustBeManager(who: Exporter): void {
  if (who.role !== 'manager') throw new ApiFailure('FORBIDDEN', 'only a manager exports a subscription summary', 'grid')
}

const OUTCOME: Record<SummaryRow['state'], readonly [string, string]> = {
  waiting: ['未到号', 'Not reached'],
  present: ['已到场', 'Present'],
  picked: ['已选房', 'Picked'],
  passed: ['放弃', 'Passed'],
  absent: ['缺席', 'Absent'],
}
const RULE: Record<ContestRule, readonly [string, string]> = {
  earlier_card: ['卡号在先', 'Earlier card'],
  draw_position: ['摇号在先', 'Earlier draw position'],
  released: ['在先者放弃', 'Released by earlier card'],
}

const COLUMNS: readonly ExportColumn<Line>[] = [
  { zh: '日', en: 'Day', cell: (l) => l.row.day },
  { zh: '组', en: 'Group', cell: (l) => l.row.grp },
  { zh: '卡号', en: 'Card no.', cell: (l) => l.row.card_no },
  { zh: '客户', en: 'Holder', cell: (l) => l.row.client_name },
  { zh: '结果', en: 'Outcome', cell: (l, lang) => OUTCOME[l.row.state][lang === 'zh' ? 0 : 1] },
  { zh: '房源', en: 'Unit', cell: (l) => (l.row.building_name !== null && l.row.unit_number !== null ? unitLabel(l.row.building_name, l.row.unit_number) : '') },
  { zh: '争抢裁定', en: 'Contest decided by', cell: (l, lang) => (l.rule ? RULE[l.rule][lang === 'zh' ? 0 : 1] : '') },
  // money is stored in fen: the sheet shows yuan, as a number Excel can add up
  { zh: '应退意向金（元）', en: 'Deposit to refund (yuan)', cell: (l) => (l.seat.refund ? l.seat.refund.amount / 100 : '') },
  { zh: '退款', en: 'Refund', cell: (l, lang) => (l.seat.refund ? (l.seat.refund.done ? (lang === 'zh' ? '已退' : 'Done') : lang === 'zh' ? '待退' : 'Due') : '') },
  { zh: '办理时间', en: 'Decided at', cell: (l) => formatBranchTime(l.row.decided_at) },
  // the group's times, as the printed 汇总 states them, on each of its cards' lines
  { zh: '本组叫号', en: 'Group called at', cell: (l) => formatBranchTime(l.group?.calledAt) },
  { zh: '本组结束', en: 'Group ended at', cell: (l) => formatBranchTime(l.group?.endedAt) },
  { zh: '本组用时（分钟）', en: 'Group time (minutes)', cell: (l) => groupMinutes(l.group) },
]

/**
 * A group's time in minutes, as a number Excel can add up: exact from its call to its end (two
 * decimals); for an event from before call times were kept, first arrival to last decision; '' while
 * the group is being called.
 */
function groupMinutes(g: GroupFigures | undefined): number | '' {
  if (!g) return ''
  if (g.ms !== null) return Math.round(g.ms / 600) / 100
  return g.calledAt === null && g.minutes !== null ? g.minutes : ''
}

/** The lines of an event's queue at `now` (the host clock) with the contest rule of each contested pick and its group's times. */
async function linesOf(db: Parameters<GridSource<Query, Line>['count']>[0], q: Query, now: Date): Promise<Line[]> {
  const e = await mustFindEvent(db, q.eventId)
  const { rows, seats } = await summaryLines(db, e.id, { e, now })
  const figures = summarize(seats, e.order_by, await callsAt(db, e, now))
  const rules = new Map(figures.contests.map((c) => [c.winnerCardNo, c.rule]))
  const groups = new Map(figures.groups.map((g) => [`${g.day}:${g.group}`, g]))
  return rows.map((row, i) => ({ row, seat: seats[i]!, rule: rules.get(row.card_no) ?? null, group: groups.get(`${row.day}:${row.grp}`) }))
}

/** A subscription day's summary (认购日汇总), one line a card in queue order. */
export function subscriptionSource(): GridSource<Query, Line> {
  return {
    title: { zh: '认购日汇总导出', en: 'Subscription day summary export' },
    columns: COLUMNS,
    async count(db, q, who, now) {
      mustBeManager(who)
      return (await linesOf(db, q, now)).length
    },
    async page(db, q, who, now, from, limit) {
      mustBeManager(who)
      return sliceOfList(await linesOf(db, q, now), from, limit)
    },
  }
}
