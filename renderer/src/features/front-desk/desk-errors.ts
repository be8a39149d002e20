import type { FormInstance } from 'antd'
import type { TFunction } from 'i18next'
import type { ApiErrorShape } from '@shared/contract/common'
import type { SaveTexts } from '../../app/use-form-save'
import { errorText } from '../../i18n/error-text'
import { isTextIn } from '../../i18n/text-keys'
import { zh } from '../../i18n/zh'

/** A sentence for a card, visit or club error: the specific reason when we know it, else the general text. */
export function deskErrorText(t: TFunction, e: ApiErrorShape): string {
  const reason = e.reason ?? ''
  if (isTextIn(zh.frontDesk.errors, reason)) return t(`frontDesk.errors.${reason}`, { ...e.params })
  if (isTextIn(zh.members.errors, reason)) return t(`members.errors.${reason}`, { ...e.params })
  return errorText(t, e)
}

/**
 * Puts an error under the form field it names (`levels.1.minPoints` -> that row's 起始积分);
 * false when the form has no such field, so the caller shows it above the form.
 */
export function putDeskError(form: FormInstance, t: TFunction, e: ApiErrorShape): boolean {
  if (!e.field) return false
  const name = e.field.split('.').map((s) => (/^\d+$/.test(s) ? Number(s) : s))
  const onForm = form.getFieldsError().some((f) => f.name.join('.') === e.field)
  if (!onForm) return false
  form.setFields([{ name, errors: [deskErrorText(t, e)] }])
  form.scrollToField(name)
  return true
}

/** How the desk and club screens word a failed save in a form (useFormSave). */
export const DESK_SAVE_TEXTS: SaveTexts = { problem: deskErrorText, field: deskErrorText }
