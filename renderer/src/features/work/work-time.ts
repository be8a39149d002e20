import type { TFunction } from 'i18next'

/** How long ago a time was, in days, hours or minutes: "3 天", "5 小时". */
export function agoText(t: TFunction, iso: string, now: Date = new Date()): string {
  const minutes = Math.max(0, Math.floor((now.getTime() - Date.parse(iso)) / 60_000))
  if (minutes >= 24 * 60) return `${Math.floor(minutes / (24 * 60))} ${t('work.common.days')}`
  if (minutes >= 60) return `${Math.floor(minutes / 60)} ${t('work.common.hours')}`
  return `${minutes} ${t('work.common.minutes')}`
}
