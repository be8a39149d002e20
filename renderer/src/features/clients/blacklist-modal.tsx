import { App, Form, Input, Typography } from 'antd'
import { useTranslation } from 'react-i18next'
import type { ClientProfile } from '@shared/contract/clients'
import type { ApiErrorShape } from '@shared/contract/common'
import { useApi } from '../../api/session-context'
import { CLIENT_SAVE_TEXTS } from './client-errors'
import { Dialog } from '../../app/dialog'
import { useFormSave } from '../../app/use-form-save'

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
  const lifting = client.blacklisted

  const save = useFormSave(form, {
    save: (v) =>
      api.try(
        'clients.update',
        lifting
          ? { id: client.id, version: client.version, blacklisted: false }
          : { id: client.id, version: client.version, blacklisted: true, blacklistReason: (v.blacklistReason ?? '').trim() },
      ),
    saved: (saved) => {
      void message.success(t(lifting ? 'clients.blacklist.offDone' : 'clients.blacklist.onDone', { name: client.name }))
      onSaved(saved)
    },
    close: onClose,
    refused: (e) => {
      if (e.code !== 'STALE_WRITE') return false
      onStale(e)
      onClose()
      return true
    },
    texts: CLIENT_SAVE_TEXTS,
  })

  return (
    <Dialog
      open
      title={t(lifting ? 'clients.blacklist.offTitle' : 'clients.blacklist.onTitle', { name: client.name })}
      okText={t(lifting ? 'clients.profile.blacklistOff' : 'clients.profile.blacklistOn')}
      cancelText={t('common.cancel')}
      okButtonProps={{ htmlType: 'submit', loading: save.saving, danger: !lifting }}
      onCancel={onClose}
      destroyOnHidden
      modalRender={(dom) => (
        <Form form={form} layout="vertical" onFinish={save.submit} autoComplete="off">
          {dom}
        </Form>
      )}
    >
      <Typography.Paragraph type="secondary">
        {lifting ? t('clients.blacklist.offHint', { reason: client.blacklistReason ?? '' }) : t('clients.blacklist.onHint')}
      </Typography.Paragraph>
      {save.problem}
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
