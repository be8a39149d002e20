import { EditOutlined, PlusOutlined } from '@ant-design/icons'
import { Alert, Button, Card, Space, Tag, Typography } from 'antd'
import { useCallback, useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { ApiErrorShape } from '@shared/contract/common'
import { useApi } from '../../api/session-context'
import { QuestionnaireEditor } from './questionnaire-editor'
import { choiceLabel, type QuestionSetData } from './questionnaire-answers'
import { workErrorText } from './work-errors'

/** 问卷: the standard follow-up questionnaires; managers create and edit them. */
export function QuestionnairesPanel({ editable }: { editable: boolean }) {
  const { t } = useTranslation()
  const api = useApi()
  const [sets, setSets] = useState<QuestionSetData[] | null>(null)
  const [problem, setProblem] = useState<ApiErrorShape | null>(null)
  const [editing, setEditing] = useState<QuestionSetData | 'new' | null>(null)

  const load = useCallback(async () => {
    const r = await api.try('questionnaires.list', {})
    if (r.ok) setSets(r.value.sets)
    else setProblem(r.error)
  }, [api])

  useEffect(() => {
    void load()
  }, [load])

  return (
    <div className="work-settings-section">
      {!editable && <Alert type="info" showIcon message={t('work.settings.questionnaires.readOnly')} />}
      {problem && <Alert type="error" showIcon message={workErrorText(t, problem)} />}
      {editable && (
        <div>
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')}>
            {t('work.settings.questionnaires.add')}
          </Button>
        </div>
      )}
      <div className="work-rules-grid">
        {sets?.map((s) => (
          <Card
            key={s.id}
            size="small"
            title={
              <Space>
                <span className="work-question-set-name">{s.name}</span>
                {s.active ? <Tag color="green">{t('work.settings.questionnaires.active')}</Tag> : <Tag>{t('work.settings.questionnaires.inactive')}</Tag>}
                {s.surveyKind && <Tag color="purple">{t('work.settings.questionnaires.surveyUse', { kind: t(`surveys.kinds.${s.surveyKind}`) })}</Tag>}
                <Typography.Text type="secondary">{t('work.settings.questionnaires.questions', { count: s.questions.length })}</Typography.Text>
              </Space>
            }
            extra={
              editable && (
                <Button size="small" icon={<EditOutlined />} onClick={() => setEditing(s)}>
                  {t('work.common.edit')}
                </Button>
              )
            }
          >
            <ol className="work-question-preview">
              {s.questions.map((q) => (
                <li key={q.key}>
                  <span>{q.text}</span>
                  {q.required && <span aria-label={t('work.settings.questionnaires.required')}> *</span>}{' '}
                  <Tag>{t(`work.settings.questionnaires.types.${q.type}`)}</Tag>
                  {q.field && <Tag color="blue">→ {t(`work.settings.questionnaires.fields.${q.field}`)}</Tag>}
                  {q.type === 'choice' && <Typography.Text type="secondary">{(q.options ?? []).map((o) => choiceLabel(t, q, o)).join(' / ')}</Typography.Text>}
                </li>
              ))}
            </ol>
          </Card>
        ))}
      </div>
      {editing && <QuestionnaireEditor set={editing === 'new' ? null : editing} onClose={() => setEditing(null)} onSaved={() => void load()} />}
    </div>
  )
}
