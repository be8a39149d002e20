import { Alert, App, Form, Input, Typography } from 'antd'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { ClientProfile } from '@shared/contract/clients'
import type { ApiErrorShape } from '@shared/contract/common'
import { useApi } from '../../api/session-context'
import { clientErrorText, putErrorOnField } from './client-errors'
import { Dialog } from '../../app/dialog'

/** 加入黑名单 (with a reason) or, for managers, 解除黑名单; a stale version reloads the client. */
export function BlacklistModal({
  client,
  onClose,
  onSaved,
  onStale,
}: {
  client: ClientProfile
  onClose(): void
  onSaved(c: ClientProfile): void
  onStale(e: ApiErrorShape): void
}) {
  const { t } = useTranslation()
  const api = useApi()
  const { message } = App.useApp()
  const [form] = Form.useForm<{ blacklistReason: string }>()
  const [saving, setSaving] = useState(false)
  const [problem, setProblem] = useState<ApiErrorShape | null>(null)
  const lifting = client.blacklisted

  async function submit(v: { blacklistReason?: string }) {
    setSaving(true)
    setProblem(null)
    const r = await api.try(
      'clients.update',
      lifting
        ? { id: client.id, version: client.version, blacklisted: false }
        : { id: client.id, version: client.version, blacklisted: true, blacklistReason: (v.blacklistReason ?? '').trim() },
    )
    setSaving(false)
    if (r.ok) {
      void message.success(t(lifting ? 'clients.blacklist.offDone' : 'clients.blacklist.onDone', { name: client.name }))
      onSaved(r.value)
      onClose()
      return
    }
    if (r.error.code === 'STALE_WRITE') {
      onStale(r.error)
      onClose()
      return
    }
    if (!putErrorOnField(form, t, r.error)) setProblem(r.error)
  }

  return (
    <Dialog
      open
      title={t(lifting ? 'clients.blacklist.offTitle' : 'clients.blacklist.onTitle', { name: client.name })}
      okText={t(lifting ? 'clients.profile.blacklistOff' : 'clients.profile.blacklistOn')}
      cancelText={t('common.cancel')}
      okButtonProps={{ htmlType: 'submit', loading: saving, danger: !lifting }}
      onCancel={onClose}
      destroyOnHidden
      modalRender={(dom) => (
        <Form form={form} layout="vertical" onFinish={(v) => void submit(v)} autoComplete="off">
          {dom}
        </Form>
      )}
    >
      <Typography.Paragraph type="secondary">
        {lifting ? t('clients.blacklist.offHint', { reason: client.blacklistReason ?? '' }) : t('clients.blacklist.onHint')}
      </Typography.Paragraph>
      {problem && <Alert type="error" showIcon role="alert" message={clientErrorText(t, problem)} style={{ marginBottom: 16 }} />}
      {!lifting && (
        <Form.Item
          name="blacklistReason"
          label={t('clients.blacklist.reason')}
          rules={[{ required: true, whitespace: true, message: t('clients.errors.blacklist_reason') }]}
        >
          <Input.TextArea rows={3} maxLength={200} showCount placeholder={t('clients.blacklist.reasonPlaceholder')} />
        </Form.Item>
      )}
    </Dialog>
  )
}
