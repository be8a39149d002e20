import type { Updateable } from 'kysely'
import type { z } from 'zod'
import type { QuestionAnswer } from '@shared/contract/followups'
import { Question } from '@shared/contract/questionnaires'
import { clientAccess, mayLogContact } from '@shared/domain/client-access'
import { hostTextOf } from '@shared/domain/host-text-keys'
import { DemandType, Horizon, WealthTier } from '@shared/domain/client-enums'
import { ApiFailure } from '../../api/api-failure'
import type { ParsedInputOf } from '@shared/contract'
import type { HandlerContext, HandlersOf } from '../../api/handler'
import { requireSession } from '../../api/require-session'
import type { ClientsTable } from '../../db/schema'
import { callProcedure } from '../../db/procedures'
import { textOf } from '../../db/stored-text'
import { appendRulesDone } from './rules/evaluate'
import { mustFindClient } from '../clients/client-lookup'
import { ownershipOf, viewerOf } from '../clients/client-shape'
import { findQuestionSet } from '../questionnaires/questionnaires.repository'
import { followUpWriteProcedure } from './follow-up-procedure'
import { followUpsPage, type FollowUpRow } from './followups.repository'
import { linkableCampaign } from '../campaigns/campaign-link'

type Q = z.infer<typeof Question>

/** Turns questionnaire answers into profile columns; a wrong answer is a VALIDATION on its field (surveys fill the profile with it too). */
export function answersToColumns(questions: readonly Q[], answers: ReadonlyArray<z.infer<typeof QuestionAnswer>>): Updateable<ClientsTable> {
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

function toFollowUp(r: FollowUpRow) {
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
    text: r.text_key === null ? null : textOf(r.text_key, r.text_params ?? '{}'),
    createdAt: r.created_at,
    imported: r.import_id !== null,
  }
}

/**
 * Logs a contact or note: the method followups.create, and the care lists' greetings (a greeting
 * done is a follow-up on its channel, with the same checks).
 */
export async function createFollowUp(input: ParsedInputOf<'followups.create'>, ctx: HandlerContext) {
  const s = requireSession(ctx)
  const c = await mustFindClient(ctx.db, input.clientId, 'clientId')
  const own = ownershipOf(c)
  // colleagues with full access may add notes to the shared log (团队可补充信息); contacts are the
  // editors' and the collaborators' job
  const allowed = input.channel === 'note' ? clientAccess(viewerOf(s), own) === 'full' : mayLogContact(viewerOf(s), own)
  if (!allowed) throw new ApiFailure('FORBIDDEN', 'you may not follow up this client', 'clientId')
  if (c.stage === 'lost') throw new ApiFailure('CONFLICT', 'this client is marked lost; revive them first', 'clientId', 'client_lost')
  const now = ctx.clock.now().toISOString()
  if (input.nextDueAt !== undefined && input.nextDueAt <= now) {
    throw new ApiFailure('VALIDATION', 'the next action must be due in the future', 'nextDueAt', 'in_past')
  }
  if (input.campaignId !== undefined) await linkableCampaign(ctx, input.campaignId)
  let cols: Updateable<ClientsTable> = {}
  if (input.questionnaire) {
    const set = await findQuestionSet(ctx.db, input.questionnaire.setId)
    if (!set || set.active !== 1) throw new ApiFailure('NOT_FOUND', 'no such questionnaire', 'questionnaire.setId')
    cols = answersToColumns(JSON.parse(set.questions) as Q[], input.questionnaire.answers)
  }
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
  ctx.auditTarget(`client:${c.id}`)
  // the writes, the client's derived columns and history, and its rules: one message to the writer's thread
  const written = await callProcedure(ctx.db, followUpWriteProcedure, {
    entry: {
      clientId: c.id,
      staffId: s.staffId,
      channel: input.channel,
      content: input.content,
      intention: input.intention,
      stageTo: input.stageTo,
      nextAction: input.nextAction,
      nextDueAt: input.nextDueAt,
      answers: input.questionnaire ? JSON.stringify(input.questionnaire) : null,
      at: now,
      campaignId: input.campaignId,
    },
    cols: { ...cols, updated_at: now },
    task: input.nextAction && input.nextDueAt ? { staffId: s.staffId, title: hostTextOf('task.next', { action: input.nextAction }), detail: c.name, dueAt: input.nextDueAt } : null,
    by: s.staffId,
    at: ctx.clock.now().toISOString(),
  })
  await appendRulesDone(ctx, written)
  return toFollowUp(written.row)
}

/** The client's log: contacts and notes, the questionnaire answers they carry, the next action they set. */
export const followupsHandlers: HandlersOf<'followups'> = {
  'followups.create': createFollowUp,

  'followups.list': async ({ clientId, offset, limit }, ctx) => {
    const s = requireSession(ctx)
    const c = await mustFindClient(ctx.db, clientId, 'clientId')
    if (clientAccess(viewerOf(s), ownershipOf(c)) !== 'full') {
      throw new ApiFailure('FORBIDDEN', 'you may not read this client’s log', 'clientId')
    }
    const page = await followUpsPage(ctx.db, clientId, offset, limit)
    return { rows: page.rows.map(toFollowUp), total: page.total }
  },
}
