import type { TFunction } from 'i18next'
import type { ApiErrorShape } from '@shared/contract/common'
import { Role } from '@shared/domain/roles'
import { firstTextIn, isTextIn } from './text-keys'
import { zh } from './zh'

/** The translated label of an API field name, e.g. `password` -> 密码; unknown fields stay as they are. */
export function fieldLabel(t: TFunction, field: string): string {
  const key = field.split('.').pop() ?? field
  return isTextIn(zh.fields, key) ? t(`fields.${key}`) : key
}

/** A role's name, e.g. `manager` -> 店长; a value that is no role stays as it is. */
export function roleName(t: TFunction, role: string): string {
  const parsed = Role.safeParse(role)
  return parsed.success ? t(`roles.${parsed.data}`) : role
}

/** The sentence for a validation reason (`validation.<reason>_<field>`, else `validation.<reason>`), or null when there is none. */
export function validationText(t: TFunction, reason: string, field: string, params: ApiErrorShape['params']): string | null {
  const key = firstTextIn(zh.validation, [`${reason}_${field}`, reason])
  return key ? t(`validation.${key}`, { ...params }) : null
}

/** The message for a field-level error, without the field label (for showing under the field itself). */
function reasonText(t: TFunction, e: ApiErrorShape): string {
  const field = e.field ?? ''
  if (e.code === 'VALIDATION' && e.reason) {
    const min = e.params?.minimum
    const reason = e.reason === 'too_small' && min === 1 ? 'required' : e.reason
    return validationText(t, reason, field, e.params) ?? e.message
  }
  const key = firstTextIn(zh.errors, [`${e.code}_${field}`, `${e.code}_field`, e.code])
  return key ? t(`errors.${key}`, { field: fieldLabel(t, field) }) : e.message
}

/** The sentence for a refusal the host names with a reason key (reasons.*), or '' when there is none. */
function refusalText(t: TFunction, e: ApiErrorShape): string {
  if (e.code === 'VALIDATION' || !e.reason || !isTextIn(zh.reasons, e.reason)) return ''
  const role = typeof e.params?.role === 'string' ? roleName(t, e.params.role) : undefined
  return t(`reasons.${e.reason}`, { ...e.params, ...(role === undefined ? {} : { role }) })
}

/** A full sentence for an API error, e.g. "密码：至少 8 个字符" or "账号或密码错误". */
export function errorText(t: TFunction, e: ApiErrorShape): string {
  const refusal = refusalText(t, e)
  if (refusal) return refusal
  if (e.code === 'RATE_LIMITED' && e.params?.seconds !== undefined) {
    // what is limited (sign-in, the current password) picks the sentence; sign-in's is the default
    const key = firstTextIn(zh.errors, [`RATE_LIMITED_${e.reason ?? ''}`]) ?? 'RATE_LIMITED_seconds'
    return t(`errors.${key}`, { seconds: e.params.seconds })
  }
  if (e.code === 'VALIDATION' && e.field && e.reason) {
    return t('validation.withField', { field: fieldLabel(t, e.field), text: reasonText(t, e) })
  }
  if (e.field) return reasonText(t, e)
  return t(`errors.${e.code}`)
}
