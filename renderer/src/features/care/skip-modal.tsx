import { Alert, App, Form, Input } from 'antd'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { z } from 'zod'
import type { Occasion } from '@shared/contract/care'
import type { ApiErrorShape } from '@shared/contract/common'
import { useApi } from '../../api/session-context'
import { FormDialog } from '../../app/form-dialog'
import { clientErrorText, putErrorOnField } from '../clients/client-errors'

/** Skipping one care item with a reason (the client is abroad, was greeted in person): no contact is logged. */
export function SkipModal({
  client,
  occasion,
  date,
  onClose,
  onDone,
}: {
  client: { clientId: number; name: string }
  occasion: z.infer<typeof Occasion>
  date: string
  onClose(): void
  onDone(): void
}) {
  const { t } = useTranslation()
  const api = useApi()
  const { message } = App.useApp()
  const [form] = Form.useForm<{ note: string }>()
  const [saving, setSaving] = useState(false)
  const [problem, setProblem] = useState<ApiErrorShape | null>(null)

  async function skip(v: { note: string }) {
    setSaving(true)
    setProblem(null)
    const r = await api.try('care.skip', { clientId: client.clientId, occasion, date, note: v.note.trim() })
    setSaving(false)
    if (r.ok) {
      void message.success(t('care.skipForm.saved'))
      onDone()
      onClose()
      return
    }
    if (!putErrorOnField(form, t, r.error)) setProblem(r.error)
  }

  return (
    <FormDialog
      form={form}
      title={t('care.skipForm.title', { client: client.name })}
      okText={t('care.skipForm.save')}
      cancelText={t('care.skipForm.cancel')}
      saving={saving}
      onFinish={(v) => void skip(v)}
      onCancel={onClose}
      testId="care-skip-form"
    >
      {problem && <Alert type="error" showIcon role="alert" message={clientErrorText(t, problem)} style={{ marginBottom: 16 }} />}
      <Form.Item name="note" label={t('care.skipForm.note')} rules={[{ required: true, whitespace: true, message: t('validation.required') }]}>
        <Input.TextArea maxLength={500} rows={2} />
      </Form.Item>
    </FormDialog>
  )
}
