import type { TFunction } from 'i18next'
import type { OutputOf } from '@shared/contract'

/** What 前台 shows about one client: the host's desk card (cards.identify). */
export type DeskCard = Extract<OutputOf<'cards.identify'>, { card: unknown }>['card']

const DAY_MS = 86_400_000

/** Whole days of protection left (rounded up), 0 when it has run out, null when there is none. */
export function protectionDaysLeft(protectedUntil: string | null, now: number = Date.now()): number | null {
  if (!protectedUntil) return null
  return Math.max(0, Math.ceil((Date.parse(protectedUntil) - now) / DAY_MS))
}

/** The protection countdown in words and its colour: 保护期剩 12 天 / 已过保护期 / 公客. */
export function protectionText(
  t: TFunction,
  protectedUntil: string | null,
  hasOwner: boolean,
  now: number = Date.now(),
): { text: string; tone: 'ok' | 'soon' | 'over' | 'none' } {
  const days = protectionDaysLeft(protectedUntil, now)
  if (days === null) return { text: t(hasOwner ? 'frontDesk.protection.none' : 'frontDesk.protection.public'), tone: 'none' }
  if (days === 0) return { text: t('frontDesk.protection.over'), tone: 'over' }
  return { text: t('frontDesk.protection.left', { days }), tone: days <= 7 ? 'soon' : 'ok' }
}

/** A member discount as the branch says it: 5‰ -> 9.95 折; 0 -> 无折扣. */
export function discountText(t: TFunction, permille: number): string {
  if (permille <= 0) return t('frontDesk.club.noDiscount')
  const zhe = (1000 - permille) / 100
  return t('frontDesk.club.discount', { zhe: String(Number(zhe.toFixed(2))) })
}

/** A card's number as printed on it: an 8-hex-digit UID as the 10-digit decimal printed on most cards; longer UIDs (no printed number) as they are. */
export function cardNumberText(uid: string): string {
  return /^[0-9A-F]{8}$/i.test(uid) ? String(parseInt(uid, 16)).padStart(10, '0') : uid
}

/** A typed text that could be a card number (6+ decimal or hex digits). */
export function looksLikeCard(q: string): boolean {
  return /^[0-9a-fA-F]{6,}$/.test(q)
}
