import type { TFunction } from 'i18next'
import type { ApiErrorShape } from '@shared/contract/common'
import type { SaveTexts } from '../../app/use-form-save'
import { errorText, fieldLabel } from '../../i18n/error-text'
import { isTextIn } from '../../i18n/text-keys'
import { zh } from '../../i18n/zh'

const NUMERIC = new Set([
  'age',
  'householdSize',
  'areaMin',
  'areaMax',
  'bedroomsMin',
  'bedroomsMax',
  'bathroomsMin',
  'floorMin',
  'floorMax',
  'unitPriceMin',
  'unitPriceMax',
  'totalPriceMin',
  'totalPriceMax',
  'mortgageRatio',
])

/** The last named segment of an API field path: `phones.0.number` -> `number`, `org.legalRep` -> `legalRep`. */
function leaf(field: string): string {
  const named = field.split('.').filter((s) => !/^\d+$/.test(s))
  return named[named.length - 1] ?? field
}

/** The label of a client or requirement field, e.g. `org.legalRep` -> 法人代表, `phones.1.number` -> 电话. */
export function clientFieldLabel(t: TFunction, field: string): string {
  if (field.startsWith('phones')) return t('clients.fields.phone')
  if (field.startsWith('children')) return t('clients.fields.children')
  const key = leaf(field)
  return isTextIn(zh.clients.fields, key) ? t(`clients.fields.${key}`) : fieldLabel(t, key)
}

/** Who owns the client a DUPLICATE error names, in words. */
function duplicateText(t: TFunction, e: ApiErrorShape): string {
  const p = e.params ?? {}
  const args = { name: p.name ?? '', code: p.code ?? '', owner: p.ownerName ?? '' }
  if (e.reason === 'org_taken') return p.name ? t('clients.errors.org_taken', args) : t('clients.errors.org_taken_short')
  return p.ownerName ? t('clients.errors.phone_taken', args) : t('clients.errors.phone_taken_no_owner', args)
}

/** The message for an error on one field, without the field label (shown under the field itself). */
export function clientFieldError(t: TFunction, e: ApiErrorShape): string {
  const field = e.field ?? ''
  const reason = e.reason ?? ''
  if (e.code === 'DUPLICATE') return duplicateText(t, e)
  if (e.code === 'LIMIT_REACHED' && reason === 'owner_cap') return t('clients.errors.owner_cap', { cap: e.params?.cap ?? '' })
  if (e.code === 'FORBIDDEN' && field === 'blacklisted') return t('clients.errors.blacklist_lift')
  if (e.code === 'CONFLICT' && (reason === 'own_client' || reason === 'request_open')) return t(`clients.errors.${reason}`)
  if (e.code === 'VALIDATION') {
    if (reason === 'too_small' || reason === 'too_big') {
      const numeric = NUMERIC.has(leaf(field))
      if (reason === 'too_small' && !numeric && e.params?.minimum === 1) return t('clients.errors.required', { field: clientFieldLabel(t, field) })
      const key = numeric ? reason : reason === 'too_small' ? 'too_short' : 'too_long'
      return t(`clients.errors.${key}`, { ...e.params })
    }
    if (reason === 'invalid_format' && leaf(field) === 'email') return t('clients.errors.email')
    if (isTextIn(zh.clients.errors, reason)) return t(`clients.errors.${reason}`, { ...e.params })
    // reasons every form shares (text kinds: control_char, bidi_char…; unrecognized_keys)
    const general = isTextIn(zh.validation, reason) ? t(`validation.${reason}`, { ...e.params }) : ''
    if (general) return general
  }
  return errorText(t, { ...e, field: undefined })
}

/** A full sentence for a client API error, naming the field when there is one. */
export function clientErrorText(t: TFunction, e: ApiErrorShape): string {
  if (!e.field || e.code === 'STALE_WRITE' || e.code === 'NOT_FOUND' || e.code === 'OFFLINE') return errorText(t, { ...e, field: undefined })
  if (e.code === 'DUPLICATE' || e.code === 'CONFLICT' || e.code === 'LIMIT_REACHED') return clientFieldError(t, e)
  if (e.code === 'FORBIDDEN' && e.field !== 'blacklisted') return errorText(t, { ...e, field: undefined })
  return t('clients.errors.withField', { field: clientFieldLabel(t, e.field), text: clientFieldError(t, e) })
}

/** How the client screens word a failed save in a dialog (useFormSave). */
export const CLIENT_SAVE_TEXTS: SaveTexts = { problem: clientErrorText, field: clientFieldError }
