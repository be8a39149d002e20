/**
 * Rehearsal (演练) of a subscription day: generated holders, each clearly marked as such, with wish
 * lists drawn from the units in play so that neighbouring cards contest a few of the same units (the
 * earlier card's priority is what staff practise); and the simulated pick of a group's holder when
 * the manager lets a group run by itself. Deterministic from a seed, so a rehearsal can be replayed.
 */

/** The mark every generated holder's name carries. */
export const REHEARSAL_MARK = '演练'

/** The fake holder of rehearsal card `cardNo` (演练客001). */
export function rehearsalHolderName(cardNo: number): string {
  return `${REHEARSAL_MARK}客${String(cardNo).padStart(3, '0')}`
}

/** A small seeded generator (mulberry32): the same seed gives the same rehearsal. */
function seeded(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/**
 * Wish lists of `holders` generated cards (card 1 first) over `units`: each card wishes for up to
 * `wishes` units. A third of the cards put a "hot" unit shared with the cards of their group first
 * (the contests), the rest draw their wishes freely; no unit twice on one list.
 */
export function rehearsalWishes(holders: number, units: readonly number[], o: { groupSize: number; wishes: number; seed: number }): number[][] {
  const rand = seeded(o.seed)
  const out: number[][] = []
  if (units.length === 0) return Array.from({ length: holders }, () => [])
  for (let c = 0; c < holders; c++) {
    const list: number[] = []
    const group = Math.floor(c / o.groupSize)
    if (c % 3 === 0) list.push(units[group % units.length]!)
    while (list.length < Math.min(o.wishes, units.length)) {
      const u = units[Math.floor(rand() * units.length)]!
      if (!list.includes(u)) list.push(u)
    }
    out.push(list)
  }
  return out
}

/** The unit a holder picks when the group runs by itself: the first wish still free, else none (a pass). */
export function simulatedPick(wishes: readonly number[], taken: ReadonlySet<number>): number | null {
  return wishes.find((u) => !taken.has(u)) ?? null
}
