import { Form, Input, InputNumber, Radio, Select } from 'antd'
import { useTranslation } from 'react-i18next'
import type { z } from 'zod'
import type { QuestionSet } from '@shared/contract/questionnaires'
import { LABELS } from '@shared/domain/client-enums'

export type QuestionSetData = z.infer<typeof QuestionSet>
type Question = QuestionSetData['questions'][number]

/** The answers as the form holds them, by question key. */
export type AnswerValues = Record<string, string | number | boolean | null | undefined>

// choices that fill an enum field of the profile are stored as codes and shown in the branch's words
const CHOICE_LABELS: Partial<Record<NonNullable<Question['field']>, Record<string, string>>> = {
  purchaseHorizon: LABELS.horizon,
  demandType: LABELS.demandType,
  wealthTier: LABELS.wealthTier,
}

/** The label of one choice of a question (e.g. near -> 近期). */
export function choiceLabel(q: Question, option: string): string {
  return (q.field ? CHOICE_LABELS[q.field]?.[option] : undefined) ?? option
}

/** The answered questions, as followups.create takes them. */
export function toAnswers(set: QuestionSetData, values: AnswerValues): Array<{ key: string; value: string | number | boolean }> {
  return set.questions.flatMap((q) => {
    const v = values[q.key]
    if (v === undefined || v === null || (typeof v === 'string' && v.trim() === '')) return []
    return [{ key: q.key, value: typeof v === 'string' ? v.trim() : v }]
  })
}

function AnswerInput({ q }: { q: Question }) {
  const { t } = useTranslation()
  switch (q.type) {
    case 'number':
      return <InputNumber min={0} max={1_000_000} style={{ width: 160 }} />
    case 'choice':
      return <Select allowClear options={(q.options ?? []).map((o) => ({ value: o, label: choiceLabel(q, o) }))} />
    case 'boolean':
      return (
        <Radio.Group
          options={[
            { value: true, label: t('work.common.yes') },
            { value: false, label: t('work.common.no') },
          ]}
        />
      )
    case 'text':
      return <Input maxLength={200} />
  }
}

/** The questions of a questionnaire as form fields under `answers.<key>`; every answer optional. */
export function QuestionnaireFields({ set }: { set: QuestionSetData }) {
  return (
    <div className="work-questionnaire">
      {set.questions.map((q) => (
        <Form.Item key={q.key} name={['answers', q.key]} label={q.text}>
          <AnswerInput q={q} />
        </Form.Item>
      ))}
    </div>
  )
}
