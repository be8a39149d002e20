import { hostTextOf } from '@shared/domain/host-text-keys'
import { ApiFailure } from '../../api/api-failure'
import type { HandlersOf, HandlerContext } from '../../api/handler'
import { requireSession } from '../../api/require-session'
import { findCard, uidOfRead } from '../cards/card-read'
import { mustServe } from '../clients/client-guards'
import { mustFindClient } from '../clients/client-lookup'
import { award } from '../club/club.repository'
import { activityIdsFrom, checkIn, findActivity, findSignUp, insertActivity, insertWalkIn, signUp } from './activities.repository'

async function activityRow(ctx: HandlerContext, id: number) {
  const a = await findActivity(ctx.db, id)
  if (!a) throw new ApiFailure('NOT_FOUND', `no activity ${id}`, 'activityId')
  return {
    id: a.id,
    name: a.name,
    startsAt: a.starts_at,
    endsAt: a.ends_at,
    place: a.place,
    capacity: a.capacity,
    points: a.points,
    signedUp: Number(a.signed_up ?? 0),
    checkedIn: Number(a.checked_in ?? 0),
  }
}

/** Club activities: create, sign members up, check them in by card (which awards the activity's points once). */
export const activitiesHandlers: HandlersOf<'activities'> = {
  'activities.create': async (input, ctx) => {
    const s = requireSession(ctx)
    if (input.endsAt <= input.startsAt) throw new ApiFailure('VALIDATION', 'ends before it starts', 'endsAt', 'range')
    const id = await insertActivity(ctx.db, {
      name: input.name,
      startsAt: input.startsAt,
      endsAt: input.endsAt,
      place: input.place ?? null,
      capacity: input.capacity ?? null,
      points: input.points,
      by: s.staffId,
      at: ctx.clock.now().toISOString(),
    })
    ctx.auditTarget(`activity:${id}`)
    return activityRow(ctx, id)
  },

  'activities.list': async ({ from }, ctx) => {
    const activities = []
    for (const id of await activityIdsFrom(ctx.db, from ?? '')) activities.push(await activityRow(ctx, id))
    return { activities }
  },

  'activities.signUp': async ({ activityId, clientId }, ctx) => {
    const a = await activityRow(ctx, activityId)
    mustServe(requireSession(ctx), await mustFindClient(ctx.db, clientId, 'clientId'), 'clientId')
    if (a.capacity !== null && a.signedUp >= a.capacity) throw new ApiFailure('LIMIT_REACHED', 'the activity is full', 'activityId', 'activity_full', { cap: a.capacity })
    if (!(await signUp(ctx.db, activityId, clientId, ctx.clock.now().toISOString()))) throw new ApiFailure('CONFLICT', 'already signed up', 'clientId', 'already_signed_up')
    ctx.auditTarget(`activity:${activityId}`)
    return { ok: true as const }
  },

  'activities.checkIn': async ({ activityId, read }, ctx) => {
    const s = requireSession(ctx)
    const a = await activityRow(ctx, activityId)
    const parsed = uidOfRead(read)
    if (!parsed.ok) throw new ApiFailure('VALIDATION', parsed.message, 'read', 'card_unreadable')
    const { card } = await findCard(ctx.db, parsed.uid)
    if (!card) throw new ApiFailure('NOT_FOUND', 'unknown card', 'read', 'card_unknown')
    if (card.status !== 'active') throw new ApiFailure('CONFLICT', `this card is ${card.status}`, 'read', 'card_not_active')
    const c = await mustFindClient(ctx.db, card.client_id)
    const at = ctx.clock.now().toISOString()
    const signup = await findSignUp(ctx.db, activityId, c.id)
    if (!signup) {
      // walk-ins are welcome while there is room
      if (a.capacity !== null && a.signedUp >= a.capacity) throw new ApiFailure('LIMIT_REACHED', 'the activity is full', 'activityId', 'activity_full', { cap: a.capacity })
      await insertWalkIn(ctx.db, activityId, c.id, at)
    } else if (!signup.checked_in_at) {
      await checkIn(ctx.db, activityId, c.id, at)
    }
    const awarded = a.points > 0 && (await award(ctx.db, { clientId: c.id, delta: a.points, kind: 'activity', reason: hostTextOf('points.activity', { activity: a.name }), ref: `activity:${activityId}:${c.id}`, staffId: s.staffId, at }))
    ctx.auditTarget(`activity:${activityId}`)
    return { clientId: c.id, name: c.name, pointsAwarded: awarded ? a.points : 0 }
  },
}
