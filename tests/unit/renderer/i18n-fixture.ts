import i18next, { type TFunction } from 'i18next'
import { en } from '../../../renderer/src/i18n/en'
import { zh } from '../../../renderer/src/i18n/zh'

/** A t() of the renderer's own texts in one language, as the app sets i18next up (no React). */
export async function textsIn(lng: 'zh' | 'en'): Promise<TFunction> {
  const i = i18next.createInstance()
  await i.init({ resources: { zh: { translation: zh }, en: { translation: en } }, lng, fallbackLng: 'zh', interpolation: { escapeValue: false } })
  return i.t
}

/** The text under a dotted key in one language's resources, or undefined (for sweeps over keys built at run time). */
export function rawText(lng: 'zh' | 'en', key: string): string | undefined {
  let node: unknown = lng === 'zh' ? zh : en
  for (const part of key.split('.')) node = typeof node === 'object' && node !== null ? Reflect.get(node, part) : undefined
  return typeof node === 'string' ? node : undefined
}
