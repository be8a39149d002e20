import { App, Form, Input, Radio, Typography } from 'antd'
import { useTranslation } from 'react-i18next'
import { useApi } from '../../api/session-context'
import { formatBranchTime } from '@shared/domain/branch-time'
import type { ViewingData } from './viewing-book-modal'
import { WORK_SAVE_TEXTS } from './work-errors'
import { Dialog } from '../../app/dialog'
import { useFormSave } from '../../app/use-form-save'

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
  const started = Date.parse(viewing.startsAt) <= Date.now()
  const status = Form.useWatch('status', form)

  const save = useFormSave(form, {
    save: (v) => api.try('viewings.record', { id: viewing.id, version: viewing.version, status: v.status, feedback: v.feedback?.trim() || undefined }),
    saved: (recorded) => {
      void message.success(t('work.viewing.recorded'))
      onRecorded(recorded)
    },
    close: onClose,
    refused: (e) => {
      // recorded by someone else meanwhile: the list refetches, and the error is still shown here
      if (e.code === 'STALE_WRITE' || e.reason === 'already_recorded') onRecorded(null)
      return false
    },
    texts: WORK_SAVE_TEXTS,
    draft: `viewingRecord.${viewing.id}`,
  })

  const outcomes: Outcome[] = ['done', 'no_show', 'cancelled']
  return (
    <Dialog
      open
      title={t('work.viewing.recordTitle', { time: formatBranchTime(viewing.startsAt) })}
      okText={t('work.common.save')}
      cancelText={t('work.common.cancel')}
      okButtonProps={{ htmlType: 'submit', loading: save.saving }}
      onCancel={save.cancel}
      destroyOnHidden
      modalRender={(dom) => (
        <Form form={form} name="viewingRecord" layout="vertical" requiredMark={false} initialValues={{ status: started ? 'done' : 'cancelled' }} onFinish={save.submit}>
          {dom}
        </Form>
      )}
    >
      {save.problem}
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
