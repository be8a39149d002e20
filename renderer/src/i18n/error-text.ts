import type { TFunction } from 'i18next'
import type { ApiErrorShape } from '@shared/contract/common'

/** The translated label of an API field name, e.g. `password` -> 密码; unknown fields stay as they are. */
export function fieldLabel(t: TFunction, field: string): string {
  const key = field.split('.').pop() ?? field
  return t(`fields.${key}`, { defaultValue: key })
}

/** The message for a field-level error, without the field label (for showing under the field itself). */
function reasonText(t: TFunction, e: ApiErrorShape): string {
  const field = e.field ?? ''
  if (e.code === 'VALIDATION' && e.reason) {
    const min = e.params?.minimum
    const reason = e.reason === 'too_small' && min === 1 ? 'required' : e.reason
    return t([`validation.${reason}_${field}`, `validation.${reason}`], { ...e.params, defaultValue: e.message })
  }
  return t([`errors.${e.code}_${field}`, `errors.${e.code}_field`, `errors.${e.code}`], {
    field: fieldLabel(t, field),
    defaultValue: e.message,
  })
}

/** The sentence for a refusal the host names with a reason key (reasons.*), or '' when there is none. */
function refusalText(t: TFunction, e: ApiErrorShape): string {
  if (e.code === 'VALIDATION' || !e.reason) return ''
  const role = typeof e.params?.role === 'string' ? t(`roles.${e.params.role}`, { defaultValue: e.params.role }) : undefined
  return t(`reasons.${e.reason}`, { ...e.params, ...(role === undefined ? {} : { role }), defaultValue: '' })
}

/** A full sentence for an API error, e.g. "密码：至少 8 个字符" or "账号或密码错误". */
export function errorText(t: TFunction, e: ApiErrorShape): string {
  const refusal = refusalText(t, e)
  if (refusal) return refusal
  if (e.code === 'RATE_LIMITED' && e.params?.seconds !== undefined) {
    // what is limited (sign-in, the current password) picks the sentence; sign-in's is the default
    return t([`errors.RATE_LIMITED_${e.reason ?? ''}`, 'errors.RATE_LIMITED_seconds'], { seconds: e.params.seconds })
  }
  if (e.code === 'VALIDATION' && e.field && e.reason) {
    return t('validation.withField', { field: fieldLabel(t, e.field), text: reasonText(t, e) })
  }
  if (e.field) return reasonText(t, e)
  return t(`errors.${e.code}`, { defaultValue: e.message })
}
