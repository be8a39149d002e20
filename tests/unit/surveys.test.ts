import { describe, expect, it } from 'vitest'
import { checkSurveyAnswers, summarizeSurvey, type SurveyQuestion } from '@shared/domain/surveys'

const questions: SurveyQuestion[] = [
  { key: 'overall', text: '总体满意吗？', type: 'score', required: true },
  { key: 'next', text: '下一步', type: 'choice', options: ['再看', '不合适'] },
  { key: 'recommend', text: '愿意推荐吗？', type: 'boolean' },
  { key: 'budget', text: '预算（万）', type: 'number' },
  { key: 'advice', text: '建议', type: 'text' },
]

describe('survey answers', () => {
  it('pass when every required question is answered in kind', () => {
    expect(checkSurveyAnswers(questions, [{ key: 'overall', value: 4 }, { key: 'next', value: '再看' }])).toBeNull()
  })
  it('are refused naming the required question left out', () => {
    expect(checkSurveyAnswers(questions, [{ key: 'next', value: '再看' }])).toEqual({ key: 'overall', text: '总体满意吗？', index: -1, reason: 'required_answer' })
  })
  it('are refused when out of kind, unknown or repeated', () => {
    expect(checkSurveyAnswers(questions, [{ key: 'overall', value: 6 }])).toMatchObject({ key: 'overall', index: 0, reason: 'invalid_answer' })
    expect(checkSurveyAnswers(questions, [{ key: 'overall', value: 2.5 }])).toMatchObject({ reason: 'invalid_answer' })
    expect(checkSurveyAnswers(questions, [{ key: 'overall', value: 3 }, { key: 'next', value: '买了' }])).toMatchObject({ key: 'next', index: 1, reason: 'invalid_answer' })
    expect(checkSurveyAnswers(questions, [{ key: 'overall', value: 3 }, { key: 'advice', value: '  ' }])).toMatchObject({ key: 'advice', reason: 'invalid_answer' })
    expect(checkSurveyAnswers(questions, [{ key: 'nope', value: 1 }])).toMatchObject({ key: 'nope', reason: 'unknown_question' })
    expect(checkSurveyAnswers(questions, [{ key: 'overall', value: 3 }, { key: 'overall', value: 4 }])).toMatchObject({ index: 1, reason: 'repeated' })
  })
})

describe('a survey summary', () => {
  const responses = [
    [{ key: 'overall', value: 5 }, { key: 'next', value: '再看' }, { key: 'recommend', value: true }, { key: 'budget', value: 300 }],
    [{ key: 'overall', value: 4 }, { key: 'next', value: '再看' }, { key: 'recommend', value: false }, { key: 'advice', value: '更快回电' }],
    [{ key: 'overall', value: 2 }, { key: 'next', value: '不合适' }, { key: 'budget', value: 250 }],
    // an option since renamed and a question since removed are not counted
    [{ key: 'overall', value: 3 }, { key: 'next', value: '考虑中' }, { key: 'gone', value: 1 }],
  ]
  const byKey = Object.fromEntries(summarizeSurvey(questions, responses).map((q) => [q.key, q]))

  it('averages scores and numbers to 2 places', () => {
    expect(byKey.overall).toMatchObject({ answered: 4, average: 3.5 })
    expect(byKey.budget).toMatchObject({ answered: 2, average: 275, distribution: [] })
    expect(summarizeSurvey([{ key: 'x', text: 'x', type: 'score' }], [[{ key: 'x', value: 1 }], [{ key: 'x', value: 2 }], [{ key: 'x', value: 2 }]])[0]!.average).toBe(1.67)
  })
  it('counts each possible answer, zeros included, in the template order', () => {
    expect(byKey.overall!.distribution).toEqual([
      { value: '1', count: 0 },
      { value: '2', count: 1 },
      { value: '3', count: 1 },
      { value: '4', count: 1 },
      { value: '5', count: 1 },
    ])
    expect(byKey.next).toMatchObject({ answered: 3, average: null, distribution: [{ value: '再看', count: 2 }, { value: '不合适', count: 1 }] })
    expect(byKey.recommend!.distribution).toEqual([{ value: 'true', count: 1 }, { value: 'false', count: 1 }])
    expect(byKey.advice).toMatchObject({ answered: 1, average: null, distribution: [] })
  })
  it('of no responses has nothing answered and no average', () => {
    expect(summarizeSurvey(questions, [])[0]).toMatchObject({ answered: 0, average: null })
  })
})
