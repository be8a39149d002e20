import { randomBytes } from 'node:crypto'
import type { z } from 'zod'
import type { Draw } from '@shared/contract/subscription'
import { drawListText, drawOrder, parseDrawList, sha256Hex } from '@shared/domain/subscription-draw'
import { buildQueue } from '@shared/domain/subscription-queue'
import { ApiFailure } from '../../api/api-failure'
import type { HandlerContext } from '../../api/handler'
import { eventChanged } from './subscription-push'
import { cardsInPlay, clearQueue, drawsOf, insertDraw, insertQueue, markDraw, updateCard, updateEvent, type EventRecord, type VipCardRecord } from './subscription.repository'

/**
 * The cards an event places, in priority order: those carried over from an earlier event first (by
 * card number), then the valid ones in `order` (card numbers: ascending, or as drawn). Placing a
 * carried-over card makes it valid again for this event.
 */
export async function placeQueue(ctx: HandlerContext, e: EventRecord, order: readonly number[] | null): Promise<void> {
  const cards = await cardsInPlay(ctx.db, e)
  const carried = cards.filter((c) => c.status === 'carried_over')
  const byNo = new Map(cards.filter((c) => c.status === 'valid').map((c) => [c.card_no, c]))
  const ordered = order === null ? [...byNo.values()] : order.map((no) => byNo.get(no)).filter((c): c is VipCardRecord => c !== undefined)
  const at = ctx.clock.now().toISOString()
  for (const c of carried) await updateCard(ctx.db, c.id, { status: 'valid' }, at)
  const days = (JSON.parse(e.days) as string[]).length
  const { placed } = buildQueue([...carried, ...ordered].map((c) => c.id), { days, cardsPerDay: e.cards_per_day, groupSize: e.group_size })
  await clearQueue(ctx.db, e.id)
  await insertQueue(ctx.db, e.id, placed)
}

/** The draw as published: the seed only once revealed (or voided: nothing to hide then). */
export function publishedDraw(d: Awaited<ReturnType<typeof drawsOf>>[number]): z.infer<typeof Draw> {
  return {
    attempt: d.attempt,
    commitment: d.commitment,
    list: d.list,
    listHash: d.list_hash,
    publicValue: d.public_value,
    committedAt: d.committed_at,
    seed: d.revealed_at !== null || d.void === 1 ? d.seed : null,
    revealedAt: d.revealed_at,
    reason: d.reason,
    void: d.void === 1,
  }
}

/**
 * Commits a draw: a fresh secret seed, its SHA-256 published with the list of eligible cards (the
 * project's valid ones) and the list's hash. One draw is open at a time.
 */
export async function commitDraw(ctx: HandlerContext, e: EventRecord, publicValue: string, reason: string | null): Promise<z.infer<typeof Draw>> {
  const draws = await drawsOf(ctx.db, e.id)
  if (draws.some((d) => d.void === 0)) throw new ApiFailure('CONFLICT', 'this event already has a draw; a new one is a redraw', 'eventId', 'draw_exists')
  const eligible = (await cardsInPlay(ctx.db, e)).filter((c) => c.status === 'valid').map((c) => c.card_no)
  if (eligible.length === 0) throw new ApiFailure('CONFLICT', 'no valid VIP card to draw', 'eventId', 'no_cards')
  const seed = randomBytes(32).toString('hex')
  const list = drawListText(eligible)
  const at = ctx.clock.now().toISOString()
  const attempt = draws.length + 1
  await insertDraw(ctx.db, { event_id: e.id, attempt, seed, commitment: sha256Hex(seed), list, list_hash: sha256Hex(list), public_value: publicValue, reason, committed_at: at })
  await updateEvent(ctx.db, e.id, { status: 'drawing' })
  ctx.auditTarget(`subscription:${e.id}`)
  eventChanged(ctx, e.id)
  await ctx.audit('subscription.drawCommitted', `subscription:${e.id}`, { attempt, commitment: sha256Hex(seed), listHash: sha256Hex(list), cards: eligible.length })
  const [row] = (await drawsOf(ctx.db, e.id)).filter((d) => d.attempt === attempt)
  return publishedDraw(row!)
}

/** Reveals the open draw's seed, shuffles the published list with it and places the queue. */
export async function revealDraw(ctx: HandlerContext, e: EventRecord): Promise<void> {
  const open = (await drawsOf(ctx.db, e.id)).find((d) => d.void === 0)
  if (e.status !== 'drawing' || !open || open.revealed_at !== null) throw new ApiFailure('CONFLICT', 'no committed draw to reveal', 'eventId', 'no_draw')
  const list = parseDrawList(open.list) ?? []
  const result = drawOrder(open.seed, list, open.public_value)
  const at = ctx.clock.now().toISOString()
  await markDraw(ctx.db, e.id, open.attempt, { revealed_at: at })
  await placeQueue(ctx, e, result.order)
  await updateEvent(ctx.db, e.id, { status: 'ready' })
  ctx.auditTarget(`subscription:${e.id}`)
  eventChanged(ctx, e.id)
  await ctx.audit('subscription.drawRevealed', `subscription:${e.id}`, { attempt: open.attempt, seed: open.seed, order: result.order.join(',') })
}

/** Voids the event's draw (before the first call): audited, and announced on the lobby display by the caller. */
export async function voidDraw(ctx: HandlerContext, e: EventRecord): Promise<{ attempt: number; publicValue: string }> {
  if (e.status !== 'drawing' && e.status !== 'ready') throw new ApiFailure('CONFLICT', 'a redraw is only possible before the first group is called', 'eventId', 'redraw_too_late')
  const open = (await drawsOf(ctx.db, e.id)).find((d) => d.void === 0)
  if (!open) throw new ApiFailure('CONFLICT', 'no draw to redo', 'eventId', 'no_draw')
  await markDraw(ctx.db, e.id, open.attempt, { void: 1 })
  await clearQueue(ctx.db, e.id)
  await updateEvent(ctx.db, e.id, { status: 'setup' })
  return { attempt: open.attempt, publicValue: open.public_value }
}
