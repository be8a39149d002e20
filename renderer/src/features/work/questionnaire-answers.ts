import type { TFunction } from 'i18next'
import type { z } from 'zod'
import type { QuestionSet } from '@shared/contract/questionnaires'
import { DemandType, Horizon, WealthTier } from '@shared/domain/client-enums'

export type QuestionSetData = z.infer<typeof QuestionSet>
type Question = QuestionSetData['questions'][number]

/** The answers as the form holds them, by question key. */
export type AnswerValues = Record<string, string | number | boolean | null | undefined>

/**
 * The label of one choice of a question (e.g. near -> 近期): choices that fill an enum field of
 * the profile are stored as codes and shown in the UI language; other choices are the words the
 * manager wrote.
 */
export function choiceLabel(t: TFunction, q: Question, option: string): string {
  switch (q.field) {
    case 'purchaseHorizon': {
      const v = Horizon.safeParse(option)
      return v.success ? t(`clients.enums.horizon.${v.data}`) : option
    }
    case 'demandType': {
      const v = DemandType.safeParse(option)
      return v.success ? t(`clients.enums.demandType.${v.data}`) : option
    }
    case 'wealthTier': {
      const v = WealthTier.safeParse(option)
      return v.success ? t(`clients.enums.wealthTier.${v.data}`) : option
    }
    default:
      return option
  }
}

/** The answered questions, as followups.create takes them. */
export function toAnswers(set: QuestionSetData, values: AnswerValues): Array<{ key: string; value: string | number | boolean }> {
  return set.questions.flatMap((q) => {
    const v = values[q.key]
    if (v === undefined || v === null || (typeof v === 'string' && v.trim() === '')) return []
    return [{ key: q.key, value: typeof v === 'string' ? v.trim() : v }]
  })
}
