import { Alert, App, Form, Input, Typography } from 'antd'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { ApiErrorShape } from '@shared/contract/common'
import type { StaffRow } from '@shared/contract/staff'
import { useApi } from '../../api/session-context'
import { errorText } from '../../i18n/error-text'
import { Dialog } from '../../app/dialog'

/** Confirms deactivating a staff account, with an optional reason for the audit log. */
export function DeactivateModal({ row, onClose, onDone }: { row: StaffRow; onClose(): void; onDone(row: StaffRow): void }) {
  const { t } = useTranslation()
  const api = useApi()
  const { message } = App.useApp()
  const [form] = Form.useForm<{ reason?: string }>()
  const [busy, setBusy] = useState(false)
  const [problem, setProblem] = useState<ApiErrorShape | null>(null)

  async function submit(v: { reason?: string }) {
    setBusy(true)
    const r = await api.try('staff.deactivate', { id: row.id, reason: v.reason ?? '' })
    setBusy(false)
    if (!r.ok) return setProblem(r.error)
    void message.success(t('staff.deactivated', { name: row.name }))
    onDone(r.value)
    onClose()
  }

  return (
    <Dialog
      open
      title={t('staff.deactivateTitle', { name: row.name, username: row.username })}
      okText={t('staff.deactivate')}
      cancelText={t('common.cancel')}
      okButtonProps={{ danger: true, htmlType: 'submit', loading: busy }}
      onCancel={onClose}
      destroyOnHidden
      modalRender={(dom) => (
        <Form form={form} name="deactivate" layout="vertical" onFinish={(v) => void submit(v)}>
          {dom}
        </Form>
      )}
    >
      {problem && <Alert type="error" showIcon message={errorText(t, problem)} style={{ marginBottom: 16 }} role="alert" />}
      <Typography.Paragraph>{t('staff.deactivateHint')}</Typography.Paragraph>
      <Form.Item name="reason" label={t('fields.reason')}>
        <Input maxLength={200} placeholder={t('staff.reasonPlaceholder')} />
      </Form.Item>
    </Dialog>
  )
}
