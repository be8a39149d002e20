import type { TFunction } from 'i18next'
import type { ClientProfile } from '@shared/contract/clients'
import type { ApiErrorShape } from '@shared/contract/common'
import { changedFields, formValuesOf, profileInput, type ClientFormValues, type ProfileInput } from './client-form-values'

/** What a STALE_WRITE says: who changed the client and which fields, in words. */
export interface StaleNotice {
  by: string
  fields: string[]
}

/** A STALE_WRITE error as the words to show: who changed which fields. */
export function staleNotice(t: TFunction, e: ApiErrorShape): StaleNotice {
  const changed = String(e.params?.changed ?? '')
    .split(',')
    .filter((f) => f !== '')
  return { by: String(e.params?.by ?? ''), fields: changed.length ? changed : [t('clients.form.staleFieldsUnknown')] }
}

function conflicts(field: keyof ProfileInput, changed: readonly string[]): boolean {
  return changed.some((c) => c === field || c.startsWith(`${field}.`))
}

/**
 * The user's own edits that survive someone else's save: every profile field they changed from
 * `base` that the other save (`changedByOther`, API field paths) did not touch.
 */
export function editsToKeep(base: ClientProfile, mine: ClientFormValues, changedByOther: readonly string[]): Partial<ClientFormValues> {
  const keep: Partial<ClientFormValues> = {}
  for (const k of changedFields(profileInput(formValuesOf(base)), profileInput(mine))) {
    if (!conflicts(k, changedByOther)) Object.assign(keep, { [k]: mine[k as keyof ClientFormValues] })
  }
  return keep
}
