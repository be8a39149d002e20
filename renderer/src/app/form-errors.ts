import type { FormInstance } from 'antd'
import type { TFunction } from 'i18next'
import type { ApiErrorShape } from '@shared/contract/common'
import { errorText } from '../i18n/error-text'

/**
 * Puts a server error on the form field it names (e.g. "账号：至少 3 个字符" under 账号).
 * Returns false when the error names no field of this form, so the caller shows it elsewhere.
 */
export function showErrorOnField(form: FormInstance, t: TFunction, e: ApiErrorShape): boolean {
  if (!e.field) return false
  const name = e.field.split('.')
  const onForm = form.getFieldsError().some((f) => f.name.join('.') === e.field)
  if (!onForm) return false
  form.setFields([{ name, errors: [errorText(t, e)] }])
  form.focusField(name)
  return true
}
