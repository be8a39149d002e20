import type { z } from 'zod'
import type { CardRead } from '@shared/contract/cards'
import { printUid } from '@shared/domain/card-uid'
import { hostTextOf } from '@shared/domain/host-text-keys'
import { memberPricing } from '@shared/domain/member-price'
import { pickBlocker } from '@shared/domain/subscription-contest'
import { ApiFailure } from '../../api/api-failure'
import type { HandlerContext, HandlersOf } from '../../api/handler'
import { requireSession } from '../../api/require-session'
import { findCard, uidOfRead } from '../cards/card-read'
import { mustHaveFullAccess } from '../clients/client-guards'
import { mustFindClient } from '../clients/client-lookup'
import { memberStandingOf } from '../club/club.repository'
import { findProject } from '../projects/projects.repository'
import { heldBy, mustFindUnit, unitChanged } from '../units/unit-tx'
import { addStep, insertTx, liveTx, setTxPricing } from '../units/units.repository'
import { callNext, callNow, eventShape, forfeit, mustFindEvent, queueAt, settle, statusAt, toVipCard } from './subscription-day'
import { agreementOf } from './subscription-agreement'
import { eventChanged } from './subscription-push'
import { eventSummary } from './subscription-summary'
import { commitDraw, placeQueue, revealDraw, voidDraw } from './subscription-draw'
import { formatBranchDate } from '@shared/domain/branch-time'
import { REHEARSAL_MARK, rehearsalHolderName, rehearsalWishes, simulatedPick } from '@shared/domain/subscription-rehearsal'
import {
  allEvents,
  allUnitsOfProject,
  deleteRehearsalRows,
  insertRehearsalCards,
  pickedUnits,
  releasedPicks,
  cardById,
  cardByNo,
  cardsOfClient,
  cardsOfProject,
  insertEvent,
  insertNotice,
  insertVipCard,
  isEventUnit,
  nextCardNo,
  openEventOf,
  queueOf,
  setQueueState,
  setWishes,
  unitsInProject,
  updateCard,
  updateEvent,
  wishesOf,
  type EventRecord,
  type QueueRow,
  type VipCardRecord,
} from './subscription.repository'

/** The most holders a rehearsal has (subscription.rehearse's limit), so the highest rehearsal card number. */
const MAX_REHEARSAL_CARD_NO = 500

/** A rehearsal card's 意向金 as the console shows it (yuan 50 000 in fen); no money is taken. */
const REHEARSAL_DEPOSIT = 5_000_000

/** Refuses a wish list with a unit outside the project or a unit twice. */
async function mustBeProjectUnits(ctx: HandlerContext, projectId: number, unitIds: readonly number[], field: string): Promise<void> {
  if (new Set(unitIds).size !== unitIds.length) throw new ApiFailure('VALIDATION', 'a unit is listed twice', field, 'duplicate_unit')
  const inProject = await unitsInProject(ctx.db, projectId, unitIds)
  const stray = unitIds.find((u) => !inProject.has(u))
  if (stray !== undefined) throw new ApiFailure('VALIDATION', `unit ${stray} is not in this project`, field, 'unit_not_in_project', { unitId: stray })
}

/** A card the caller works: its holder must be a client they work in full (managers: any). */
async function mustWorkCard(ctx: HandlerContext, cardId: number): Promise<VipCardRecord> {
  const card = await cardById(ctx.db, cardId)
  // a rehearsal's generated card is no card anyone works
  if (!card || card.client_id === null) throw new ApiFailure('NOT_FOUND', `no VIP card ${cardId}`, 'cardId')
  mustHaveFullAccess(requireSession(ctx), await mustFindClient(ctx.db, card.client_id, 'cardId'), 'cardId')
  return card
}

/** The running event, brought up to the host clock. */
async function runningEvent(ctx: HandlerContext, eventId: number): Promise<EventRecord> {
  const e = await settle(ctx, await mustFindEvent(ctx.db, eventId))
  if (e.status !== 'running') throw new ApiFailure('CONFLICT', 'no group is being called', 'eventId', 'event_not_running', { status: e.status })
  return e
}

/**
 * The event for the console, the door, the desks and the lobby display, brought up to the host
 * clock first: a group whose countdown ran out is closed as soon as a screen reads it, so its
 * absentees' refund to-dos are made then, not at the next write or scheduler pass. The other
 * screens are told when that moved the event.
 */
async function settledForScreens(ctx: HandlerContext, eventId: number): Promise<EventRecord> {
  const e = await mustFindEvent(ctx.db, eventId)
  const settled = await settle(ctx, e)
  if (settled !== e) eventChanged(ctx, eventId)
  return settled
}

/** The queue entry of a card number in the event; NOT_FOUND on cardNo otherwise. */
async function entryOf(ctx: HandlerContext, e: EventRecord, cardNo: number): Promise<QueueRow> {
  const [entry] = await queueOf(ctx.db, e.id, { cardNo })
  if (!entry) throw new ApiFailure('NOT_FOUND', `card ${cardNo} is not in this event's queue`, 'cardNo', 'not_in_event')
  return entry
}

/**
 * The rehearsal card number a swiped practice card stands for: the number a reader set to 10 decimal
 * digits prints for it (0000000012 is rehearsal card 12), or null for a card with no such number.
 */
function rehearsalCardNoOfRead(read: z.infer<typeof CardRead>): number | null {
  const r = uidOfRead(read)
  const digits = r.ok ? printUid(r.uid, 'decimal-10') : null
  const no = digits === null ? 0 : Number(digits)
  return no >= 1 && no <= MAX_REHEARSAL_CARD_NO ? no : null
}

/** A holder acts only once their group is called (same day, this group or an earlier one), and only once. */
function mustBeCalled(e: EventRecord, entry: QueueRow): void {
  if (entry.state === 'picked') throw new ApiFailure('CONFLICT', `card ${entry.card_no} has picked already`, 'cardNo', 'card_used')
  if (entry.state === 'absent' || entry.state === 'passed') throw new ApiFailure('CONFLICT', `card ${entry.card_no} forfeited its priority`, 'cardNo', 'card_forfeited')
  if (entry.day !== e.day || entry.grp > e.grp) throw new ApiFailure('CONFLICT', `card ${entry.card_no} is in group ${entry.grp} of day ${entry.day}`, 'cardNo', 'not_your_turn', { day: entry.day, group: entry.grp })
}

/** The door's verdict on a card at `e` (running, settled). */
function doorVerdict(e: EventRecord, entry: QueueRow | undefined) {
  if (!entry) return 'not_in_event' as const
  if (entry.state === 'picked') return 'used' as const
  if (entry.state === 'absent' || entry.state === 'passed') return 'forfeited' as const
  if (e.status !== 'running') return 'not_called' as const
  if (entry.day !== e.day || entry.grp > e.grp) return 'not_yet' as const
  return 'welcome' as const
}

/**
 * A present holder's pick of a unit: refused while an earlier card of the group comes first for it.
 * Live, it is a 认购 on the board's own write path (one live transaction a unit); in a rehearsal the
 * pick stays in the rehearsal's queue (a unit picked once per event, by its unique index) and the
 * live board, its transactions and the buyer's pricing are never read for it nor written.
 */
async function pickUnit(ctx: HandlerContext, e: EventRecord, entry: QueueRow, unitId: number): Promise<{ unitId: number; txId: number | null }> {
  const s = requireSession(ctx)
  const cardNo = entry.card_no
  if (entry.state !== 'present') throw new ApiFailure('CONFLICT', `card ${cardNo} has not checked in at the door`, 'cardNo', 'not_checked_in')
  if (!(await isEventUnit(ctx.db, e.id, unitId))) throw new ApiFailure('VALIDATION', 'this unit is not offered on this day', 'unitId', 'unit_not_offered')
  // the earlier card of the group goes first for a unit on its wish list (usage.md: the contest rule)
  const group = await queueOf(ctx.db, e.id, { day: entry.day, group: entry.grp })
  const wishes = await wishesOf(ctx.db, group.map((r) => r.card_id))
  const seats = group.map((r) => ({ cardId: r.card_id, cardNo: r.card_no, position: r.position, open: r.state === 'waiting' || r.state === 'present', wishes: wishes.get(r.card_id) ?? [] }))
  const blocker = pickBlocker(seats, entry.card_id, unitId)
  if (blocker) throw new ApiFailure('CONFLICT', `card ${blocker.cardNo} comes first for this unit`, 'unitId', 'earlier_card_first', { cardNo: blocker.cardNo })
  const now = ctx.clock.now()
  const at = now.toISOString()
  if (e.rehearsal === 1) {
    if ((await pickedUnits(ctx.db, e.id)).includes(unitId)) throw new ApiFailure('CONFLICT', 'this unit is picked already in the rehearsal', 'unitId', 'unit_subscribe', { status: 'subscribe', holder: '' })
    await setQueueState(ctx.db, e.id, entry.card_id, { state: 'picked', unit_id: unitId, decided_at: at })
    await updateCard(ctx.db, entry.card_id, { status: 'used' }, at)
    ctx.auditTarget(`subscription:${e.id}`)
    eventChanged(ctx, e.id)
    return { unitId, txId: null }
  }
  // the board's own write path: one live transaction a unit (a unique index), checked and opened in this one transaction
  const held = await liveTx(ctx.db, unitId, at)
  if (held) throw heldBy(held)
  const unit = (await mustFindUnit(ctx.db, unitId)).list_price
  // a 认购 is priced once, with the buyer's member discount, as units.advance prices one
  const clientId = entry.client_id!
  const pricing = memberPricing(unit, await memberStandingOf(ctx.db, clientId))
  const txId = await insertTx(ctx.db, { unit_id: unitId, client_id: clientId, agent_id: s.staffId, status: 'subscribe', price: pricing.memberPrice, created_by: s.staffId, created_at: at, updated_at: at })
  await setTxPricing(ctx.db, txId, pricing)
  await addStep(ctx.db, txId, 'subscribe', pricing.memberPrice, hostTextOf('step.vipPick', { cardNo: String(cardNo), event: e.name }), s.staffId, at)
  await setQueueState(ctx.db, e.id, entry.card_id, { state: 'picked', unit_id: unitId, tx_id: txId, decided_at: at })
  await updateCard(ctx.db, entry.card_id, { status: 'used' }, at)
  ctx.auditTarget(`unit:${unitId}`)
  eventChanged(ctx, e.id)
  await unitChanged(ctx, [unitId])
  return { unitId, txId }
}

/** Subscription days (认购日): VIP cards, the event and its queue, the door, the picks, the draw. */
export const subscriptionHandlers: HandlersOf<'subscription'> = {
  'subscription.issueCard': async ({ projectId, clientId, cardNo, deposit, receiptNo, method, wishes }, ctx) => {
    const s = requireSession(ctx)
    if (!(await findProject(ctx.db, projectId))) throw new ApiFailure('NOT_FOUND', `no project ${projectId}`, 'projectId')
    const client = await mustFindClient(ctx.db, clientId, 'clientId')
    mustHaveFullAccess(s, client, 'clientId')
    if (client.blacklisted === 1) throw new ApiFailure('CONFLICT', `blacklisted client: ${client.blacklist_reason}`, 'clientId', 'blacklisted')
    await mustBeProjectUnits(ctx, projectId, wishes, 'wishes')
    const no = cardNo ?? (await nextCardNo(ctx.db, projectId))
    if (await cardByNo(ctx.db, projectId, no)) throw new ApiFailure('DUPLICATE', `card ${no} is issued already`, 'cardNo', 'card_no_taken', { cardNo: no })
    const at = ctx.clock.now().toISOString()
    const id = await insertVipCard(ctx.db, { project_id: projectId, card_no: no, client_id: clientId, deposit, receipt_no: receiptNo, method, paid_at: at, issued_by: s.staffId, updated_at: at })
    await setWishes(ctx.db, id, wishes)
    ctx.auditTarget(`vipcard:${id}`)
    return toVipCard(ctx.db, (await cardById(ctx.db, id))!)
  },

  'subscription.setWishes': async ({ cardId, wishes }, ctx) => {
    const card = await mustWorkCard(ctx, cardId)
    if (card.status !== 'valid') throw new ApiFailure('CONFLICT', `the card is ${card.status}`, 'cardId', 'card_not_valid', { status: card.status })
    await mustBeProjectUnits(ctx, card.project_id, wishes, 'wishes')
    await setWishes(ctx.db, cardId, wishes)
    ctx.auditTarget(`vipcard:${cardId}`)
    return toVipCard(ctx.db, card)
  },

  'subscription.setCarryOver': async ({ cardId, carryOver }, ctx) => {
    const card = await mustWorkCard(ctx, cardId)
    if (card.status !== 'valid') throw new ApiFailure('CONFLICT', `the card is ${card.status}`, 'cardId', 'card_not_valid', { status: card.status })
    await updateCard(ctx.db, cardId, { carry_over: carryOver ? 1 : 0 }, ctx.clock.now().toISOString())
    ctx.auditTarget(`vipcard:${cardId}`)
    return toVipCard(ctx.db, (await cardById(ctx.db, cardId))!)
  },

  'subscription.cards': async ({ projectId }, ctx) => {
    const cards = await cardsOfProject(ctx.db, projectId)
    const wishes = await wishesOf(ctx.db, cards.map((c) => c.id))
    return { cards: await Promise.all(cards.map((c) => toVipCard(ctx.db, c, wishes.get(c.id) ?? []))) }
  },

  'subscription.createEvent': async (input, ctx) => {
    const s = requireSession(ctx)
    if (!(await findProject(ctx.db, input.projectId))) throw new ApiFailure('NOT_FOUND', `no project ${input.projectId}`, 'projectId')
    if (await openEventOf(ctx.db, input.projectId)) throw new ApiFailure('CONFLICT', 'this project has a subscription event that is not closed', 'projectId', 'event_open')
    await mustBeProjectUnits(ctx, input.projectId, input.unitIds, 'unitIds')
    const at = ctx.clock.now().toISOString()
    const id = await insertEvent(
      ctx.db,
      {
        project_id: input.projectId,
        name: input.name,
        days: JSON.stringify(input.days),
        cards_per_day: input.cardsPerDay,
        group_size: input.groupSize,
        minutes_per_group: input.minutesPerGroup,
        order_by: input.orderBy,
        rules_text: input.rulesText,
        status: input.orderBy === 'card' ? 'ready' : 'setup',
        created_by: s.staffId,
        created_at: at,
      },
      input.unitIds,
    )
    const e = await mustFindEvent(ctx.db, id)
    // by card number the queue is known now; by draw it is made when the seed is revealed
    if (input.orderBy === 'card') await placeQueue(ctx, e, null)
    ctx.auditTarget(`subscription:${id}`)
    eventChanged(ctx, id)
    return eventShape(ctx.db, e, ctx.clock.now())
  },

  'subscription.events': async (_input, ctx) => {
    const now = ctx.clock.now()
    const events = await allEvents(ctx.db)
    // the status at the host clock, as the console shows it (a day whose last group ran out is over)
    return { events: await Promise.all(events.map(async (e) => ({ id: e.id, projectId: e.project_id, name: e.name, rehearsal: e.rehearsal === 1, status: await statusAt(ctx.db, e, now), days: JSON.parse(e.days) as string[] }))) }
  },

  'subscription.event': async ({ eventId }, ctx) => {
    const e = await settledForScreens(ctx, eventId)
    const now = ctx.clock.now()
    const queue = queueAt(await queueOf(ctx.db, eventId), e, await callNow(ctx.db, e, now))
    return {
      event: await eventShape(ctx.db, e, now),
      queue: queue.map((r) => ({ cardId: r.card_id, cardNo: r.card_no, position: r.position, day: r.day, group: r.grp, state: r.state, unitId: r.unit_id, decidedAt: r.decided_at, clientName: r.client_name })),
    }
  },

  'subscription.lobby': async ({ eventId }, ctx) => {
    const e = await settledForScreens(ctx, eventId)
    const now = ctx.clock.now()
    const event = await eventShape(ctx.db, e, now)
    const queue = queueAt(await queueOf(ctx.db, eventId), e, await callNow(ctx.db, e, now))
    const current = event.status === 'running' ? queue.filter((r) => r.day === event.day && r.grp === event.group).map((r) => ({ cardNo: r.card_no, state: r.state })) : []
    // sold on the lobby display: picks whose 认购 still stands (a unit released later is on the board again)
    const released = await releasedPicks(ctx.db, eventId, now.toISOString())
    return { event, current, picked: queue.flatMap((r) => (r.unit_id === null || released.has(r.card_id) ? [] : [r.unit_id])) }
  },

  'subscription.commitDraw': async ({ eventId, publicValue }, ctx) => {
    const e = await mustFindEvent(ctx.db, eventId)
    if (e.order_by !== 'draw') throw new ApiFailure('CONFLICT', 'this event goes by card number', 'eventId', 'not_a_draw')
    if (e.status !== 'setup') throw new ApiFailure('CONFLICT', 'the draw is committed already', 'eventId', 'draw_exists')
    return commitDraw(ctx, e, publicValue, null)
  },

  'subscription.revealDraw': async ({ eventId }, ctx) => {
    const e = await mustFindEvent(ctx.db, eventId)
    await revealDraw(ctx, e)
    return eventShape(ctx.db, await mustFindEvent(ctx.db, eventId), ctx.clock.now())
  },

  // a redraw leaves an audit row, a lobby notice and the voided draw (with its seed) on view
  'subscription.redraw': async ({ eventId, reason }, ctx) => {
    const e = await mustFindEvent(ctx.db, eventId)
    const voided = await voidDraw(ctx, e)
    const at = ctx.clock.now().toISOString()
    await insertNotice(ctx.db, eventId, 'redraw', reason, at)
    await ctx.audit('subscription.redraw', `subscription:${eventId}`, { voided: voided.attempt, reason })
    return commitDraw(ctx, { ...e, status: 'setup' }, voided.publicValue, reason)
  },

  'subscription.callNext': async ({ eventId }, ctx) => {
    let e = await settle(ctx, await mustFindEvent(ctx.db, eventId))
    e = await callNext(ctx, e)
    ctx.auditTarget(`subscription:${eventId}`)
    eventChanged(ctx, eventId)
    return eventShape(ctx.db, e, ctx.clock.now())
  },

  'subscription.extend': async ({ eventId, minutes }, ctx) => {
    const e = await runningEvent(ctx, eventId)
    const deadline = new Date(Date.parse(e.deadline!) + minutes * 60_000).toISOString()
    await updateEvent(ctx.db, eventId, { deadline })
    ctx.auditTarget(`subscription:${eventId}`)
    eventChanged(ctx, eventId)
    return eventShape(ctx.db, await mustFindEvent(ctx.db, eventId), ctx.clock.now())
  },

  'subscription.checkIn': async ({ eventId, read, cardNo }, ctx) => {
    const e = await settle(ctx, await mustFindEvent(ctx.db, eventId))
    let entry: QueueRow | undefined
    if (cardNo !== undefined) {
      ;[entry] = await queueOf(ctx.db, eventId, { cardNo })
      // a rehearsal knows only its own cards (every one is in its queue); a live event the project's
      const known = entry !== undefined || (e.rehearsal === 0 && (await cardByNo(ctx.db, e.project_id, cardNo)) !== undefined)
      if (!known) return { ok: false, verdict: 'unknown_card' as const, cardNo, group: null, day: null }
    } else if (read !== undefined && e.rehearsal === 1) {
      // a rehearsal's holders have no member card: a practice card is theirs by the number it carries (its 10-digit reading)
      const no = rehearsalCardNoOfRead(read)
      ;[entry] = no === null ? [] : await queueOf(ctx.db, eventId, { cardNo: no })
      if (!entry) return { ok: false, verdict: 'unknown_card' as const, cardNo: null, group: null, day: null }
    } else if (read !== undefined) {
      const r = uidOfRead(read)
      const member = r.ok ? (await findCard(ctx.db, r.uid)).card : undefined
      if (!member || member.status !== 'active') return { ok: false, verdict: 'unknown_card' as const, cardNo: null, group: null, day: null }
      // a holder with several VIP cards: the one whose turn it is first
      const mine = new Set((await cardsOfClient(ctx.db, e.project_id, member.client_id)).map((c) => c.id))
      const entries = (await queueOf(ctx.db, eventId)).filter((q) => mine.has(q.card_id))
      entry = entries.find((q) => doorVerdict(e, q) === 'welcome') ?? entries[0]
      if (!entry && mine.size === 0) return { ok: false, verdict: 'unknown_card' as const, cardNo: null, group: null, day: null }
    } else {
      throw new ApiFailure('VALIDATION', 'swipe the member card or type the VIP card number', 'cardNo', 'card_or_number')
    }
    const verdict = doorVerdict(e, entry)
    if (verdict === 'welcome' && entry!.state === 'waiting') await setQueueState(ctx.db, eventId, entry!.card_id, { state: 'present', checked_in_at: ctx.clock.now().toISOString() })
    ctx.auditTarget(`subscription:${eventId}`)
    eventChanged(ctx, eventId)
    return { ok: verdict === 'welcome', verdict, cardNo: entry?.card_no ?? cardNo ?? null, group: entry?.grp ?? null, day: entry?.day ?? null }
  },

  'subscription.markAbsent': async ({ eventId, cardNo }, ctx) => {
    const e = await runningEvent(ctx, eventId)
    const entry = await entryOf(ctx, e, cardNo)
    mustBeCalled(e, entry)
    await forfeit(ctx, e, entry, 'absent')
    ctx.auditTarget(`subscription:${eventId}`)
    eventChanged(ctx, eventId)
    return { ok: true as const }
  },

  'subscription.pass': async ({ eventId, cardNo }, ctx) => {
    const e = await runningEvent(ctx, eventId)
    const entry = await entryOf(ctx, e, cardNo)
    mustBeCalled(e, entry)
    await forfeit(ctx, e, entry, 'passed')
    ctx.auditTarget(`subscription:${eventId}`)
    eventChanged(ctx, eventId)
    return { ok: true as const }
  },

  'subscription.pick': async ({ eventId, cardNo, unitId }, ctx) => {
    const e = await runningEvent(ctx, eventId)
    const entry = await entryOf(ctx, e, cardNo)
    mustBeCalled(e, entry)
    return pickUnit(ctx, e, entry, unitId)
  },

  'subscription.rehearse': async (input, ctx) => {
    const s = requireSession(ctx)
    const project = await findProject(ctx.db, input.projectId)
    if (!project) throw new ApiFailure('NOT_FOUND', `no project ${input.projectId}`, 'projectId')
    if (input.unitIds) await mustBeProjectUnits(ctx, input.projectId, input.unitIds, 'unitIds')
    const unitIds = input.unitIds ?? (await allUnitsOfProject(ctx.db, input.projectId))
    if (unitIds.length === 0) throw new ApiFailure('VALIDATION', 'the project has no units to rehearse with', 'projectId', 'no_units')
    const now = ctx.clock.now()
    const at = now.toISOString()
    const days = Math.max(1, Math.ceil(input.holders / input.cardsPerDay))
    const id = await insertEvent(
      ctx.db,
      {
        project_id: input.projectId,
        // the name carries the mark too, so a list that shows only names still tells the rehearsal apart
        name: `${REHEARSAL_MARK} · ${project.name}`.slice(0, 60),
        days: JSON.stringify(Array.from({ length: days }, (_, i) => formatBranchDate(new Date(now.getTime() + i * 86_400_000)))),
        cards_per_day: input.cardsPerDay,
        group_size: input.groupSize,
        minutes_per_group: input.minutesPerGroup,
        order_by: 'card',
        rules_text: '',
        status: 'ready',
        rehearsal: 1,
        created_by: s.staffId,
        created_at: at,
      },
      unitIds,
    )
    const wishes = rehearsalWishes(input.holders, unitIds, { groupSize: input.groupSize, wishes: input.wishes, seed: input.seed ?? id })
    const cards = wishes.map((w, i) => ({ cardNo: i + 1, holderName: rehearsalHolderName(i + 1), deposit: REHEARSAL_DEPOSIT, wishes: w }))
    await insertRehearsalCards(ctx.db, { id, project_id: input.projectId }, cards, s.staffId, at)
    const e = await mustFindEvent(ctx.db, id)
    await placeQueue(ctx, e, null)
    ctx.auditTarget(`subscription:${id}`)
    eventChanged(ctx, id)
    return eventShape(ctx.db, e, ctx.clock.now())
  },

  // the group runs as it would at the door and the desk, with each holder's first free wish as the pick
  'subscription.autoRun': async ({ eventId }, ctx) => {
    const e = await runningEvent(ctx, eventId)
    if (e.rehearsal !== 1) throw new ApiFailure('CONFLICT', 'only a rehearsal runs by itself', 'eventId', 'not_a_rehearsal')
    const group = await queueOf(ctx.db, eventId, { day: e.day, group: e.grp })
    const wishes = await wishesOf(ctx.db, group.map((r) => r.card_id))
    const taken = new Set(await pickedUnits(ctx.db, eventId))
    const at = ctx.clock.now().toISOString()
    const picks: Array<{ cardNo: number; unitId: number | null }> = []
    for (const r of group) {
      if (r.state !== 'waiting' && r.state !== 'present') continue
      if (r.state === 'waiting') await setQueueState(ctx.db, eventId, r.card_id, { state: 'present', checked_in_at: at })
      const unitId = simulatedPick(wishes.get(r.card_id) ?? [], taken)
      if (unitId === null) {
        await forfeit(ctx, e, r, 'passed')
      } else {
        await pickUnit(ctx, e, { ...r, state: 'present' }, unitId)
        taken.add(unitId)
      }
      picks.push({ cardNo: r.card_no, unitId })
    }
    ctx.auditTarget(`subscription:${eventId}`)
    eventChanged(ctx, eventId)
    return { picks }
  },

  'subscription.deleteRehearsal': async ({ eventId }, ctx) => {
    const e = await mustFindEvent(ctx.db, eventId)
    if (e.rehearsal !== 1) throw new ApiFailure('CONFLICT', 'a live subscription event is never deleted', 'eventId', 'not_a_rehearsal')
    await deleteRehearsalRows(ctx.db, eventId)
    ctx.auditTarget(`subscription:${eventId}`)
    eventChanged(ctx, eventId)
    return { ok: true as const }
  },

  'subscription.summary': async ({ eventId }, ctx) => eventSummary(ctx.db, await mustFindEvent(ctx.db, eventId), ctx.clock.now()),

  'subscription.agreement': async ({ eventId, cardNo }, ctx) => agreementOf(ctx, await mustFindEvent(ctx.db, eventId), cardNo),
}
