import type { FormRule } from 'antd'
import type { TFunction } from 'i18next'
import { passwordWarning } from '@shared/domain/password-rules'
import { errorText } from '../i18n/error-text'

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

/**
 * Checks a new password with the host's own rule (shared/domain/password-rules.ts) while it is
 * typed, worded as the host's refusal would be. `field` is the API field (password, newPassword);
 * `who` gives the account name and name the password must not be made of. The host still decides;
 * while the host is down (the common-password list not loaded) the other checks still run.
 */
export function strongPasswordRule(
  t: TFunction,
  field: string,
  who: (get: (name: string) => unknown) => { username?: unknown; name?: unknown },
): FormRule {
  return ({ getFieldValue }) => ({
    validator: async (_, value: unknown) => {
      if (typeof value !== 'string' || value === '') return
      const { username, name } = who(getFieldValue)
      const words = [username, name].filter((w): w is string => typeof w === 'string')
      const problem = await passwordWarning(value, words)
      if (!problem) return
      const params = problem.reason === 'too_small' ? { minimum: problem.minimum } : undefined
      throw new Error(errorText(t, { code: 'VALIDATION', message: problem.reason, field, reason: problem.reason, params }))
    },
  })
}
