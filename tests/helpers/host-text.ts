import i18next from 'i18next'
import type { HostText } from '@shared/contract/host-text'
import { hostText } from '../../renderer/src/i18n/host-text'
import { en } from '../../renderer/src/i18n/en'
import { zh } from '../../renderer/src/i18n/zh'

const instance = i18next.createInstance()
void instance.init({
  resources: { zh: { translation: zh }, en: { translation: en } },
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
