import { Alert, App, Form, Input, Modal, Typography } from 'antd'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { z } from 'zod'
import type { ClientPhone } from '../../../../shared/contract/clients'
import type { ApiErrorShape } from '../../../../shared/contract/common'
import { useApi } from '../../api/session-context'
import { clientErrorText, putErrorOnField } from './client-errors'

type Phone = z.infer<typeof ClientPhone>

/** 显示号码: full numbers of a client the viewer does not own, with a reason for the audit log. */
export function RevealPhonesModal({ client, onClose, onShown }: { client: { id: number; name: string }; onClose(): void; onShown(phones: Phone[]): void }) {
  const { t } = useTranslation()
  const api = useApi()
  const { message } = App.useApp()
  const [form] = Form.useForm<{ reason: string }>()
  const [saving, setSaving] = useState(false)
  const [problem, setProblem] = useState<ApiErrorShape | null>(null)

  async function submit({ reason }: { reason: string }) {
    setSaving(true)
    setProblem(null)
    const r = await api.try('clients.revealPhones', { id: client.id, reason: reason.trim() })
    setSaving(false)
    if (r.ok) {
      void message.success(t('clients.reveal.shown'))
      onShown(r.value.phones)
      onClose()
      return
    }
    if (!putErrorOnField(form, t, r.error)) setProblem(r.error)
  }

  return (
    <Modal
      open
      title={t('clients.reveal.title', { name: client.name })}
      okText={t('clients.reveal.ok')}
      cancelText={t('common.cancel')}
      okButtonProps={{ htmlType: 'submit', loading: saving }}
      onCancel={onClose}
      destroyOnHidden
      afterOpenChange={(shown) => shown && form.focusField('reason')}
      modalRender={(dom) => (
        <Form form={form} layout="vertical" onFinish={(v) => void submit(v)} autoComplete="off">
          {dom}
        </Form>
      )}
    >
      <Typography.Paragraph type="secondary">{t('clients.reveal.hint')}</Typography.Paragraph>
      {problem && <Alert type="error" showIcon role="alert" message={clientErrorText(t, problem)} style={{ marginBottom: 16 }} />}
      <Form.Item name="reason" label={t('clients.reveal.reason')} rules={[{ required: true, whitespace: true, min: 2, message: t('clients.errors.reasonShort') }]}>
        <Input maxLength={200} placeholder={t('clients.reveal.reasonPlaceholder')} />
      </Form.Item>
    </Modal>
  )
}
