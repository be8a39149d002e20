import { App, DatePicker, Form, Input, Select, Typography } from 'antd'
import dayjs, { type Dayjs } from 'dayjs'
import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { OutputOf } from '@shared/contract'
import { Stage, Tier } from '@shared/domain/client-enums'
import { useApi } from '../../api/session-context'
import { FormDialog } from '../../app/form-dialog'
import { useFormSave } from '../../app/use-form-save'
import { CLIENT_SAVE_TEXTS } from '../clients/client-errors'

interface Values {
  tiers: Tier[]
  stages: Stage[]
  regions: string[]
  tags: string[]
  text: string
  dueDate: Dayjs
}

/** 政策告知 (managers): news to a segment of the book, as a task per client for its owner agent and one notice each. */
export function PolicyNewsModal({ onClose }: { onClose(): void }) {
  const { t } = useTranslation()
  const api = useApi()
  const { message } = App.useApp()
  const [form] = Form.useForm<Values>()
  const [count, setCount] = useState<OutputOf<'care.segmentCount'> | null>(null)
  const tiers = Form.useWatch('tiers', form)
  const stages = Form.useWatch('stages', form)
  const regions = Form.useWatch('regions', form)
  const tags = Form.useWatch('tags', form)

  // how many the segment reaches, as it is being picked
  useEffect(() => {
    const segment = { tiers: tiers ?? [], stages: stages ?? [], regions: regions ?? [], tags: tags ?? [] }
    void api.try('care.segmentCount', { segment }).then((r) => setCount(r.ok ? r.value : null))
  }, [api, tiers, stages, regions, tags])

  const save = useFormSave(form, {
    save: (v) =>
      api.try('care.policyNews', {
        segment: { tiers: v.tiers ?? [], stages: v.stages ?? [], regions: v.regions ?? [], tags: v.tags ?? [] },
        text: v.text.trim(),
        dueDate: v.dueDate.format('YYYY-MM-DD'),
      }),
    saved: (sent) => void message.success(t('care.policy.sent', { clients: sent.clients, agents: sent.agents })),
    close: onClose,
    texts: CLIENT_SAVE_TEXTS,
  })

  const multi = (values: readonly string[], label: (v: string) => string) => values.map((v) => ({ value: v, label: label(v) }))
  return (
    <FormDialog
      form={form}
      title={t('care.policy.title')}
      okText={t('care.policy.send')}
      cancelText={t('care.policy.cancel')}
      saving={save.saving}
      initialValues={{ tiers: [], stages: [], regions: [], tags: [], dueDate: dayjs().add(3, 'day') }}
      onFinish={save.submit}
      onCancel={onClose}
      testId="care-policy-form"
    >
      {save.problem}
      <Form.Item name="text" label={t('care.policy.text')} rules={[{ required: true, whitespace: true, message: t('validation.required') }]}>
        <Input.TextArea maxLength={500} rows={3} />
      </Form.Item>
      <Form.Item name="tiers" label={t('care.policy.tiers')}>
        <Select mode="multiple" allowClear placeholder={t('care.policy.any')} options={multi(Tier.options, (v) => t(`clients.enums.tier.${v as Tier}`))} />
      </Form.Item>
      <Form.Item name="stages" label={t('care.policy.stages')}>
        <Select mode="multiple" allowClear placeholder={t('care.policy.any')} options={multi(Stage.options.filter((s) => s !== 'lost'), (v) => t(`clients.enums.stage.${v as Stage}`))} />
      </Form.Item>
      <Form.Item name="regions" label={t('care.policy.regions')}>
        <Select mode="tags" allowClear placeholder={t('care.policy.any')} open={false} />
      </Form.Item>
      <Form.Item name="tags" label={t('care.policy.tags')}>
        <Select mode="tags" allowClear placeholder={t('care.policy.any')} open={false} />
      </Form.Item>
      <Form.Item name="dueDate" label={t('care.policy.dueDate')} rules={[{ required: true, message: t('validation.required') }]}>
        <DatePicker />
      </Form.Item>
      {count && <Typography.Text type="secondary">{t('care.policy.count', count)}</Typography.Text>}
    </FormDialog>
  )
}
