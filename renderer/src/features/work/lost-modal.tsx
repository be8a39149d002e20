import { Alert, App, Form, Input, Select } from 'antd'
import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { ApiErrorShape } from '@shared/contract/common'
import { useApi } from '../../api/session-context'
import { lostReasonOptions } from '../../i18n/shipped-words'
import { WORK_SAVE_TEXTS, workErrorText } from './work-errors'
import { Dialog } from '../../app/dialog'
import { useFormSave } from '../../app/use-form-save'

interface Values {
  reason: string
  note?: string
}

/** 标记流失: a reason from the branch's configured list and an optional note. */
export function LostModal({ clientId, clientName, onClose, onDone }: { clientId: number; clientName: string; onClose(): void; onDone(): void }) {
  const { t } = useTranslation()
  const api = useApi()
  const { message } = App.useApp()
  const [form] = Form.useForm<Values>()
  const [reasons, setReasons] = useState<string[]>([])
  // the reasons could not be loaded
  const [loadProblem, setLoadProblem] = useState<ApiErrorShape | null>(null)
  const save = useFormSave(form, {
    save: (v) => api.try('clients.markLost', { id: clientId, reason: v.reason, note: v.note?.trim() || undefined }),
    saved: () => {
      void message.success(t('work.log.lostDone'))
      onDone()
    },
    close: onClose,
    texts: WORK_SAVE_TEXTS,
  })

  useEffect(() => {
    void api.try('settings.getRules', {}).then((r) => (r.ok ? setReasons(r.value.lostReasons) : setLoadProblem(r.error)))
  }, [api])

  return (
    <Dialog
      open
      title={t('work.log.lostTitle', { name: clientName })}
      okText={t('work.log.markLost')}
      cancelText={t('work.common.cancel')}
      okButtonProps={{ htmlType: 'submit', loading: save.saving, danger: true }}
      onCancel={save.cancel}
      destroyOnHidden
      modalRender={(dom) => (
        <Form form={form} name="lost" layout="vertical" requiredMark={false} onFinish={save.submit}>
          {dom}
        </Form>
      )}
    >
      {save.problem}
      {loadProblem && <Alert type="error" showIcon message={workErrorText(t, loadProblem)} style={{ marginBottom: 16 }} role="alert" />}
      <Form.Item name="reason" label={t('work.log.lostReason')} rules={[{ required: true, message: t('work.validation.choose', { field: t('work.log.lostReason') }) }]}>
        <Select placeholder={t('work.log.lostReasonPlaceholder')} options={lostReasonOptions(t, reasons)} />
      </Form.Item>
      <Form.Item name="note" label={t('work.log.lostNote')}>
        <Input.TextArea rows={3} maxLength={500} showCount />
      </Form.Item>
    </Dialog>
  )
}
