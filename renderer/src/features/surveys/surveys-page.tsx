import { Alert, App, Button, DatePicker, Form, Radio, Select, Space, Table, Tabs, Tag, Typography } from 'antd'
import type { ColumnsType } from 'antd/es/table'
import type { Dayjs } from 'dayjs'
import { useCallback, useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { z } from 'zod'
import type { ApiErrorShape } from '@shared/contract/common'
import type { surveysContract } from '@shared/contract/surveys'
import { SURVEY_CHANNELS } from '@shared/domain/surveys'
import { useApi } from '../../api/session-context'
import { branchNowPicker, pickerDayStart } from '../../app/branch-picker'
import { ClientPicker, type PickedClient } from '../front-desk/client-picker'
import { choiceLabel, toAnswers, type AnswerValues, type QuestionSetData } from '../work/questionnaire-answers'
import { QuestionnaireFields } from '../work/questionnaire-fields'
import { WORK_SAVE_TEXTS, workErrorText } from '../work/work-errors'
import { useFormSave } from '../../app/use-form-save'
import './surveys.css'

// the branch's own words (template names, questions, options) stay as written in any UI language
const DATA = 'work-question-set-name'

type Summary = z.infer<(typeof surveysContract)['surveys.summary']['output']>
type Channel = (typeof SURVEY_CHANNELS)[number]
interface FillValues {
  client: PickedClient | null
  channel: Channel
  answers: AnswerValues
}

/** An error naming an answer by its place (answers.2.value) names it by its question's key, as the form does. */
function byQuestionKey(e: ApiErrorShape, keys: readonly string[]): ApiErrorShape {
  const m = /^answers\.(\d+)\.value$/.exec(e.field ?? '')
  const key = m ? keys[Number(m[1])] : undefined
  return key === undefined ? e : { ...e, field: `answers.${key}` }
}

/** 填写调查: one survey for one client, at the counter or on a call. */
function FillSurvey({ set }: { set: QuestionSetData }) {
  const { t } = useTranslation()
  const api = useApi()
  const { message } = App.useApp()
  const [form] = Form.useForm<FillValues>()
  const save = useFormSave(form, {
    save: async (v) => {
      const answers = toAnswers(set, v.answers ?? {})
      const r = await api.try('surveys.answer', { setId: set.id, clientId: v.client!.id, channel: v.channel, answers })
      return r.ok ? r : { ok: false as const, error: byQuestionKey(r.error, answers.map((a) => a.key)) }
    },
    saved: (_answered, v) => {
      void message.success(t('surveys.saved', { name: set.name, client: v.client!.name }))
      // the next client's answers start empty
      form.resetFields(['answers'])
    },
    texts: WORK_SAVE_TEXTS,
  })

  return (
    <Form form={form} layout="vertical" name="survey" initialValues={{ client: null, channel: 'counter' }} onFinish={save.submit} style={{ maxWidth: 640 }}>
      {save.problem}
      <Form.Item name="client" label={t('surveys.client')} rules={[{ required: true, message: t('surveys.clientRequired') }]}>
        <ClientPicker aria-label={t('surveys.client')} />
      </Form.Item>
      <Form.Item name="channel" label={t('surveys.channel')}>
        <Radio.Group optionType="button" options={SURVEY_CHANNELS.map((c) => ({ value: c, label: t(`surveys.channels.${c}`) }))} />
      </Form.Item>
      <QuestionnaireFields set={set} requireMarked />
      <Button type="primary" htmlType="submit" loading={save.saving}>
        {t('surveys.submit')}
      </Button>
    </Form>
  )
}

/** 汇总: a template's responses in a period, question by question. */
function SurveySummary({ set }: { set: QuestionSetData }) {
  const { t } = useTranslation()
  const api = useApi()
  const [range, setRange] = useState<[Dayjs, Dayjs]>(() => {
    const now = branchNowPicker()
    return [now.startOf('month'), now]
  })
  const [data, setData] = useState<Summary | null>(null)
  const [problem, setProblem] = useState<ApiErrorShape | null>(null)

  const load = useCallback(async () => {
    const r = await api.try('surveys.summary', { setId: set.id, from: pickerDayStart(range[0]), to: pickerDayStart(range[1].add(1, 'day')) })
    if (!r.ok) return setProblem(r.error)
    setProblem(null)
    setData(r.value)
  }, [api, set.id, range])

  useEffect(() => {
    void load()
  }, [load])

  const answerLabel = (q: Summary['questions'][number], value: string) => {
    if (q.type === 'boolean') return value === 'true' ? t('surveys.yes') : t('surveys.no')
    const full = set.questions.find((x) => x.key === q.key)
    return q.type === 'choice' && full ? choiceLabel(t, full, value) : value
  }
  const columns: ColumnsType<Summary['questions'][number]> = [
    { title: t('surveys.question'), key: 'text', render: (_, q) => <span className={DATA}>{q.text}</span> },
    { title: t('surveys.answered'), dataIndex: 'answered', key: 'answered', width: 90 },
    { title: t('surveys.average'), key: 'average', width: 90, render: (_, q) => q.average ?? '—' },
    {
      title: t('surveys.distribution'),
      key: 'distribution',
      render: (_, q) => (
        <Space size={4} wrap>
          {q.distribution.map((d) => (
            <Tag key={d.value}>
              <span className={q.type === 'choice' ? DATA : undefined}>{answerLabel(q, d.value)}</span> × {d.count}
            </Tag>
          ))}
        </Space>
      ),
    },
  ]

  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Space wrap>
        <DatePicker.RangePicker aria-label={t('surveys.period')} value={range} allowClear={false} onChange={(r) => r?.[0] && r[1] && setRange([r[0], r[1]])} />
        {data && <Typography.Text strong>{t('surveys.count', { count: data.count })}</Typography.Text>}
      </Space>
      <Typography.Text type="secondary">{t('surveys.scope')}</Typography.Text>
      {problem && <Alert type="error" showIcon message={t('surveys.loadFailed', { text: workErrorText(t, problem) })} />}
      <Table rowKey="key" size="small" pagination={false} columns={columns} dataSource={data?.questions ?? []} locale={{ emptyText: t('surveys.none') }} />
    </Space>
  )
}

/** 问卷调查 (#/surveys): pick a template, fill it in for a client, or sum up its answers over a period. */
export function SurveysPage() {
  const { t } = useTranslation()
  const api = useApi()
  const [templates, setTemplates] = useState<QuestionSetData[] | null>(null)
  const [setId, setSetId] = useState<number | null>(null)
  const [problem, setProblem] = useState<ApiErrorShape | null>(null)

  useEffect(() => {
    void api.try('surveys.templates', {}).then((r) => {
      if (!r.ok) return setProblem(r.error)
      setTemplates(r.value.templates)
      setSetId((id) => id ?? r.value.templates.find((x) => x.active)?.id ?? null)
    })
  }, [api])

  const set = templates?.find((x) => x.id === setId) ?? null
  return (
    <div className="surveys-page" data-testid="surveys-page">
      <Typography.Title level={3}>{t('surveys.title')}</Typography.Title>
      <Typography.Paragraph type="secondary">{t('surveys.hint')}</Typography.Paragraph>
      {problem && <Alert type="error" showIcon message={t('surveys.loadFailed', { text: workErrorText(t, problem) })} />}
      <Space style={{ marginBottom: 16 }}>
        <Typography.Text>{t('surveys.template')}</Typography.Text>
        <Select
          aria-label={t('surveys.template')}
          style={{ minWidth: 260 }}
          value={setId ?? undefined}
          onChange={setSetId}
          options={(templates ?? []).map((x) => ({
            value: x.id,
            label: (
              <Space size={6}>
                <span className={DATA}>{x.name}</span>
                {x.surveyKind && <Typography.Text type="secondary">{t(`surveys.kinds.${x.surveyKind}`)}</Typography.Text>}
              </Space>
            ),
            disabled: !x.active,
          }))}
        />
      </Space>
      {set && (
        <Tabs
          key={set.id}
          items={[
            ...(set.active ? [{ key: 'fill', label: t('surveys.fill'), children: <FillSurvey set={set} /> }] : []),
            { key: 'summary', label: t('surveys.summary'), children: <SurveySummary set={set} /> },
          ]}
        />
      )}
    </div>
  )
}
