import { z } from 'zod'
import { Id, IsoTime, Ok, type ContractTable } from './common'
import { CardRead } from './cards'
import { textField } from '../domain/text-kinds'

/** A VIP card's status: valid until it picks (used), forfeits its priority, is refunded or carries over. */
export const VipCardStatus = z.enum(['valid', 'used', 'forfeited', 'refunded', 'carried_over'])

/** A VIP card (认筹): its number in the project, holder, 意向金 and wish list (unit ids, first wish first). */
export const VipCard = z.object({
  id: Id,
  projectId: Id,
  cardNo: z.number().int(),
  clientId: Id,
  clientName: z.string(),
  deposit: z.number().int(),
  receiptNo: z.string(),
  paidAt: IsoTime,
  status: VipCardStatus,
  /** the holder chose to carry priority over to the next event (when the day does not reach them) */
  carryOver: z.boolean(),
  wishes: z.array(Id),
})

export const QueueState = z.enum(['waiting', 'present', 'picked', 'passed', 'absent'])

/** A card's place in the event's queue and what became of it. */
export const QueueEntry = z.object({
  cardId: Id,
  cardNo: z.number().int(),
  position: z.number().int(),
  day: z.number().int(),
  group: z.number().int(),
  state: QueueState,
  unitId: Id.nullable(),
  /** when it picked, passed or was marked absent */
  decidedAt: IsoTime.nullable(),
})

/** A draw as published: before the reveal the seed is null. */
export const Draw = z.object({
  attempt: z.number().int(),
  commitment: z.string(),
  list: z.string(),
  listHash: z.string(),
  publicValue: z.string(),
  committedAt: IsoTime,
  seed: z.string().nullable(),
  revealedAt: IsoTime.nullable(),
  /** a redraw's reason (null on the first draw) */
  reason: z.string().nullable(),
  void: z.boolean(),
})

export const EventStatus = z.enum(['setup', 'drawing', 'ready', 'running', 'between', 'closed'])

/** A notice for the lobby display (a redraw, a late start): kept and shown with its time. */
export const LobbyNotice = z.object({ kind: z.string(), text: z.string(), at: IsoTime })

/** A subscription event and where it is now. */
export const SubscriptionEvent = z.object({
  id: Id,
  projectId: Id,
  name: z.string(),
  /** a rehearsal (演练): generated cards, no transaction, no refund to-do; shown marked everywhere */
  rehearsal: z.boolean(),
  days: z.array(z.string()),
  cardsPerDay: z.number().int(),
  groupSize: z.number().int(),
  minutesPerGroup: z.number().int(),
  orderBy: z.enum(['card', 'draw']),
  rulesText: z.string(),
  unitIds: z.array(Id),
  status: EventStatus,
  /** 1-based day and group being called; 0 before the first call */
  day: z.number().int(),
  group: z.number().int(),
  groupsToday: z.number().int(),
  /** when the current group's time runs out (host clock), and how long is left at `now` */
  deadline: IsoTime.nullable(),
  msLeft: z.number().int(),
  now: IsoTime,
  draws: z.array(Draw),
  notices: z.array(LobbyNotice),
})

const GroupFigures = z.object({
  day: z.number().int(),
  group: z.number().int(),
  cards: z.number().int(),
  picked: z.number().int(),
  passed: z.number().int(),
  absent: z.number().int(),
  /** first check-in or decision of the group and its last decision */
  firstAt: IsoTime.nullable(),
  lastAt: IsoTime.nullable(),
  /** when the group was called and when its time ended (the next call, or its deadline); null while called */
  calledAt: IsoTime.nullable(),
  endedAt: IsoTime.nullable(),
  /** the group's time exactly (ms from call to end); null until it has ended */
  ms: z.number().int().nullable(),
  /** whole minutes of that time (an event from before call times were kept: first arrival to last decision) */
  minutes: z.number().int().nullable(),
})

/** A subscription day's figures (the whole event, or one of its days). */
export const SummaryFigures = z.object({
  cards: z.number().int(),
  picked: z.number().int(),
  passed: z.number().int(),
  absent: z.number().int(),
  /** distinct units whose pick still stands: a unit released later is not sold */
  unitsSold: z.number().int(),
  /** picks whose unit was released later (the 认购 cancelled) */
  released: z.number().int(),
  contests: z.array(z.object({
    day: z.number().int(),
    group: z.number().int(),
    unitId: Id,
    winnerCardNo: z.number().int(),
    rivalCardNos: z.array(z.number().int()),
    rule: z.enum(['earlier_card', 'draw_position', 'released']),
  })),
  groups: z.array(GroupFigures),
  refundsDue: z.number().int(),
  refundsDone: z.number().int(),
  refundAmountDue: z.number().int(),
  refundAmountDone: z.number().int(),
})

const Money = z.number().int().min(1).max(100_000_000_000)
const Method = z.enum(['cash', 'card', 'transfer', 'pos'])

export const subscriptionContract = {
  'subscription.issueCard': {
    input: z.strictObject({
      projectId: Id,
      clientId: Id,
      /** the printed card number; the next free one when left out */
      cardNo: z.number().int().min(1).max(999_999_999).optional(),
      deposit: Money,
      receiptNo: textField('code', 40, 1),
      method: Method,
      wishes: z.array(Id).max(20).default([]),
    }),
    output: VipCard,
    write: true,
    summary: '认筹: issue a numbered VIP card of a project to a client, with the 意向金 received and the wish list (units in preference order).',
  },
  'subscription.setWishes': {
    input: z.strictObject({ cardId: Id, wishes: z.array(Id).max(20) }),
    output: VipCard,
    write: true,
    summary: "Replace a valid card's wish list (units of its project, first wish first).",
  },
  'subscription.setCarryOver': {
    input: z.strictObject({ cardId: Id, carryOver: z.boolean() }),
    output: VipCard,
    write: true,
    summary: "Record the holder's choice: carry priority over to the next event if the days do not reach the card, or take the 意向金 back.",
  },
  'subscription.cards': {
    input: z.strictObject({ projectId: Id }),
    output: z.object({ cards: z.array(VipCard) }),
    write: false,
    summary: "A project's VIP cards by number, with holder, 意向金, status and wish list.",
  },
  'subscription.createEvent': {
    input: z.strictObject({
      projectId: Id,
      name: textField('line', 60, 1),
      days: z.array(z.string().regex(/^\d{4}-\d{2}-\d{2}$/)).min(1).max(14),
      cardsPerDay: z.number().int().min(1).max(1000).default(100),
      groupSize: z.number().int().min(1).max(100).default(10),
      minutesPerGroup: z.number().int().min(1).max(240).default(15),
      unitIds: z.array(Id).min(1).max(5000),
      rulesText: textField('note', 4000).default(''),
      orderBy: z.enum(['card', 'draw']).default('card'),
    }),
    output: SubscriptionEvent,
    write: true,
    summary: "Set up a subscription day (认购日): days, cards a day, group size, minutes a group, units in play, rules; ordered by card number (the queue is made now) or by a public draw.",
  },
  'subscription.events': {
    input: z.strictObject({}),
    output: z.object({ events: z.array(z.object({ id: Id, projectId: Id, name: z.string(), rehearsal: z.boolean(), status: EventStatus, days: z.array(z.string()) })) }),
    write: false,
    summary: 'The subscription events, newest first (the console and the lobby display choose one).',
  },
  'subscription.event': {
    input: z.strictObject({ eventId: Id }),
    output: z.object({ event: SubscriptionEvent, queue: z.array(QueueEntry.extend({ clientName: z.string() })) }),
    write: false,
    summary: 'The console: the event, where it is (group, countdown) and the whole queue with holders.',
  },
  'subscription.lobby': {
    input: z.strictObject({ eventId: Id }),
    output: z.object({ event: SubscriptionEvent, current: z.array(z.object({ cardNo: z.number().int(), state: QueueState })), picked: z.array(Id) }),
    write: false,
    summary: 'The lobby display: the countdown, the current group by card number (no names), units picked (a pick released later is left out), the draw and notices.',
  },
  'subscription.commitDraw': {
    input: z.strictObject({ eventId: Id, publicValue: textField('line', 120).default('') }),
    output: Draw,
    write: true,
    summary: "Publish the draw's commitment (SHA-256 of a secret seed) with the eligible cards and their hash, before the draw.",
  },
  'subscription.revealDraw': {
    input: z.strictObject({ eventId: Id }),
    output: SubscriptionEvent,
    write: true,
    summary: 'Reveal the seed, shuffle the published list with it (the documented algorithm) and make the queue.',
  },
  'subscription.redraw': {
    input: z.strictObject({ eventId: Id, reason: textField('line', 200, 4) }),
    output: Draw,
    write: true,
    summary: 'Void the draw and commit a new one, before the first group is called: audited and announced on the lobby display.',
  },
  'subscription.callNext': {
    input: z.strictObject({ eventId: Id }),
    output: SubscriptionEvent,
    write: true,
    summary: "Call the next group (the first of the next day when the day is over); the called group's countdown starts on the host clock.",
  },
  'subscription.extend': {
    input: z.strictObject({ eventId: Id, minutes: z.number().int().min(1).max(60) }),
    output: SubscriptionEvent,
    write: true,
    summary: "Give the current group more minutes (managers).",
  },
  'subscription.checkIn': {
    input: z.strictObject({ eventId: Id, read: CardRead.optional(), cardNo: z.number().int().min(1).optional() }),
    output: z.object({
      ok: z.boolean(),
      verdict: z.enum(['welcome', 'not_in_event', 'not_yet', 'used', 'forfeited', 'unknown_card', 'not_called']),
      cardNo: z.number().int().nullable(),
      group: z.number().int().nullable(),
      day: z.number().int().nullable(),
    }),
    write: true,
    summary: 'The door: a member-card swipe (or the VIP card number) checks the holder belongs to the group being called, or an earlier one that has not picked, and marks them present.',
  },
  'subscription.markAbsent': {
    input: z.strictObject({ eventId: Id, cardNo: z.number().int().min(1) }),
    output: Ok,
    write: true,
    summary: 'A called holder is not there: the card forfeits its priority and the 意向金 refund to-do (due in 3 days) is made.',
  },
  'subscription.pick': {
    input: z.strictObject({ eventId: Id, cardNo: z.number().int().min(1), unitId: Id }),
    /** txId is null in a rehearsal: its picks open no transaction on the live board */
    output: z.object({ unitId: Id, txId: Id.nullable() }),
    write: true,
    summary: "A holder's pick: a 认购 on the unit at once. One unit a card; a unit taken is refused; an earlier card of the group that still may pick a unit on its wish list goes first.",
  },
  'subscription.pass': {
    input: z.strictObject({ eventId: Id, cardNo: z.number().int().min(1) }),
    output: Ok,
    write: true,
    summary: 'A present holder picks nothing today: the card forfeits and its refund to-do is made, the units it wished for are free to the next card.',
  },
  'subscription.rehearse': {
    input: z.strictObject({
      projectId: Id,
      /** how many generated holders (演练客001…), each with a card numbered from 1 (a practice card carrying that number finds it at the door) */
      holders: z.number().int().min(1).max(500).default(30),
      /** the units in play (the project's own); all the project's units when left out */
      unitIds: z.array(Id).min(1).max(5000).optional(),
      cardsPerDay: z.number().int().min(1).max(1000).default(100),
      groupSize: z.number().int().min(1).max(100).default(10),
      minutesPerGroup: z.number().int().min(1).max(240).default(15),
      wishes: z.number().int().min(1).max(10).default(3),
      /** the same seed makes the same wish lists (a replay) */
      seed: z.number().int().min(0).max(2_147_483_647).optional(),
    }),
    output: SubscriptionEvent,
    write: true,
    summary: 'Start a rehearsal (演练) of a subscription day for a project: generated holders marked 演练 with wish lists drawn from the units in play (some contested), run at the console like the real day but never touching live units, clients or finance.',
  },
  'subscription.autoRun': {
    input: z.strictObject({ eventId: Id }),
    output: z.object({ picks: z.array(z.object({ cardNo: z.number().int(), unitId: Id.nullable() })) }),
    write: true,
    summary: "Rehearsal only: the group being called runs by itself: its holders who have not come check in, then each picks the first unit of its wish list still free (or passes), in queue order.",
  },
  'subscription.deleteRehearsal': {
    input: z.strictObject({ eventId: Id }),
    output: Ok,
    write: true,
    summary: '删除演练: remove a rehearsal and everything it made (cards, queue, picks). A live event cannot be deleted.',
  },
  'subscription.summary': {
    input: z.strictObject({ eventId: Id }),
    output: z.object({
      eventId: Id,
      name: z.string(),
      status: EventStatus,
      orderBy: z.enum(['card', 'draw']),
      days: z.array(z.object({ day: z.number().int(), date: z.string(), figures: SummaryFigures })),
      total: SummaryFigures,
      /** each pick: card, holder, unit (for the printed summary) */
      picks: z.array(z.object({ day: z.number().int(), group: z.number().int(), cardNo: z.number().int(), clientName: z.string(), unitId: Id, unitLabel: z.string(), at: IsoTime.nullable() })),
      /** each absentee (and holder who passed) with their 意向金 refund */
      forfeits: z.array(z.object({ day: z.number().int(), group: z.number().int(), cardNo: z.number().int(), clientName: z.string(), state: z.enum(['absent', 'passed']), amount: z.number().int(), refundDone: z.boolean() })),
    }),
    write: false,
    summary: "After the day (汇总): picks by group, units sold, contested picks and the rule that decided each, absentees, refunds due and done, time per group; per day and for the whole event (managers).",
  },
  'subscription.agreement': {
    input: z.strictObject({ eventId: Id, cardNo: z.number().int().min(1) }),
    output: z.object({
      eventName: z.string(),
      projectName: z.string(),
      cardNo: z.number().int(),
      receiptNo: z.string(),
      buyer: z.string(),
      unitLabel: z.string(),
      layout: z.string().nullable(),
      /** hundredths of a m², as units store it */
      area: z.number().int(),
      listPrice: z.number().int(),
      memberLevel: z.string().nullable(),
      memberDiscount: z.number().int(),
      dealPrice: z.number().int(),
      deposit: z.number().int(),
      due: z.number().int(),
      pickedAt: IsoTime,
      /** the unit is a villa (tag 别墅 or a layout naming it): the 别墅预定协议 prints too */
      villa: z.boolean(),
    }),
    write: false,
    summary: "A pick's 认购书 (and for a villa the 别墅预定协议): buyer, card, unit, area, list price, member discount, deal price, 意向金 and what is due; for the agent who made the pick at the desk, the manager and whoever works the holder in full.",
  },
} as const satisfies ContractTable
