import type { Updateable } from 'kysely'
import type { z } from 'zod'
import { Question, type QuestionAnswer } from '@shared/contract/followups'
import { clientAccess, mayEditClient } from '@shared/domain/client-access'
import { DemandType, Horizon, WealthTier } from '@shared/domain/client-enums'
import { ApiFailure } from '../../api/api-failure'
import type { DomainHandlers } from '../../api/handler'
import { requireSession } from '../../api/require-session'
import type { ClientsTable } from '../../db/schema'
import { evaluateClient } from '../../scheduler/evaluate-client'
import { refreshDerived } from '../clients/client-derived'
import { viewerOf } from '../clients/client-shape'
import { mustFindClient, snapshot } from '../clients/clients.service'

type Q = z.infer<typeof Question>

/** Turns questionnaire answers into profile columns; a wrong answer is a VALIDATION on its field. */
function answersToColumns(questions: readonly Q[], answers: ReadonlyArray<z.infer<typeof QuestionAnswer>>): Updateable<ClientsTable> {
  const cols: Updateable<ClientsTable> = {}
  answers.forEach((a, i) => {
    const field = `questionnaire.answers.${i}.value`
    const q = questions.find((x) => x.key === a.key)
    if (!q) throw new ApiFailure('VALIDATION', `no question ${a.key}`, `questionnaire.answers.${i}.key`, 'unknown_question')
    const bad = () => new ApiFailure('VALIDATION', `${q.text}: invalid answer`, field, 'invalid_answer')
    const valid = <T>(r: { success: boolean; data?: T }): T => {
      if (!r.success || r.data === undefined) throw bad()
      return r.data
    }
    if (q.type === 'choice' && q.options && !q.options.includes(String(a.value))) throw bad()
    switch (q.field) {
      case 'householdSize':
        if (typeof a.value !== 'number' || !Number.isInteger(a.value) || a.value < 1 || a.value > 30) throw bad()
        cols.household_size = a.value
        break
      case 'purchaseHorizon':
        cols.purchase_horizon = valid(Horizon.safeParse(a.value))
        break
      case 'demandType':
        cols.demand_type = valid(DemandType.safeParse(a.value))
        break
      case 'wealthTier':
        cols.wealth_tier = valid(WealthTier.safeParse(a.value))
        break
      case 'entrustedOther':
        if (typeof a.value !== 'boolean') throw bad()
        cols.entrusted_other = a.value ? 1 : 0
        break
      case 'region':
      case 'community':
      case 'industry':
      case 'employer':
        if (typeof a.value !== 'string' || a.value.trim() === '' || a.value.length > 40) throw bad()
        cols[q.field] = a.value.trim()
        break
      default:
        break
    }
  })
  return cols
}

function toFollowUp(r: { id: number; client_id: number; staff_id: number; staff_name: string | null; channel: string; content: string; intention: string | null; stage_to: string | null; next_action: string | null; next_due_at: string | null; created_at: string }) {
  return {
    id: r.id,
    clientId: r.client_id,
    staffId: r.staff_id,
    staffName: r.staff_name ?? '',
    channel: r.channel as 'phone',
    content: r.content,
    intention: r.intention as 'warm' | null,
    stageTo: r.stage_to as 'intent' | null,
    nextAction: r.next_action,
    nextDueAt: r.next_due_at,
    createdAt: r.created_at,
  }
}

export const followupsHandlers: DomainHandlers<'followups.create' | 'followups.list' | 'questionnaires.list' | 'questionnaires.save'> = {
  'followups.create': async (input, ctx) => {
    const s = requireSession(ctx)
    const c = await mustFindClient(ctx.db, input.clientId, 'clientId')
    const own = { ownerId: c.owner_id, ownerTeam: c.owner_team }
    // colleagues with full access may add notes to the shared log; contacts are the editors' job
    const allowed = input.channel === 'note' ? clientAccess(viewerOf(s), own) === 'full' : mayEditClient(viewerOf(s), own)
    if (!allowed) throw new ApiFailure('FORBIDDEN', 'you may not follow up this client', 'clientId')
    if (c.stage === 'lost') throw new ApiFailure('CONFLICT', 'this client is marked lost; revive them first', 'clientId', 'client_lost')
    const now = ctx.clock.now().toISOString()
    if (input.nextDueAt !== undefined && input.nextDueAt <= now) {
      throw new ApiFailure('VALIDATION', 'the next action must be due in the future', 'nextDueAt', 'in_past')
    }
    let cols: Updateable<ClientsTable> = {}
    if (input.questionnaire) {
      const set = await ctx.db.selectFrom('question_sets').selectAll().where('id', '=', input.questionnaire.setId).executeTakeFirst()
      if (!set || set.active !== 1) throw new ApiFailure('NOT_FOUND', 'no such questionnaire', 'questionnaire.setId')
      cols = answersToColumns(JSON.parse(set.questions) as Q[], input.questionnaire.answers)
    }
    const row = await ctx.db
      .insertInto('follow_ups')
      .values({
        client_id: c.id,
        staff_id: s.staffId,
        channel: input.channel,
        content: input.content,
        intention: input.intention ?? null,
        stage_to: input.stageTo ?? null,
        next_action: input.nextAction ?? null,
        next_due_at: input.nextDueAt ?? null,
        answers: input.questionnaire ? JSON.stringify(input.questionnaire) : null,
        created_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    if (input.channel !== 'note') {
      cols.last_follow_up_at = now
      cols.last_activity_at = now
    }
    if (input.intention) {
      cols.intention = input.intention
      if (input.intention === 'agreed' && c.intention !== 'agreed') cols.agreed_at = now
    }
    if (input.stageTo && input.stageTo !== c.stage) {
      cols.stage = input.stageTo
      cols.stage_changed_at = now
    }
    await ctx.db
      .updateTable('clients')
      .set({ ...cols, updated_at: now, version: c.version + 1 })
      .where('id', '=', c.id)
      .execute()
    if (input.nextAction && input.nextDueAt) {
      await ctx.db
        .insertInto('tasks')
        .values({ staff_id: s.staffId, client_id: c.id, rule: 'next', title: input.nextAction, detail: c.name, due_at: input.nextDueAt, event_key: `next:${row.id}`, created_at: now })
        .execute()
    }
    ctx.auditTarget(`client:${c.id}`)
    await refreshDerived(ctx.db, c.id)
    await snapshot(ctx, c.id)
    await evaluateClient(ctx, c.id)
    const saved = await ctx.db
      .selectFrom('follow_ups as f')
      .leftJoin('staff as s', 's.id', 'f.staff_id')
      .selectAll('f')
      .select('s.name as staff_name')
      .where('f.id', '=', row.id)
      .executeTakeFirstOrThrow()
    return toFollowUp(saved)
  },

  'followups.list': async ({ clientId, offset, limit }, ctx) => {
    const s = requireSession(ctx)
    const c = await mustFindClient(ctx.db, clientId, 'clientId')
    if (clientAccess(viewerOf(s), { ownerId: c.owner_id, ownerTeam: c.owner_team }) !== 'full') {
      throw new ApiFailure('FORBIDDEN', 'you may not read this client’s log', 'clientId')
    }
    const base = ctx.db.selectFrom('follow_ups as f').where('f.client_id', '=', clientId)
    const [rows, total] = await Promise.all([
      base.leftJoin('staff as s', 's.id', 'f.staff_id').selectAll('f').select('s.name as staff_name').orderBy('f.created_at', 'desc').orderBy('f.id', 'desc').offset(offset).limit(limit).execute(),
      base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ])
    return { rows: rows.map(toFollowUp), total: total.n }
  },

  'questionnaires.list': async (_input, ctx) => {
    const rows = await ctx.db.selectFrom('question_sets').selectAll().orderBy('id').execute()
    return { sets: rows.map((r) => ({ id: r.id, name: r.name, questions: JSON.parse(r.questions) as Q[], active: r.active === 1 })) }
  },

  'questionnaires.save': async ({ id, name, questions, active }, ctx) => {
    const keys = new Set<string>()
    questions.forEach((q, i) => {
      if (keys.has(q.key)) throw new ApiFailure('VALIDATION', `question key ${q.key} repeated`, `questions.${i}.key`, 'repeated')
      keys.add(q.key)
      if (q.type === 'choice' && !q.options?.length) throw new ApiFailure('VALIDATION', 'a choice needs options', `questions.${i}.options`, 'too_small')
    })
    const values = { name, questions: JSON.stringify(questions), active: active ? 1 : 0 }
    const row =
      id === undefined
        ? await ctx.db.insertInto('question_sets').values({ ...values, created_at: ctx.clock.now().toISOString() }).returningAll().executeTakeFirstOrThrow()
        : await ctx.db.updateTable('question_sets').set(values).where('id', '=', id).returningAll().executeTakeFirst()
    if (!row) throw new ApiFailure('NOT_FOUND', 'no such questionnaire', 'id')
    ctx.auditTarget(`question_set:${row.id}`)
    return { id: row.id, name: row.name, questions: JSON.parse(row.questions) as Q[], active: row.active === 1 }
  },
}
