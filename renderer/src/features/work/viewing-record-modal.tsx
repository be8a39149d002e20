import { Alert, App, Form, Input, Radio, Typography } from 'antd'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { ApiErrorShape } from '@shared/contract/common'
import { useApi } from '../../api/session-context'
import { formatBranchTime } from '@shared/domain/branch-time'
import type { ViewingData } from './viewing-book-modal'
import { showWorkErrorOnField, workErrorText } from './work-errors'
import { Dialog } from '../../app/dialog'

type Outcome = 'done' | 'no_show' | 'cancelled'

interface Values {
  status: Outcome
  feedback?: string
}

/** 登记结果: how a booked viewing went (done with the client's feedback, no-show, cancelled). */
export function ViewingRecordModal({ viewing, onClose, onRecorded }: { viewing: ViewingData; onClose(): void; onRecorded(v: ViewingData | null): void }) {
  const { t } = useTranslation()
  const api = useApi()
  const { message } = App.useApp()
  const [form] = Form.useForm<Values>()
  const [saving, setSaving] = useState(false)
  const [problem, setProblem] = useState<ApiErrorShape | null>(null)
  const started = Date.parse(viewing.startsAt) <= Date.now()
  const status = Form.useWatch('status', form)

  async function submit(v: Values) {
    setSaving(true)
    setProblem(null)
    const feedback = v.feedback?.trim() || undefined
    const r = await api.try('viewings.record', { id: viewing.id, version: viewing.version, status: v.status, feedback })
    setSaving(false)
    if (!r.ok) {
      if (r.error.code === 'STALE_WRITE' || r.error.reason === 'already_recorded') onRecorded(null)
      if (!showWorkErrorOnField(form, t, r.error)) setProblem(r.error)
      return
    }
    void message.success(t('work.viewing.recorded'))
    onRecorded(r.value)
    onClose()
  }

  const outcomes: Outcome[] = ['done', 'no_show', 'cancelled']
  return (
    <Dialog
      open
      title={t('work.viewing.recordTitle', { time: formatBranchTime(viewing.startsAt) })}
      okText={t('work.common.save')}
      cancelText={t('work.common.cancel')}
      okButtonProps={{ htmlType: 'submit', loading: saving }}
      onCancel={onClose}
      destroyOnHidden
      modalRender={(dom) => (
        <Form form={form} name="viewingRecord" layout="vertical" requiredMark={false} initialValues={{ status: started ? 'done' : 'cancelled' }} onFinish={(v) => void submit(v)}>
          {dom}
        </Form>
      )}
    >
      {problem && <Alert type="error" showIcon message={workErrorText(t, problem)} style={{ marginBottom: 16 }} role="alert" />}
      <Typography.Paragraph type="secondary">
        {viewing.clientName} · {viewing.address ?? t('work.viewing.unitRef', { id: viewing.unitId })}
      </Typography.Paragraph>
      <Form.Item name="status" label={t('work.viewing.outcome')} extra={started ? undefined : t('work.viewing.notStartedHint')}>
        <Radio.Group
          optionType="button"
          buttonStyle="solid"
          options={outcomes.map((o) => ({ value: o, label: t(`work.viewing.statuses.${o}`), disabled: !started && o !== 'cancelled' }))}
        />
      </Form.Item>
      <Form.Item
        name="feedback"
        label={t('work.viewing.feedback')}
        rules={[{ required: status === 'done', whitespace: true, message: t('work.validation.required', { field: t('work.viewing.feedback') }) }]}
      >
        <Input.TextArea rows={4} maxLength={2000} showCount placeholder={t('work.viewing.feedbackPlaceholder')} />
      </Form.Item>
    </Dialog>
  )
}
