import { Alert, App, Form, Input, Typography } from 'antd'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { ApiErrorShape } from '@shared/contract/common'
import type { StaffRow } from '@shared/contract/staff'
import { useApi } from '../../api/session-context'
import { showErrorOnField } from '../../app/form-errors'
import { confirmPasswordRules, strongPasswordRule } from '../../app/password-rules'
import { errorText } from '../../i18n/error-text'
import { Dialog } from '../../app/dialog'

interface Values {
  newPassword: string
  confirmPassword: string
}

/** Sets a new password for a staff member (their sessions end). */
export function ResetPasswordModal({ row, onClose }: { row: StaffRow; onClose(): void }) {
  const { t } = useTranslation()
  const api = useApi()
  const { message } = App.useApp()
  const [form] = Form.useForm<Values>()
  const [busy, setBusy] = useState(false)
  const [problem, setProblem] = useState<ApiErrorShape | null>(null)

  async function submit(v: Values) {
    setBusy(true)
    const r = await api.try('staff.resetPassword', { id: row.id, newPassword: v.newPassword })
    setBusy(false)
    if (r.ok) {
      void message.success(t('staff.resetDone', { name: row.name }))
      onClose()
    } else if (!showErrorOnField(form, t, r.error)) {
      setProblem(r.error)
    }
  }

  return (
    <Dialog
      open
      title={t('staff.resetTitle', { name: row.name })}
      okText={t('staff.resetPassword')}
      cancelText={t('common.cancel')}
      okButtonProps={{ htmlType: 'submit', loading: busy }}
      onCancel={onClose}
      destroyOnHidden
      modalRender={(dom) => (
        <Form form={form} name="reset" layout="vertical" onFinish={(v) => void submit(v)} autoComplete="off">
          {dom}
        </Form>
      )}
    >
      {problem && <Alert type="error" showIcon message={errorText(t, problem)} style={{ marginBottom: 16 }} role="alert" />}
      <Typography.Paragraph>{t('staff.resetHint')}</Typography.Paragraph>
      <Form.Item
        name="newPassword"
        label={t('fields.newPassword')}
        extra={t('staff.passwordHint')}
        rules={[
          { required: true, message: t('validation.please_enter', { field: t('fields.newPassword') }) },
          strongPasswordRule(t, 'newPassword', () => row),
        ]}
      >
        <Input.Password autoComplete="new-password" />
      </Form.Item>
      <Form.Item
        name="confirmPassword"
        label={t('fields.confirmPassword')}
        dependencies={['newPassword']}
        rules={confirmPasswordRules(t)}
      >
        <Input.Password autoComplete="new-password" />
      </Form.Item>
    </Dialog>
  )
}
