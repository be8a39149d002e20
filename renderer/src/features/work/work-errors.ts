import type { TFunction } from 'i18next'
import type { ApiErrorShape } from '@shared/contract/common'
import type { SaveTexts } from '../../app/use-form-save'
import { errorText, validationText } from '../../i18n/error-text'
import { firstTextIn } from '../../i18n/text-keys'
import { zh } from '../../i18n/zh'
import { formatBranchTime } from '@shared/domain/branch-time'

/** The params of an error, with a stored time made readable for the branch. */
function readableParams(e: ApiErrorShape): Record<string, string | number> {
  const p = { ...e.params }
  if (typeof p.startsAt === 'string') p.time = formatBranchTime(p.startsAt)
  return p
}

/** The translation of the host's reason key (agent busy, daily claim cap…), or '' when there is none. */
function reasonText(t: TFunction, e: ApiErrorShape): string {
  const key = e.reason ? firstTextIn(zh.work.errors, [`${e.reason}_${e.field ?? ''}`, e.reason]) : undefined
  return key ? t(`work.errors.${key}`, { ...readableParams(e) }) : ''
}

/** A full sentence for an error of the follow-up areas, e.g. "经纪人在这个时间段已有带看（…）". */
export function workErrorText(t: TFunction, e: ApiErrorShape): string {
  return reasonText(t, e) || errorText(t, e)
}

/** The text under a form field for a host error naming it (without the field's label). */
export function workFieldText(t: TFunction, e: ApiErrorShape, kind: 'text' | 'number' | 'list' = 'text'): string {
  if (e.code === 'VALIDATION' && kind !== 'text' && (e.reason === 'too_small' || e.reason === 'too_big')) {
    return t(`work.validation.${e.reason}_${kind}`, { ...e.params })
  }
  const specific = reasonText(t, e)
  if (specific) return specific
  if (e.code === 'VALIDATION' && e.reason) {
    return validationText(t, e.reason, e.field ?? '', e.params) ?? e.message
  }
  return errorText(t, e)
}

/** How the follow-up areas word a failed save in a dialog (useFormSave). */
export const WORK_SAVE_TEXTS: SaveTexts = { problem: workErrorText, field: (t, e) => workFieldText(t, e) }
