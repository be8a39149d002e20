import { ApiFailure } from '../../api/api-failure'
import type { DomainHandlers, HandlerContext } from '../../api/handler'
import { requireSession } from '../../api/require-session'
import { findCard, uidOfRead } from '../cards/card-read'
import { mustHaveFullAccess, mustServe } from '../clients/client-guards'
import { mustFindClient } from '../clients/clients.service'
import { award, standingOf } from './club.repository'

async function activityRow(ctx: HandlerContext, id: number) {
  const a = await ctx.db
    .selectFrom('activities as a')
    .selectAll('a')
    .select((eb) => [
      eb.selectFrom('activity_signups as s').select((x) => x.fn.countAll<number>().as('n')).whereRef('s.activity_id', '=', 'a.id').as('signed_up'),
      eb.selectFrom('activity_signups as s').select((x) => x.fn.countAll<number>().as('n')).whereRef('s.activity_id', '=', 'a.id').where('s.checked_in_at', 'is not', null).as('checked_in'),
    ])
    .where('a.id', '=', id)
    .executeTakeFirst()
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

export const clubHandlers: DomainHandlers<
  | 'club.standing'
  | 'club.ledger'
  | 'club.adjust'
  | 'club.reverse'
  | 'club.levels'
  | 'club.setLevels'
  | 'activities.create'
  | 'activities.list'
  | 'activities.signUp'
  | 'activities.checkIn'
  | 'referrals.create'
> = {
  'club.standing': async ({ clientId }, ctx) => {
    mustServe(requireSession(ctx), await mustFindClient(ctx.db, clientId, 'clientId'), 'clientId')
    return standingOf(ctx.db, clientId)
  },

  'club.ledger': async ({ clientId, offset, limit }, ctx) => {
    mustServe(requireSession(ctx), await mustFindClient(ctx.db, clientId, 'clientId'), 'clientId')
    const base = ctx.db.selectFrom('points_ledger as l').where('l.client_id', '=', clientId)
    const [rows, total] = await Promise.all([
      base
        .leftJoin('staff as s', 's.id', 'l.staff_id')
        .selectAll('l')
        .select(['s.name as staff_name', (eb) => eb.exists(eb.selectFrom('points_ledger as r').select('r.id').whereRef('r.reverses', '=', 'l.id')).as('reversed')])
        .orderBy('l.id', 'desc')
        .offset(offset)
        .limit(limit)
        .execute(),
      base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ])
    return {
      total: total.n,
      rows: rows.map((r) => ({ id: r.id, delta: r.delta, kind: r.kind as 'manual', reason: r.reason, reverses: r.reverses, reversed: Boolean(r.reversed), staffName: r.staff_name, at: r.at })),
    }
  },

  'club.adjust': async ({ clientId, delta, reason }, ctx) => {
    const s = requireSession(ctx)
    await mustFindClient(ctx.db, clientId, 'clientId')
    const before = await standingOf(ctx.db, clientId)
    if (before.points + delta < 0) {
      throw new ApiFailure('VALIDATION', `the balance is ${before.points}; it may not go below zero`, 'delta', 'points_negative', { balance: before.points })
    }
    await award(ctx.db, { clientId, delta, kind: 'manual', reason, ref: null, staffId: s.staffId, at: ctx.clock.now().toISOString() })
    ctx.auditTarget(`client:${clientId}`)
    return standingOf(ctx.db, clientId)
  },

  'club.reverse': async ({ entryId, reason }, ctx) => {
    const s = requireSession(ctx)
    const e = await ctx.db.selectFrom('points_ledger').selectAll().where('id', '=', entryId).executeTakeFirst()
    if (!e) throw new ApiFailure('NOT_FOUND', `no ledger entry ${entryId}`, 'entryId')
    if (e.kind === 'reversal') throw new ApiFailure('CONFLICT', 'a reversal is not reversed; adjust instead', 'entryId', 'is_reversal')
    const done = await ctx.db.selectFrom('points_ledger').select('id').where('reverses', '=', entryId).executeTakeFirst()
    if (done) throw new ApiFailure('CONFLICT', 'this entry was already reversed', 'entryId', 'already_reversed')
    const before = await standingOf(ctx.db, e.client_id)
    if (before.points - e.delta < 0) {
      throw new ApiFailure('VALIDATION', `reversing would leave ${before.points - e.delta} points`, 'entryId', 'points_negative', { balance: before.points })
    }
    await award(ctx.db, { clientId: e.client_id, delta: -e.delta, kind: 'reversal', reason, ref: null, staffId: s.staffId, at: ctx.clock.now().toISOString(), reverses: entryId })
    ctx.auditTarget(`client:${e.client_id}`)
    return standingOf(ctx.db, e.client_id)
  },

  'club.levels': async (_input, ctx) => {
    const rows = await ctx.db.selectFrom('club_levels').selectAll().orderBy('min_points').execute()
    return { levels: rows.map((l) => ({ name: l.name, minPoints: l.min_points, discountPermille: l.discount_permille })) }
  },

  'club.setLevels': async ({ levels }, ctx) => {
    const sorted = [...levels].map((l, i) => ({ ...l, i })).sort((a, b) => a.minPoints - b.minPoints)
    if (sorted[0]!.minPoints !== 0) throw new ApiFailure('VALIDATION', 'the first level starts at 0 points', `levels.${sorted[0]!.i}.minPoints`, 'level_start')
    for (let k = 1; k < sorted.length; k++) {
      if (sorted[k]!.minPoints === sorted[k - 1]!.minPoints) {
        throw new ApiFailure('VALIDATION', 'two levels start at the same points', `levels.${sorted[k]!.i}.minPoints`, 'level_overlap')
      }
      if (sorted[k]!.discountPermille < sorted[k - 1]!.discountPermille) {
        throw new ApiFailure('VALIDATION', 'a higher level cannot have a smaller discount', `levels.${sorted[k]!.i}.discountPermille`, 'level_discount')
      }
    }
    if (new Set(levels.map((l) => l.name)).size !== levels.length) throw new ApiFailure('VALIDATION', 'level names repeat', 'levels', 'repeated')
    await ctx.db.deleteFrom('club_levels').execute()
    await ctx.db.insertInto('club_levels').values(sorted.map((l) => ({ name: l.name, min_points: l.minPoints, discount_permille: l.discountPermille }))).execute()
    ctx.auditTarget('club:levels')
    return { levels: sorted.map(({ name, minPoints, discountPermille }) => ({ name, minPoints, discountPermille })) }
  },

  'activities.create': async (input, ctx) => {
    const s = requireSession(ctx)
    if (input.endsAt <= input.startsAt) throw new ApiFailure('VALIDATION', 'ends before it starts', 'endsAt', 'range')
    const r = await ctx.db
      .insertInto('activities')
      .values({ name: input.name, starts_at: input.startsAt, ends_at: input.endsAt, place: input.place ?? null, capacity: input.capacity ?? null, points: input.points, created_by: s.staffId, created_at: ctx.clock.now().toISOString() })
      .returning('id')
      .executeTakeFirstOrThrow()
    ctx.auditTarget(`activity:${r.id}`)
    return activityRow(ctx, r.id)
  },

  'activities.list': async ({ from }, ctx) => {
    const rows = await ctx.db.selectFrom('activities').select('id').where('ends_at', '>=', from ?? '').orderBy('starts_at').limit(200).execute()
    const activities = []
    for (const r of rows) activities.push(await activityRow(ctx, r.id))
    return { activities }
  },

  'activities.signUp': async ({ activityId, clientId }, ctx) => {
    const a = await activityRow(ctx, activityId)
    mustServe(requireSession(ctx), await mustFindClient(ctx.db, clientId, 'clientId'), 'clientId')
    if (a.capacity !== null && a.signedUp >= a.capacity) throw new ApiFailure('LIMIT_REACHED', 'the activity is full', 'activityId', 'activity_full', { cap: a.capacity })
    const r = await ctx.db
      .insertInto('activity_signups')
      .values({ activity_id: activityId, client_id: clientId, signed_up_at: ctx.clock.now().toISOString() })
      .onConflict((oc) => oc.columns(['activity_id', 'client_id']).doNothing())
      .executeTakeFirst()
    if (Number(r.numInsertedOrUpdatedRows ?? 0n) === 0) throw new ApiFailure('CONFLICT', 'already signed up', 'clientId', 'already_signed_up')
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
    const signup = await ctx.db.selectFrom('activity_signups').selectAll().where('activity_id', '=', activityId).where('client_id', '=', c.id).executeTakeFirst()
    if (!signup) {
      // walk-ins are welcome while there is room
      if (a.capacity !== null && a.signedUp >= a.capacity) throw new ApiFailure('LIMIT_REACHED', 'the activity is full', 'activityId', 'activity_full', { cap: a.capacity })
      await ctx.db.insertInto('activity_signups').values({ activity_id: activityId, client_id: c.id, signed_up_at: at, checked_in_at: at }).execute()
    } else if (!signup.checked_in_at) {
      await ctx.db.updateTable('activity_signups').set({ checked_in_at: at }).where('activity_id', '=', activityId).where('client_id', '=', c.id).execute()
    }
    const awarded = a.points > 0 && (await award(ctx.db, { clientId: c.id, delta: a.points, kind: 'activity', reason: `参加活动：${a.name}`, ref: `activity:${activityId}:${c.id}`, staffId: s.staffId, at }))
    ctx.auditTarget(`activity:${activityId}`)
    return { clientId: c.id, name: c.name, pointsAwarded: awarded ? a.points : 0 }
  },

  'referrals.create': async ({ referrerId, referredId }, ctx) => {
    const s = requireSession(ctx)
    if (referrerId === referredId) throw new ApiFailure('VALIDATION', 'a client cannot refer themselves', 'referredId', 'same_client')
    await mustFindClient(ctx.db, referrerId, 'referrerId')
    // the referred client's record gains a referrer who earns points on their deal: theirs to say, who see them in full;
    // the referrer (often a colleague's client) is named only, as anyone may
    mustHaveFullAccess(s, await mustFindClient(ctx.db, referredId, 'referredId'), 'referredId')
    const existing = await ctx.db.selectFrom('referrals').select('referrer_id').where('referred_id', '=', referredId).executeTakeFirst()
    if (existing) throw new ApiFailure('CONFLICT', 'this client already has a referrer', 'referredId', 'already_referred')
    await ctx.db.insertInto('referrals').values({ referrer_id: referrerId, referred_id: referredId, created_by: s.staffId, created_at: ctx.clock.now().toISOString() }).execute()
    ctx.auditTarget(`client:${referredId}`)
    return { ok: true as const }
  },
}
