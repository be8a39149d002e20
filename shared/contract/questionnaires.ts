import { z } from 'zod'
import { Id, type ContractTable } from './common'
import { textField } from '../domain/text-kinds'
import { SURVEY_KINDS } from '../domain/surveys'

export const Question = z.strictObject({
  key: textField('code', 40, 1),
  text: textField('line', 200, 1),
  /** the profile field an answer fills. */
  field: z.enum(['householdSize', 'purchaseHorizon', 'demandType', 'region', 'wealthTier', 'entrustedOther', 'community', 'industry', 'employer']).nullable().optional(),
  /** score: 1 to 5 (surveys' satisfaction questions) */
  type: z.enum(['text', 'number', 'choice', 'boolean', 'score']),
  options: z.array(textField('line', 40)).max(20).optional(),
  /** a survey is refused without an answer to it (follow-ups leave every answer optional) */
  required: z.boolean().optional(),
})

/** A question as stored and shown: plain strings (older sets predate the text kinds). */
const QuestionStored = z.object({ ...Question.shape, key: z.string(), text: z.string(), options: z.array(z.string()).optional() })

/** A survey template's kind; null for a follow-up questionnaire. */
export const SurveyKind = z.enum(SURVEY_KINDS)

export const QuestionSet = z.object({ id: Id, name: z.string(), questions: z.array(QuestionStored), active: z.boolean(), surveyKind: SurveyKind.nullable() })

export const questionnairesContract = {
  'questionnaires.list': {
    input: z.strictObject({}),
    output: z.object({ sets: z.array(QuestionSet) }),
    write: false,
    summary: 'The standard follow-up questionnaires.',
  },
  'questionnaires.save': {
    input: z.strictObject({ id: Id.optional(), name: textField('line', 40, 1), questions: z.array(Question).min(1).max(30), active: z.boolean().default(true), surveyKind: SurveyKind.nullable().default(null) }),
    output: QuestionSet,
    write: true,
    summary: 'Create or edit a questionnaire or a survey template (managers).',
  },
} as const satisfies ContractTable
