import type { TFunction } from 'i18next'
import { DEFAULT_RULES } from '@shared/domain/rules'

/**
 * The lost reasons a branch starts with (DEFAULT_RULES.lostReasons, stored in Chinese as the
 * branch's own list), by the name of their words under `lostReasons`. A manager may rename or add
 * reasons: those are the branch's data and show as typed.
 */
const SHIPPED_LOST_REASONS: Readonly<Record<string, 'boughtElsewhere' | 'budget' | 'cancelled' | 'unreachable' | 'unhappy' | 'other'>> = {
  已在他处成交: 'boughtElsewhere',
  预算不足: 'budget',
  需求取消: 'cancelled',
  长期联系不上: 'unreachable',
  对服务不满意: 'unhappy',
  其他: 'other',
}

/** The lost reasons that ship with the product (each has zh and en words). */
export const SHIPPED_LOST_REASON_VALUES: readonly string[] = DEFAULT_RULES.lostReasons

/** A lost reason in the UI language: a shipped one in its words, one the branch typed as it is. */
export function lostReasonText(t: TFunction, reason: string): string {
  const name = Object.hasOwn(SHIPPED_LOST_REASONS, reason) ? SHIPPED_LOST_REASONS[reason] : undefined
  return name ? t(`lostReasons.${name}`) : reason
}

/** Select options for lost reasons, each labelled in the UI language (the value stays the stored text). */
export function lostReasonOptions(t: TFunction, reasons: readonly string[]): Array<{ value: string; label: string }> {
  return reasons.map((value) => ({ value, label: lostReasonText(t, value) }))
}

/**
 * The member levels a branch starts with (migration 004, stored in Chinese as the branch's own
 * list), by the name of their words under `clubLevels`. Levels the manager renames or adds show as typed.
 */
const SHIPPED_CLUB_LEVELS: Readonly<Record<string, 'standard' | 'silver' | 'gold' | 'diamond'>> = {
  普通会员: 'standard',
  银卡会员: 'silver',
  金卡会员: 'gold',
  钻石会员: 'diamond',
}

/** The member levels that ship with the product (each has zh and en words). */
export const SHIPPED_CLUB_LEVEL_NAMES: readonly string[] = Object.keys(SHIPPED_CLUB_LEVELS)

/** A member level's name in the UI language: a shipped one in its words, one the branch named as it is. */
export function clubLevelText(t: TFunction, level: string): string {
  const name = Object.hasOwn(SHIPPED_CLUB_LEVELS, level) ? SHIPPED_CLUB_LEVELS[level] : undefined
  return name ? t(`clubLevels.${name}`) : level
}
