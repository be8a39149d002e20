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
