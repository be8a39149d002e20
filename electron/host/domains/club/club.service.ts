import { hostTextOf } from '@shared/domain/host-text-keys'
import { ApiFailure } from '../../api/api-failure'
import type { HandlersOf } from '../../api/handler'
import { requireSession } from '../../api/require-session'
import { storedText } from '../../db/stored-text'
import { mustServe } from '../clients/client-guards'
import { mustFindClient } from '../clients/client-lookup'
import { award, clubLevels, findLedgerEntry, isReversed, ledgerPage, replaceLevels, standingOf } from './club.repository'

/** The member club: points (an append-only ledger), levels and their discounts. */
export const clubHandlers: HandlersOf<'club'> = {
  'club.standing': async ({ clientId }, ctx) => {
    mustServe(requireSession(ctx), await mustFindClient(ctx.db, clientId, 'clientId'), 'clientId')
    return standingOf(ctx.db, clientId)
  },

  'club.ledger': async ({ clientId, offset, limit }, ctx) => {
    mustServe(requireSession(ctx), await mustFindClient(ctx.db, clientId, 'clientId'), 'clientId')
    const { rows, total } = await ledgerPage(ctx.db, clientId, offset, limit)
    return {
      total,
      rows: rows.map((r) => ({ id: r.id, delta: r.delta, kind: r.kind as 'manual', reason: storedText(r.reason), reverses: r.reverses, reversed: Boolean(r.reversed), staffName: r.staff_name, at: r.at })),
    }
  },

  'club.adjust': async ({ clientId, delta, reason }, ctx) => {
    const s = requireSession(ctx)
    await mustFindClient(ctx.db, clientId, 'clientId')
    const before = await standingOf(ctx.db, clientId)
    if (before.points + delta < 0) {
      throw new ApiFailure('VALIDATION', `the balance is ${before.points}; it may not go below zero`, 'delta', 'points_negative', { balance: before.points })
    }
    await award(ctx.db, { clientId, delta, kind: 'manual', reason: hostTextOf('points.typed', { reason }), ref: null, staffId: s.staffId, at: ctx.clock.now().toISOString() })
    ctx.auditTarget(`client:${clientId}`)
    return standingOf(ctx.db, clientId)
  },

  'club.reverse': async ({ entryId, reason }, ctx) => {
    const s = requireSession(ctx)
    const e = await findLedgerEntry(ctx.db, entryId)
    if (!e) throw new ApiFailure('NOT_FOUND', `no ledger entry ${entryId}`, 'entryId')
    if (e.kind === 'reversal') throw new ApiFailure('CONFLICT', 'a reversal is not reversed; adjust instead', 'entryId', 'is_reversal')
    if (await isReversed(ctx.db, entryId)) throw new ApiFailure('CONFLICT', 'this entry was already reversed', 'entryId', 'already_reversed')
    const before = await standingOf(ctx.db, e.client_id)
    if (before.points - e.delta < 0) {
      throw new ApiFailure('VALIDATION', `reversing would leave ${before.points - e.delta} points`, 'entryId', 'points_negative', { balance: before.points })
    }
    await award(ctx.db, { clientId: e.client_id, delta: -e.delta, kind: 'reversal', reason: hostTextOf('points.typed', { reason }), ref: null, staffId: s.staffId, at: ctx.clock.now().toISOString(), reverses: entryId })
    ctx.auditTarget(`client:${e.client_id}`)
    return standingOf(ctx.db, e.client_id)
  },

  'club.levels': async (_input, ctx) => {
    return { levels: await clubLevels(ctx.db) }
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
    await replaceLevels(ctx.db, sorted)
    ctx.auditTarget('club:levels')
    return { levels: sorted.map(({ name, minPoints, discountPermille }) => ({ name, minPoints, discountPermille })) }
  },
}
