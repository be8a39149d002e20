import { Form, Input, InputNumber, Radio, Rate, Select } from 'antd'
import { useTranslation } from 'react-i18next'
import { MAX_SCORE } from '@shared/domain/surveys'
import { choiceLabel, type QuestionSetData } from './questionnaire-answers'

type Question = QuestionSetData['questions'][number]

function AnswerInput({ q }: { q: Question }) {
  const { t } = useTranslation()
  switch (q.type) {
    case 'number':
      return <InputNumber min={0} max={1_000_000} style={{ width: 160 }} />
    case 'choice':
      return <Select allowClear options={(q.options ?? []).map((o) => ({ value: o, label: choiceLabel(t, q, o) }))} />
    case 'boolean':
      return (
        <Radio.Group
          options={[
            { value: true, label: t('work.common.yes') },
            { value: false, label: t('work.common.no') },
          ]}
        />
      )
    case 'score':
      return <Rate count={MAX_SCORE} />
    case 'text':
      return <Input maxLength={200} />
  }
}

/** The questions of a questionnaire as form fields under `answers.<key>`; every answer optional unless `requireMarked` (surveys mark their required ones). */
export function QuestionnaireFields({ set, requireMarked = false }: { set: QuestionSetData; requireMarked?: boolean }) {
  return (
    <div className="work-questionnaire">
      {set.questions.map((q) => (
        <Form.Item key={q.key} name={['answers', q.key]} label={<span className="work-question-set-name">{q.text}</span>} required={requireMarked && q.required === true}>
          <AnswerInput q={q} />
        </Form.Item>
      ))}
    </div>
  )
}
