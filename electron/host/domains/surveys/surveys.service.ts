import type { z } from 'zod'
import type { Question } from '@shared/contract/questionnaires'
import type { SurveyResponse } from '@shared/contract/surveys'
import { clientAccess } from '@shared/domain/client-access'
import { checkSurveyAnswers, mayAnswerSurvey, summarizeSurvey, type AnswerValue } from '@shared/domain/surveys'
import { ApiFailure } from '../../api/api-failure'
import type { HandlerContext, HandlersOf } from '../../api/handler'
import { requireSession } from '../../api/require-session'
import { refreshDerived } from '../clients/client-derived'
import { snapshot } from '../clients/client-history'
import { mustFindClient } from '../clients/client-lookup'
import { ownershipOf, viewerOf } from '../clients/client-shape'
import { updateClient } from '../clients/clients.repository'
import { answersToColumns } from '../followups/followups.service'
import { evaluateClient } from '../followups/rules/evaluate'
import { insertFollowUp } from '../followups/followups.repository'
import { findQuestionSet } from '../questionnaires/questionnaires.repository'
import { toQuestionSet } from '../questionnaires/questionnaires.service'
import { clientResponses, findResponse, insertResponse, responseAnswers, surveyTemplates, type ResponseRow } from './surveys.repository'

type Q = z.infer<typeof Question>
type Answers = Array<{ key: string; value: AnswerValue }>

function toResponse(r: ResponseRow): z.infer<typeof SurveyResponse> {
  return {
    id: r.id,
    setId: r.set_id,
    setName: r.set_name,
    clientId: r.client_id,
    staff: { id: r.staff_id, name: r.staff_name ?? '' },
    channel: r.channel as 'counter',
    answers: JSON.parse(r.answers) as Answers,
    createdAt: r.created_at,
  }
}

/** A survey template by id (a plain follow-up questionnaire is not one); NOT_FOUND on setId otherwise. */
async function mustFindTemplate(ctx: HandlerContext, id: number, activeOnly: boolean) {
  const set = await findQuestionSet(ctx.db, id)
  if (!set || set.survey_kind === null || (activeOnly && set.active !== 1)) throw new ApiFailure('NOT_FOUND', 'no such survey', 'setId')
  return set
}

/** Surveys (issue #20): templates on the questionnaire model, answers per client, summaries per template and period. */
export const surveysHandlers: HandlersOf<'surveys'> = {
  'surveys.templates': async (_input, ctx) => ({ templates: (await surveyTemplates(ctx.db)).map(toQuestionSet) }),

  'surveys.answer': async ({ setId, clientId, channel, answers }, ctx) => {
    const s = requireSession(ctx)
    const c = await mustFindClient(ctx.db, clientId, 'clientId')
    if (!mayAnswerSurvey(viewerOf(s), ownershipOf(c))) throw new ApiFailure('FORBIDDEN', 'you may not survey this client', 'clientId')
    const set = await mustFindTemplate(ctx, setId, true)
    const questions = JSON.parse(set.questions) as Q[]
    const problem = checkSurveyAnswers(questions, answers)
    if (problem) {
      const field = problem.index < 0 ? `answers.${problem.key}` : `answers.${problem.index}.value`
      const message = problem.reason === 'required_answer' ? `${problem.text}: an answer is required` : `${problem.text}: invalid answer`
      throw new ApiFailure('VALIDATION', message, field, problem.reason, { question: problem.text })
    }
    // answers mapped to profile fields fill them, checked as a follow-up's questionnaire is
    let cols
    try {
      cols = answersToColumns(questions, answers)
    } catch (e) {
      if (e instanceof ApiFailure && e.field !== undefined) throw new ApiFailure(e.code, e.message, e.field.replace(/^questionnaire\./, ''), e.reason, e.params)
      throw e
    }
    const now = ctx.clock.now().toISOString()
    // the survey is a contact in the client's log: at the counter a visit, on a call a phone contact
    const followUpId = await insertFollowUp(ctx.db, {
      clientId: c.id,
      staffId: s.staffId,
      channel: channel === 'counter' ? 'visit' : 'phone',
      content: set.name,
      answers: JSON.stringify({ setId, answers }),
      at: now,
    })
    await updateClient(ctx.db, c.id, { ...cols, last_follow_up_at: now, last_activity_at: now, updated_at: now })
    const id = await insertResponse(ctx.db, { setId, clientId: c.id, staffId: s.staffId, channel, answers: JSON.stringify(answers), followUpId, at: now })
    ctx.auditTarget(`client:${c.id}`)
    await snapshot(ctx, c.id, await refreshDerived(ctx.db, c.id))
    await evaluateClient(ctx, c.id)
    return toResponse(await findResponse(ctx.db, id))
  },

  'surveys.responses': async ({ clientId }, ctx) => {
    const s = requireSession(ctx)
    const c = await mustFindClient(ctx.db, clientId, 'clientId')
    if (clientAccess(viewerOf(s), ownershipOf(c)) !== 'full') throw new ApiFailure('FORBIDDEN', 'you may not read this client’s surveys', 'clientId')
    return { rows: (await clientResponses(ctx.db, clientId)).map(toResponse) }
  },

  'surveys.summary': async ({ setId, from, to }, ctx) => {
    const s = requireSession(ctx)
    const fromIso = new Date(from).toISOString()
    const toIso = new Date(to).toISOString()
    if (toIso <= fromIso) throw new ApiFailure('VALIDATION', 'the period must end after it starts', 'to', 'range')
    const set = await mustFindTemplate(ctx, setId, false)
    // a manager sums up every response; anyone else the ones they took (their clients' answers, not a colleague's)
    const rows = await responseAnswers(ctx.db, setId, fromIso, toIso, s.role === 'manager' ? null : s.staffId)
    const questions = summarizeSurvey(JSON.parse(set.questions) as Q[], rows.map((a) => JSON.parse(a) as Answers))
    return { setId, name: set.name, count: rows.length, questions }
  },
}
