/**
 * Which paper a subscription pick prints: every pick prints the 认购书; a villa also prints the
 * 别墅预定协议 (the seed: villa buyers sign a reservation agreement). A unit is a villa when its
 * unit sheet says so: the 特殊标签 (tags) column holds "别墅", or the 户型 (layout) names it.
 */

const VILLA = '别墅'

/** True for a unit the unit sheet marks as a villa (tag "别墅", or a layout such as "独栋别墅"). */
export function isVilla(tags: readonly string[], layout: string | null): boolean {
  return tags.some((t) => t.trim() === VILLA) || (layout ?? '').includes(VILLA)
}

/** What the holder still owes on the deal price once the 意向金 counts towards it (never below zero). */
export function amountDue(dealPrice: number, deposit: number): number {
  return Math.max(0, dealPrice - deposit)
}
