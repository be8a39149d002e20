import i18next from 'i18next'
import type { HostText } from '@shared/contract/host-text'
import { hostText } from '../../renderer/src/i18n/host-text'
import { hostTextsEn } from '../../renderer/src/i18n/host-texts.en'
import { hostTextsZh } from '../../renderer/src/i18n/host-texts.zh'

const instance = i18next.createInstance()
void instance.init({
  resources: { zh: { translation: { hostText: hostTextsZh } }, en: { translation: { hostText: hostTextsEn } } },
  lng: 'zh',
  interpolation: { escapeValue: false },
  initAsync: false,
})

/** A text the host sent, as the renderer words it in Chinese (tests read what a person reads). */
export function zhText(text: HostText): string {
  return hostText(instance.getFixedT('zh'), text)
}

/** The same in English. */
export function enText(text: HostText): string {
  return hostText(instance.getFixedT('en'), text)
}
