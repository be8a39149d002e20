import { Alert, App, Form, Input } from 'antd'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useApi, useMe } from '../../api/session-context'
import { showErrorOnField } from '../../app/form-errors'
import { confirmPasswordRules, strongPasswordRule } from '../../app/password-rules'
import { useCountdown } from '../../app/use-countdown'
import { errorText } from '../../i18n/error-text'
import { Dialog } from '../../app/dialog'

interface Values {
  oldPassword: string
  newPassword: string
  confirmPassword: string
}

/**
 * Lets the signed-in person change their own password (auth.changePassword). Too many wrong
 * current passwords lock the change for a while: the wait counts down and Save stays disabled.
 */
export function ChangePasswordModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation()
  const api = useApi()
  const { message } = App.useApp()
  const [form] = Form.useForm<Values>()
  const me = useMe()
  const [saving, setSaving] = useState(false)
  const [lockedUntil, setLockedUntil] = useState<number | null>(null)
  const wait = useCountdown(lockedUntil)

  async function submit(v: Values) {
    setSaving(true)
    const r = await api.try('auth.changePassword', { oldPassword: v.oldPassword, newPassword: v.newPassword })
    setSaving(false)
    if (r.ok) {
      void message.success(t('account.changed'))
      onClose()
    } else if (r.error.code === 'RATE_LIMITED') {
      setLockedUntil(Date.now() + Number(r.error.params?.seconds ?? 1) * 1000)
    } else if (!showErrorOnField(form, t, r.error)) {
      void message.error(errorText(t, r.error))
    }
  }

  return (
    <Dialog
      open={open}
      title={t('account.changePasswordTitle')}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      okButtonProps={{ htmlType: 'submit', loading: saving, disabled: wait > 0 }}
      onCancel={onClose}
      destroyOnHidden
      modalRender={(dom) => (
        <Form form={form} name="own-password" layout="vertical" onFinish={(v) => void submit(v)} autoComplete="off" clearOnDestroy>
          {dom}
        </Form>
      )}
    >
      {wait > 0 && (
        <Alert
          type="error"
          showIcon
          message={t('errors.RATE_LIMITED_passwordLocked', { seconds: wait })}
          style={{ marginBottom: 16 }}
          role="alert"
        />
      )}
      <Form.Item
        name="oldPassword"
        label={t('fields.oldPassword')}
        rules={[{ required: true, message: t('validation.please_enter', { field: t('fields.oldPassword') }) }]}
      >
        <Input.Password autoComplete="current-password" />
      </Form.Item>
      <Form.Item
        name="newPassword"
        label={t('fields.newPassword')}
        extra={t('staff.passwordHint')}
        rules={[
          { required: true, message: t('validation.please_enter', { field: t('fields.newPassword') }) },
          strongPasswordRule(t, 'newPassword', () => me),
        ]}
      >
        <Input.Password autoComplete="new-password" />
      </Form.Item>
      <Form.Item name="confirmPassword" label={t('fields.confirmPassword')} dependencies={['newPassword']} rules={confirmPasswordRules(t)}>
        <Input.Password autoComplete="new-password" />
      </Form.Item>
    </Dialog>
  )
}
