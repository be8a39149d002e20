import type { TFunction } from 'i18next'
import type { HostText } from '@shared/contract/host-text'
import { NAMES_SEPARATOR } from '@shared/domain/host-text-keys'
import { hostTextsZh } from './host-texts.zh'
import { lostReasonText } from './shipped-words'
import { isTextIn } from './text-keys'

/** How deep `ofKey` texts may nest (an escalation names a task; nothing names an escalation). */
const MAX_DEPTH = 3

/**
 * A text the host sent (a task's title, a notice, a ledger reason …) in the chosen language:
 * the words of its key under `hostText` (host-texts.zh.ts / host-texts.en.ts) with its parameters.
 * `ofKey` is worded as the text it names (with the same parameters), `names` joined the way the
 * language lists things. A key this renderer does not know (a newer host) shows its parameters.
 */
export function hostText(t: TFunction, text: HostText, depth = 0): string {
  const { ofKey, names, ...rest } = text.params
  const params: Record<string, string | number> = { ...rest }
  if (typeof ofKey === 'string' && depth < MAX_DEPTH) params.ofKey = hostText(t, { key: ofKey, params: rest }, depth + 1)
  // a shipped lost reason is worded in the UI language; one the branch typed shows as it is
  if (text.key === 'followup.lost' && typeof rest.reason === 'string') params.reason = lostReasonText(t, rest.reason)
  if (names !== undefined) params.names = listOf(String(names).split(NAMES_SEPARATOR), languageOf(t))
  if (!isTextIn(hostTextsZh, text.key)) return Object.values(rest).join(' ')
  // keys hold dots ("task.needs"): i18next finds such a key whole under hostText when the path does not resolve
  return t(`hostText.${text.key}`, params)
}

/** The language `t` words in (the one its words were found in). */
function languageOf(t: TFunction): string {
  return t('hostText.legacy', { text: '', returnDetails: true }).usedLng
}

/** Names joined the way a language lists them ("张三、李四和王五", "Zhang, Li, and Wang"). */
function listOf(names: readonly string[], lang: string): string {
  return new Intl.ListFormat(lang.startsWith('en') ? 'en' : 'zh', { style: 'long', type: 'conjunction' }).format(names)
}
