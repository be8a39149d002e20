import { App, Form, Input, Typography } from 'antd'
import { useTranslation } from 'react-i18next'
import type { StaffRow } from '@shared/contract/staff'
import { useApi } from '../../api/session-context'
import { confirmPasswordRules, strongPasswordRule } from '../../app/password-rules'
import { Dialog } from '../../app/dialog'
import { APP_SAVE_TEXTS, useFormSave } from '../../app/use-form-save'

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
  const save = useFormSave(form, {
    save: (v) => api.try('staff.resetPassword', { id: row.id, newPassword: v.newPassword }),
    saved: () => void message.success(t('staff.resetDone', { name: row.name })),
    close: onClose,
    texts: APP_SAVE_TEXTS,
  })

  return (
    <Dialog
      open
      title={t('staff.resetTitle', { name: row.name })}
      okText={t('staff.resetPassword')}
      cancelText={t('common.cancel')}
      okButtonProps={{ htmlType: 'submit', loading: save.saving }}
      onCancel={save.cancel}
      destroyOnHidden
      modalRender={(dom) => (
        <Form form={form} name="reset" layout="vertical" onFinish={save.submit} autoComplete="off">
          {dom}
        </Form>
      )}
    >
      {save.problem}
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
