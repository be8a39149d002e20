import { Alert, App, Form, Input, Modal, Typography } from 'antd'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { ApiErrorShape } from '../../../../shared/contract/common'
import { useApi } from '../../api/session-context'
import { clientErrorText, putErrorOnField } from './client-errors'

/** 申请协作: an agent who does not own a client asks its owner to work it together. */
export function CollaborateModal({
  client,
  onClose,
}: {
  client: { id: number; name: string; ownerName: string | null }
  onClose(): void
}) {
  const { t } = useTranslation()
  const api = useApi()
  const { message } = App.useApp()
  const [form] = Form.useForm<{ note: string }>()
  const [saving, setSaving] = useState(false)
  const [problem, setProblem] = useState<ApiErrorShape | null>(null)

  async function submit({ note }: { note: string }) {
    setSaving(true)
    setProblem(null)
    const r = await api.try('clients.requestCollaboration', { clientId: client.id, note: note.trim() })
    setSaving(false)
    if (r.ok) {
      void message.success(t('clients.collaborate.done', { owner: client.ownerName ?? t('clients.profile.noOwner') }))
      onClose()
      return
    }
    if (!putErrorOnField(form, t, r.error)) setProblem(r.error)
  }

  return (
    <Modal
      open
      title={t('clients.collaborate.title', { name: client.name })}
      okText={t('clients.collaborate.ok')}
      cancelText={t('common.cancel')}
      okButtonProps={{ htmlType: 'submit', loading: saving }}
      onCancel={onClose}
      destroyOnHidden
      afterOpenChange={(shown) => shown && form.focusField('note')}
      modalRender={(dom) => (
        <Form form={form} layout="vertical" onFinish={(v) => void submit(v)} autoComplete="off">
          {dom}
        </Form>
      )}
    >
      <Typography.Paragraph type="secondary">
        {client.ownerName ? t('clients.collaborate.hint', { owner: client.ownerName }) : t('clients.collaborate.hintNoOwner')}
      </Typography.Paragraph>
      {problem && <Alert type="error" showIcon role="alert" message={clientErrorText(t, problem)} style={{ marginBottom: 16 }} />}
      <Form.Item
        name="note"
        label={t('clients.collaborate.note')}
        rules={[{ required: true, whitespace: true, min: 2, message: t('clients.errors.reasonShort') }]}
      >
        <Input.TextArea rows={3} maxLength={500} showCount placeholder={t('clients.collaborate.notePlaceholder')} />
      </Form.Item>
    </Modal>
  )
}
