import type { Kysely } from 'kysely'
import { hostTextOf } from '@shared/domain/host-text-keys'
import { ApiFailure } from '../../api/api-failure'
import type { HandlersOf } from '../../api/handler'
import { requireSession } from '../../api/require-session'
import type { DB } from '../../db/schema'
import { storedText } from '../../db/stored-text'
import { mustServe } from '../clients/client-guards'
import { mustFindClient } from '../clients/client-lookup'
import { levelTableProblem, levelUnder, sortLevels, type LevelRule, type RuledLevel } from '@shared/domain/club'
import { award, clubLevels, findLedgerEntry, isReversed, ledgerPage, levelRule, memberMeasures, replaceLevels, saveLevelRule, standingOf } from './club.repository'

/** A proposed level table checked under its rule; a refusal names the level and field at fault. */
function mustBeLevelTable(rule: LevelRule, levels: readonly RuledLevel[]): void {
  const p = levelTableProblem(rule, levels)
  if (p) {
    const message = { level_start: 'the first level needs nothing', level_overlap: 'two levels need the same', level_order: 'a higher level needs fewer deals', level_discount: 'a higher level cannot have a smaller discount' }[p.reason]
    throw new ApiFailure('VALIDATION', message, `levels.${p.index}.${p.field}`, p.reason)
  }
  if (new Set(levels.map((l) => l.name)).size !== levels.length) throw new ApiFailure('VALIDATION', 'level names repeat', 'levels', 'repeated')
}

/** The members whose level would change from the table and rule in force to these, with what moved them. */
async function levelMoves(db: Kysely<DB>, rule: LevelRule, levels: readonly RuledLevel[]) {
  const [current, currentRule, members] = await Promise.all([clubLevels(db), levelRule(db), memberMeasures(db)])
  const moves = members.flatMap((m) => {
    const from = levelUnder(currentRule, m.measure, current)
    const to = levelUnder(rule, m.measure, levels)
    if ((from?.name ?? '') === (to?.name ?? '')) return []
    const [a, b] = [from?.discountPermille ?? 0, to?.discountPermille ?? 0]
    return [{ clientId: m.id, code: m.code, name: m.name, from: from?.name ?? '', to: to?.name ?? '', direction: b > a ? ('up' as const) : b < a ? ('down' as const) : ('same' as const), ...m.measure }]
  })
  return { moves, members: members.length }
}

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
    return { levels: await clubLevels(ctx.db), rule: await levelRule(ctx.db) }
  },

  'club.previewLevels': async ({ levels, rule: proposed, offset, limit }, ctx) => {
    const rule = proposed ?? (await levelRule(ctx.db))
    mustBeLevelTable(rule, levels)
    const { moves, members } = await levelMoves(ctx.db, rule, levels)
    return { rows: moves.slice(offset, offset + limit), total: moves.length, members }
  },

  'club.setLevels': async ({ levels, rule: proposed }, ctx) => {
    const rule = proposed ?? (await levelRule(ctx.db))
    mustBeLevelTable(rule, levels)
    const sorted = sortLevels(rule, levels)
    // the log keeps how many members the change moved, as the preview showed them
    const { moves, members } = await levelMoves(ctx.db, rule, levels)
    await ctx.audit('club.levelsMoved', 'club:levels', { rule, moved: moves.length, up: moves.filter((m) => m.direction === 'up').length, members })
    await replaceLevels(ctx.db, sorted)
    if (proposed) await saveLevelRule(ctx.db, proposed, ctx.clock.now().toISOString())
    ctx.auditTarget('club:levels')
    return { levels: sorted.map(({ name, minPoints, discountPermille, minAmountFen, minDeals }) => ({ name, minPoints, discountPermille, minAmountFen, minDeals })), rule }
  },
}
