import { App, Form, Input } from 'antd'
import { useTranslation } from 'react-i18next'
import type { z } from 'zod'
import type { Occasion } from '@shared/contract/care'
import { useApi } from '../../api/session-context'
import { FormDialog } from '../../app/form-dialog'
import { useFormSave } from '../../app/use-form-save'
import { CLIENT_SAVE_TEXTS } from '../clients/client-errors'

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
  const save = useFormSave(form, {
    save: (v) => api.try('care.skip', { clientId: client.clientId, occasion, date, note: v.note.trim() }),
    saved: () => {
      void message.success(t('care.skipForm.saved'))
      onDone()
    },
    close: onClose,
    texts: CLIENT_SAVE_TEXTS,
  })

  return (
    <FormDialog
      form={form}
      title={t('care.skipForm.title', { client: client.name })}
      okText={t('care.skipForm.save')}
      cancelText={t('care.skipForm.cancel')}
      saving={save.saving}
      onFinish={save.submit}
      onCancel={onClose}
      testId="care-skip-form"
    >
      {save.problem}
      <Form.Item name="note" label={t('care.skipForm.note')} rules={[{ required: true, whitespace: true, message: t('validation.required') }]}>
        <Input.TextArea maxLength={500} rows={2} />
      </Form.Item>
    </FormDialog>
  )
}
