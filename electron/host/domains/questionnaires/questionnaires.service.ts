import type { z } from 'zod'
import type { Question } from '@shared/contract/questionnaires'
import type { SurveyKind } from '@shared/domain/surveys'
import { ApiFailure } from '../../api/api-failure'
import type { HandlersOf } from '../../api/handler'
import { questionSets, saveQuestionSet, type QuestionSetRecord } from './questionnaires.repository'

type Q = z.infer<typeof Question>

/** A stored questionnaire or survey template as the API shows it. */
export function toQuestionSet(r: QuestionSetRecord) {
  return { id: r.id, name: r.name, questions: JSON.parse(r.questions) as Q[], active: r.active === 1, surveyKind: r.survey_kind as SurveyKind | null }
}

/** The standard follow-up questionnaires (首次需求问卷 …) whose answers fill the profile. */
export const questionnairesHandlers: HandlersOf<'questionnaires'> = {
  'questionnaires.list': async (_input, ctx) => ({ sets: (await questionSets(ctx.db)).map(toQuestionSet) }),

  'questionnaires.save': async ({ id, name, questions, active, surveyKind }, ctx) => {
    const keys = new Set<string>()
    questions.forEach((q, i) => {
      if (keys.has(q.key)) throw new ApiFailure('VALIDATION', `question key ${q.key} repeated`, `questions.${i}.key`, 'repeated')
      keys.add(q.key)
      if (q.type === 'choice' && !q.options?.length) throw new ApiFailure('VALIDATION', 'a choice needs options', `questions.${i}.options`, 'too_small')
    })
    const row = await saveQuestionSet(ctx.db, id, { name, questions: JSON.stringify(questions), active: active ? 1 : 0, survey_kind: surveyKind }, ctx.clock.now().toISOString())
    if (!row) throw new ApiFailure('NOT_FOUND', 'no such questionnaire', 'id')
    ctx.auditTarget(`question_set:${row.id}`)
    return toQuestionSet(row)
  },
}
