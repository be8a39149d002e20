import type { FormRule } from 'antd'
import type { TFunction } from 'i18next'
import { normalizeText, textProblem, type TextKind } from '@shared/domain/text-kinds'

/** The translated reason a text of this kind would be refused by the host, or null when it would be taken. */
export function textProblemText(t: TFunction, kind: TextKind, value: string): string | null {
  const p = textProblem(kind, normalizeText(kind, value))
  return p ? t(`validation.${p.reason}`, { char: p.char, glyph: p.glyph ?? '' }) : null
}

/**
 * A form rule that refuses while typing what the host refuses for a field of this kind (a
 * pasted bidi control, a control character, an emoji in a name), with the same words.
 */
export function textRule(t: TFunction, kind: TextKind): FormRule {
  return {
    validator: (_, value: unknown) => {
      const problem = typeof value === 'string' && value !== '' ? textProblemText(t, kind, value) : null
      return problem ? Promise.reject(new Error(problem)) : Promise.resolve()
    },
  }
}
