import { z } from 'zod'
import { Id, IsoTime, type ContractTable } from './common'
import { QuestionAnswer } from './followups'
import { QuestionSet } from './questionnaires'
import { SURVEY_CHANNELS } from '../domain/surveys'

export const SurveyChannel = z.enum(SURVEY_CHANNELS)

/** One survey filled in for a client. */
export const SurveyResponse = z.object({
  id: Id,
  setId: Id,
  setName: z.string(),
  clientId: Id,
  staff: z.object({ id: Id, name: z.string() }),
  channel: SurveyChannel,
  answers: z.array(z.object({ key: z.string(), value: z.union([z.string(), z.number(), z.boolean()]) })),
  createdAt: IsoTime,
})

const QuestionSummary = z.object({
  key: z.string(),
  text: z.string(),
  type: z.enum(['text', 'number', 'choice', 'boolean', 'score']),
  answered: z.number().int(),
  average: z.number().nullable(),
  distribution: z.array(z.object({ value: z.string(), count: z.number().int() })),
})

export const surveysContract = {
  'surveys.templates': {
    input: z.strictObject({}),
    output: z.object({ templates: z.array(QuestionSet) }),
    write: false,
    summary: 'The survey templates (satisfaction, needs, post-viewing, post-sale); managers edit them with questionnaires.save.',
  },
  'surveys.answer': {
    input: z.strictObject({ setId: Id, clientId: Id, channel: SurveyChannel, answers: z.array(QuestionAnswer).max(50) }),
    output: SurveyResponse,
    write: true,
    summary: 'Record a survey filled in for a client at the counter or on a call; refused naming a required question left out; answers mapped to profile fields fill them.',
  },
  'surveys.responses': {
    input: z.strictObject({ clientId: Id }),
    output: z.object({ rows: z.array(SurveyResponse) }),
    write: false,
    summary: 'The surveys a client has answered, newest first.',
  },
  'surveys.summary': {
    input: z.strictObject({ setId: Id, from: IsoTime, to: IsoTime }),
    output: z.object({ setId: Id, name: z.string(), count: z.number().int(), questions: z.array(QuestionSummary) }),
    write: false,
    summary: 'A template’s responses in a period [from, to): count, mean score per question, answer distribution (managers all; others the ones they took).',
  },
} as const satisfies ContractTable
