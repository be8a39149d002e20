import type { FormRule } from 'antd'
import type { TFunction } from 'i18next'

/** Rules for a "confirm new password" field that must repeat `newPassword`. */
export function confirmPasswordRules(t: TFunction): FormRule[] {
  return [
    { required: true, message: t('validation.please_enter', { field: t('fields.confirmPassword') }) },
    ({ getFieldValue }) => ({
      validator: (_, value) =>
        !value || getFieldValue('newPassword') === value
          ? Promise.resolve()
          : Promise.reject(new Error(t('validation.password_mismatch'))),
    }),
  ]
}
