/** Points the club awards (seed 001/004: viewing, purchase, referral). */
export const CLUB_POINTS = { viewing: 10, purchase: 1000, referral: 500 } as const

export interface LevelRow {
  name: string
  minPoints: number
  discountPermille: number
}

/** The level a balance reaches, and how far the next one is. Levels come from the ledger, never by hand. */
export function levelFor(points: number, levels: readonly LevelRow[]) {
  const sorted = [...levels].sort((a, b) => a.minPoints - b.minPoints)
  let current = sorted[0] ?? { name: '', minPoints: 0, discountPermille: 0 }
  for (const l of sorted) if (points >= l.minPoints) current = l
  const next = sorted.find((l) => l.minPoints > points) ?? null
  return {
    points,
    level: current.name,
    discountPermille: current.discountPermille,
    nextLevel: next?.name ?? null,
    pointsToNext: next ? next.minPoints - points : null,
  }
}

/** How member levels are reached (seed 004): by points, or by purchase amount and number of deals. */
export const LEVEL_RULES = ['points', 'purchases'] as const
export type LevelRule = (typeof LEVEL_RULES)[number]

/** A level with both kinds of threshold; the branch's rule says which one counts. */
export interface RuledLevel extends LevelRow {
  /** purchases: at least this much bought, in fen */
  minAmountFen: number
  /** purchases: at least this many deals */
  minDeals: number
}

/** What a member has done, as the level rules measure it. */
export interface MemberMeasure {
  points: number
  amountFen: number
  deals: number
}

/** The levels in the rule's order: by the threshold the rule uses, lowest first. */
export function sortLevels<L extends RuledLevel>(rule: LevelRule, levels: readonly L[]): L[] {
  return [...levels].sort((a, b) => (rule === 'points' ? a.minPoints - b.minPoints : a.minAmountFen - b.minAmountFen || a.minDeals - b.minDeals))
}

/** Whether a member meets a level's thresholds under the rule (purchases: both the amount and the deals). */
export function meetsLevel(rule: LevelRule, m: MemberMeasure, l: RuledLevel): boolean {
  return rule === 'points' ? m.points >= l.minPoints : m.amountFen >= l.minAmountFen && m.deals >= l.minDeals
}

/** The level a member reaches under a rule: the highest one whose thresholds they meet (the first level otherwise). */
export function levelUnder(rule: LevelRule, m: MemberMeasure, levels: readonly RuledLevel[]): RuledLevel | null {
  const sorted = sortLevels(rule, levels)
  let current = sorted[0] ?? null
  for (const l of sorted) if (meetsLevel(rule, m, l)) current = l
  return current
}

/**
 * Why a level table cannot stand under a rule, or null: the first level must need nothing, no
 * two levels may need the same, a higher level needs at least as much of both purchase
 * thresholds and gives at least the discount of the one below. `index` is the level's place in
 * the table as given.
 */
export function levelTableProblem(rule: LevelRule, levels: readonly RuledLevel[]): { index: number; field: 'minPoints' | 'minAmountFen' | 'minDeals' | 'discountPermille'; reason: 'level_start' | 'level_overlap' | 'level_order' | 'level_discount' } | null {
  const sorted = sortLevels(
    rule,
    levels.map((l, index) => ({ ...l, index })),
  )
  const first = sorted[0]
  if (!first) return null
  if (rule === 'points' ? first.minPoints !== 0 : first.minAmountFen !== 0 || first.minDeals !== 0) {
    return { index: first.index, field: rule === 'points' ? 'minPoints' : first.minAmountFen !== 0 ? 'minAmountFen' : 'minDeals', reason: 'level_start' }
  }
  for (let k = 1; k < sorted.length; k++) {
    const [lo, hi] = [sorted[k - 1]!, sorted[k]!]
    if (rule === 'points' && hi.minPoints === lo.minPoints) return { index: hi.index, field: 'minPoints', reason: 'level_overlap' }
    if (rule === 'purchases') {
      if (hi.minAmountFen === lo.minAmountFen && hi.minDeals === lo.minDeals) return { index: hi.index, field: 'minAmountFen', reason: 'level_overlap' }
      // sorted by amount: a higher level asking fewer deals would make the order of levels depend on the member
      if (hi.minDeals < lo.minDeals) return { index: hi.index, field: 'minDeals', reason: 'level_order' }
    }
    if (hi.discountPermille < lo.discountPermille) return { index: hi.index, field: 'discountPermille', reason: 'level_discount' }
  }
  return null
}
