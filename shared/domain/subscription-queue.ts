/**
 * The day's queue of a subscription event (认购日): who picks when. Cards carried over from an
 * earlier event come first, in their old order; then the event's own cards by card number (the
 * seed's rule) or by the draw. Each day takes `cardsPerDay` of them in groups of `groupSize`;
 * cards past the last day's places are not placed (they may carry their priority over).
 */

export interface QueuePlace {
  cardId: number
  /** 0-based place in the whole event */
  position: number
  /** 1-based day of the event, group of the day */
  day: number
  group: number
}

/** The places of the cards given in priority order. */
export function buildQueue(cardIdsInOrder: readonly number[], o: { days: number; cardsPerDay: number; groupSize: number }): { placed: QueuePlace[]; unplaced: number[] } {
  const capacity = o.days * o.cardsPerDay
  const placed = cardIdsInOrder.slice(0, capacity).map((cardId, position) => ({
    cardId,
    position,
    day: Math.floor(position / o.cardsPerDay) + 1,
    group: Math.floor((position % o.cardsPerDay) / o.groupSize) + 1,
  }))
  return { placed, unplaced: cardIdsInOrder.slice(capacity) }
}

/** How many groups a day has when it holds `cards` cards. */
export function groupsOfDay(cards: number, groupSize: number): number {
  return Math.ceil(cards / groupSize)
}

/** The group being called, as stored: which, and until when (ISO). */
export interface CallState {
  group: number
  deadline: string
}

/**
 * The group that is being called at `now`, from the last stored call: when a group's time runs out
 * the next is called with a full period of its own, until the day's last group's time runs out
 * (then `dayOver`). `passed` lists the groups whose time ran out since the stored state; `ended`
 * says when each of them ended (its deadline, which is also when the next one was called).
 */
export function callAt(stored: CallState, now: Date, o: { groupMs: number; lastGroup: number }): CallState & { dayOver: boolean; passed: number[]; ended: Array<{ group: number; at: string }> } {
  let group = stored.group
  let deadline = Date.parse(stored.deadline)
  const passed: number[] = []
  const ended: Array<{ group: number; at: string }> = []
  while (now.getTime() >= deadline) {
    passed.push(group)
    ended.push({ group, at: new Date(deadline).toISOString() })
    if (group >= o.lastGroup) return { group, deadline: new Date(deadline).toISOString(), dayOver: true, passed, ended }
    group++
    deadline += o.groupMs
  }
  return { group, deadline: new Date(deadline).toISOString(), dayOver: false, passed, ended }
}
