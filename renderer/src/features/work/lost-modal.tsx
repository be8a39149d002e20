import { Alert, App, Form, Input, Select } from 'antd'
import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { ApiErrorShape } from '@shared/contract/common'
import { useApi } from '../../api/session-context'
import { lostReasonOptions } from '../../i18n/shipped-words'
import { showWorkErrorOnField, workErrorText } from './work-errors'
import { Dialog } from '../../app/dialog'

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
  const [saving, setSaving] = useState(false)
  const [problem, setProblem] = useState<ApiErrorShape | null>(null)

  useEffect(() => {
    void api.try('settings.getRules', {}).then((r) => (r.ok ? setReasons(r.value.lostReasons) : setProblem(r.error)))
  }, [api])

  async function submit(v: Values) {
    setSaving(true)
    setProblem(null)
    const r = await api.try('clients.markLost', { id: clientId, reason: v.reason, note: v.note?.trim() || undefined })
    setSaving(false)
    if (!r.ok) {
      if (!showWorkErrorOnField(form, t, r.error)) setProblem(r.error)
      return
    }
    void message.success(t('work.log.lostDone'))
    onDone()
    onClose()
  }

  return (
    <Dialog
      open
      title={t('work.log.lostTitle', { name: clientName })}
      okText={t('work.log.markLost')}
      cancelText={t('work.common.cancel')}
      okButtonProps={{ htmlType: 'submit', loading: saving, danger: true }}
      onCancel={onClose}
      destroyOnHidden
      modalRender={(dom) => (
        <Form form={form} name="lost" layout="vertical" requiredMark={false} onFinish={(v) => void submit(v)}>
          {dom}
        </Form>
      )}
    >
      {problem && <Alert type="error" showIcon message={workErrorText(t, problem)} style={{ marginBottom: 16 }} role="alert" />}
      <Form.Item name="reason" label={t('work.log.lostReason')} rules={[{ required: true, message: t('work.validation.choose', { field: t('work.log.lostReason') }) }]}>
        <Select placeholder={t('work.log.lostReasonPlaceholder')} options={lostReasonOptions(t, reasons)} />
      </Form.Item>
      <Form.Item name="note" label={t('work.log.lostNote')}>
        <Input.TextArea rows={3} maxLength={500} showCount />
      </Form.Item>
    </Dialog>
  )
}
