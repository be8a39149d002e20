/**
 * Behaviour tags (seed 002: 动态标签, e.g. 学区房偏好 / 近3天咨询2次): written by the host from what a
 * client did, never typed by anyone. A tag is stored as a key with an optional value after a colon
 * (`enquiries:3`, `prefers:school`), so the screens can word it in either language.
 */

/** The thresholds of each tag's rule: fixed for the branch, shown read-only to the manager (设置). */
export const BEHAVIOUR_TAG_RULES = {
  /** 近3天咨询N次: at least `min` contacts (call, WeChat, SMS, visit, viewing, front-desk arrival) in the last `days` days */
  enquiries: { days: 3, min: 2 },
  /** 近期有联系: a contact in the last `days` days */
  recentContact: { days: 7 },
  /** 学区房偏好 / 地铁房偏好 / 公寓偏好 …: an active need asks for a school, a metro or a property type */
  prefers: {},
  /** 愿意超预算: a unit booked or viewed in the last `days` days is listed at least `overPercent` % above the client's highest budget */
  budgetStretch: { days: 90, overPercent: 10 },
  /** 预算内看房: every unit booked or viewed in the last `days` days is listed within the client's highest budget */
  withinBudget: { days: 90 },
} as const

/** The kinds of behaviour tag, in the order a profile shows them. */
export const BEHAVIOUR_TAG_KINDS = ['enquiries', 'recentContact', 'prefers', 'budgetStretch', 'withinBudget'] as const
export type BehaviourTagKind = (typeof BEHAVIOUR_TAG_KINDS)[number]

/** What the tags of one client are computed from (gathered by the host for many clients at once). */
export interface BehaviourSignals {
  /** contacts in the enquiry window */
  recentEnquiries: number
  /** the last contact, if any in the recent-contact window (UTC ISO) */
  lastContactAt: string | null
  /** what the client's active needs ask for: school, metro, property types */
  preferences: readonly string[]
  /** the highest total budget among the active needs (fen), if any names one */
  budgetMax: number | null
  /** the highest list price (fen) of the units booked or viewed in the price window, if any */
  viewedMaxPrice: number | null
}

/** A client's behaviour tags from their signals, in a stable order (so an unchanged client is not rewritten). */
export function behaviourTagsOf(s: BehaviourSignals): string[] {
  const tags: string[] = []
  if (s.recentEnquiries >= BEHAVIOUR_TAG_RULES.enquiries.min) tags.push(`enquiries:${s.recentEnquiries}`)
  if (s.lastContactAt !== null) tags.push('recentContact')
  for (const p of [...new Set(s.preferences)].sort()) tags.push(`prefers:${p}`)
  if (s.budgetMax !== null && s.budgetMax > 0 && s.viewedMaxPrice !== null) {
    if (s.viewedMaxPrice * 100 >= s.budgetMax * (100 + BEHAVIOUR_TAG_RULES.budgetStretch.overPercent)) tags.push('budgetStretch')
    else if (s.viewedMaxPrice <= s.budgetMax) tags.push('withinBudget')
  }
  return tags
}

/** A stored tag split into its kind and value (`enquiries:3` -> enquiries, '3'); null for a key no rule writes. */
export function parseBehaviourTag(tag: string): { kind: BehaviourTagKind; value: string } | null {
  const at = tag.indexOf(':')
  const kind = at < 0 ? tag : tag.slice(0, at)
  const found = BEHAVIOUR_TAG_KINDS.find((k) => k === kind)
  return found ? { kind: found, value: at < 0 ? '' : tag.slice(at + 1) } : null
}
