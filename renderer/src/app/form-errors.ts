import type { FormInstance } from 'antd'
import type { TFunction } from 'i18next'
import type { ApiErrorShape } from '@shared/contract/common'
import { errorText } from '../i18n/error-text'
import { errorFieldPath } from './form-save'

/**
 * Puts a server error on the form field it names (e.g. "账号：至少 3 个字符" under 账号).
 * Returns false when the error names no field of this form, so the caller shows it elsewhere.
 */
export function showErrorOnField(form: FormInstance, t: TFunction, e: ApiErrorShape): boolean {
  const name = errorFieldPath(e, form.getFieldsError().map((f) => f.name))
  if (!name) return false
  form.setFields([{ name, errors: [errorText(t, e)] }])
  form.focusField(name)
  return true
}
