/**
 * The contest rule of a picking group (同一房号有多个客户认购，以卡号在先者先定): a card's priority
 * protects its wish list. A pick of a unit is refused while an earlier card of the same group that
 * has not yet picked, passed or been marked absent has that unit on its wish list; once that card
 * has decided, the unit is free to the next. A unit on no earlier card's list is picked at once.
 */

export interface GroupSeat {
  cardId: number
  cardNo: number
  position: number
  /** still able to pick (present or not yet arrived; not picked, passed or absent) */
  open: boolean
  wishes: readonly number[]
}

/** The earlier open card of the group that a pick of `unitId` by `cardId` must wait for, or null. */
export function pickBlocker(group: readonly GroupSeat[], cardId: number, unitId: number): GroupSeat | null {
  const me = group.find((s) => s.cardId === cardId)
  if (!me) return null
  const earlier = group.filter((s) => s.position < me.position && s.open && s.wishes.includes(unitId))
  return earlier.sort((a, b) => a.position - b.position)[0] ?? null
}
