import { clientAccess, type ClientOwnership, type Viewer } from './client-access'

/** The kinds of survey template (issue #20): after a deal, after a viewing, the needs, satisfaction. */
export const SURVEY_KINDS = ['satisfaction', 'needs', 'post_viewing', 'post_sale'] as const
export type SurveyKind = (typeof SURVEY_KINDS)[number]

/** Where staff fill a survey in: with the client at the counter, or on a phone call. */
export const SURVEY_CHANNELS = ['counter', 'phone'] as const

/** The highest score of a `score` question (scores run 1..MAX_SCORE). */
export const MAX_SCORE = 5

/** A question as the survey rules read it (the questionnaire model, shared/contract/questionnaires.ts). */
export interface SurveyQuestion {
  key: string
  text: string
  type: 'text' | 'number' | 'choice' | 'boolean' | 'score'
  options?: readonly string[] | undefined
  required?: boolean | undefined
}

export type AnswerValue = string | number | boolean

/** What is wrong with a set of answers: the question it names, and why. */
export interface AnswerProblem {
  key: string
  text: string
  /** the answer's place in the input (-1: a required question left unanswered) */
  index: number
  reason: 'unknown_question' | 'invalid_answer' | 'required_answer' | 'repeated'
}

/**
 * Who may fill a survey in for a client: the front desk for whoever walks in or calls, everyone
 * else for the clients they see in full. Admins keep the system, not the book.
 */
export function mayAnswerSurvey(viewer: Viewer, client: ClientOwnership): boolean {
  if (viewer.role === 'admin') return false
  return viewer.role === 'front_desk' || clientAccess(viewer, client) === 'full'
}

function fits(q: SurveyQuestion, v: AnswerValue): boolean {
  switch (q.type) {
    case 'text':
      return typeof v === 'string' && v.trim() !== ''
    case 'number':
      return typeof v === 'number' && Number.isFinite(v)
    case 'score':
      return typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= MAX_SCORE
    case 'boolean':
      return typeof v === 'boolean'
    case 'choice':
      return typeof v === 'string' && (q.options ?? []).includes(v)
  }
}

/**
 * Checks a survey's answers against its questions: the first problem (an unknown or repeated
 * question, an answer of the wrong kind, a required question left out), or null when all is well.
 */
export function checkSurveyAnswers(questions: readonly SurveyQuestion[], answers: ReadonlyArray<{ key: string; value: AnswerValue }>): AnswerProblem | null {
  const seen = new Set<string>()
  for (const [index, a] of answers.entries()) {
    const q = questions.find((x) => x.key === a.key)
    if (!q) return { key: a.key, text: a.key, index, reason: 'unknown_question' }
    if (seen.has(a.key)) return { key: a.key, text: q.text, index, reason: 'repeated' }
    seen.add(a.key)
    if (!fits(q, a.value)) return { key: q.key, text: q.text, index, reason: 'invalid_answer' }
  }
  const missing = questions.find((q) => q.required === true && !seen.has(q.key))
  return missing ? { key: missing.key, text: missing.text, index: -1, reason: 'required_answer' } : null
}

/** One question of a summary: how many answered, the mean of numbers and scores, the count of each answer given. */
export interface QuestionSummary {
  key: string
  text: string
  type: SurveyQuestion['type']
  answered: number
  /** mean of the answers of a number or score question, rounded to 2 places; null for others or none answered */
  average: number | null
  /** for choice, boolean and score questions: each possible answer (in the template's order) and its count */
  distribution: Array<{ value: string; count: number }>
}

/** The possible answers of a question with a fixed set of them, as the summary counts them. */
function possibleAnswers(q: SurveyQuestion): string[] {
  if (q.type === 'choice') return [...(q.options ?? [])]
  if (q.type === 'boolean') return ['true', 'false']
  if (q.type === 'score') return Array.from({ length: MAX_SCORE }, (_, i) => String(i + 1))
  return []
}

/**
 * Summarises the responses to one template: per question of the template as it stands, the count
 * answered, the mean (numbers and scores), the distribution (choices, yes/no, scores). Answers to
 * questions the manager has since removed, or that no longer fit (an option renamed), are skipped.
 */
export function summarizeSurvey(questions: readonly SurveyQuestion[], responses: ReadonlyArray<ReadonlyArray<{ key: string; value: AnswerValue }>>): QuestionSummary[] {
  return questions.map((q) => {
    const values = responses.flatMap((r) => r.filter((a) => a.key === q.key && fits(q, a.value)).map((a) => a.value))
    const numbers = values.filter((v): v is number => typeof v === 'number')
    const average = (q.type === 'number' || q.type === 'score') && numbers.length > 0 ? Math.round((numbers.reduce((s, n) => s + n, 0) / numbers.length) * 100) / 100 : null
    const distribution = possibleAnswers(q).map((value) => ({ value, count: values.filter((v) => String(v) === value).length }))
    return { key: q.key, text: q.text, type: q.type, answered: values.length, average, distribution }
  })
}
