import { Alert, App, Form, Input } from 'antd'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useApi, useMe } from '../../api/session-context'
import { confirmPasswordRules, strongPasswordRule } from '../../app/password-rules'
import { useCountdown } from '../../app/use-countdown'
import { Dialog } from '../../app/dialog'
import { APP_SAVE_TEXTS, useFormSave } from '../../app/use-form-save'

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
  const [lockedUntil, setLockedUntil] = useState<number | null>(null)
  const wait = useCountdown(lockedUntil)

  const save = useFormSave(form, {
    save: (v) => api.try('auth.changePassword', { oldPassword: v.oldPassword, newPassword: v.newPassword }),
    saved: () => void message.success(t('account.changed')),
    // too many wrong current passwords: the countdown above the form says how long
    refused: (e) => {
      if (e.code !== 'RATE_LIMITED') return false
      setLockedUntil(Date.now() + Number(e.params?.seconds ?? 1) * 1000)
      return true
    },
    close: onClose,
    texts: APP_SAVE_TEXTS,
  })

  return (
    <Dialog
      open={open}
      title={t('account.changePasswordTitle')}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      okButtonProps={{ htmlType: 'submit', loading: save.saving, disabled: wait > 0 }}
      onCancel={save.cancel}
      destroyOnHidden
      modalRender={(dom) => (
        <Form form={form} name="own-password" layout="vertical" onFinish={save.submit} autoComplete="off" clearOnDestroy>
          {dom}
        </Form>
      )}
    >
      {save.problem}
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
