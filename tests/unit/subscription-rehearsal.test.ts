import { describe, expect, it } from 'vitest'
import { REHEARSAL_MARK, rehearsalHolderName, rehearsalWishes, simulatedPick } from '@shared/domain/subscription-rehearsal'

describe('rehearsal cards', () => {
  it('marks every generated holder as a rehearsal', () => {
    expect(rehearsalHolderName(7)).toBe('演练客007')
    expect(rehearsalHolderName(123)).toContain(REHEARSAL_MARK)
  })

  it('draws wish lists from the units in play, with contests inside a group, the same for the same seed', () => {
    const units = Array.from({ length: 30 }, (_, i) => 100 + i)
    const lists = rehearsalWishes(40, units, { groupSize: 10, wishes: 3, seed: 42 })
    expect(lists).toHaveLength(40)
    for (const l of lists) {
      expect(l).toHaveLength(3)
      expect(new Set(l).size).toBe(3)
      for (const u of l) expect(units).toContain(u)
    }
    // cards 1, 4, 7, 10 of group 1 all wish for the group's hot unit first
    expect([lists[0]![0], lists[3]![0], lists[6]![0], lists[9]![0]]).toEqual([100, 100, 100, 100])
    expect(rehearsalWishes(40, units, { groupSize: 10, wishes: 3, seed: 42 })).toEqual(lists)
    expect(rehearsalWishes(40, units, { groupSize: 10, wishes: 3, seed: 43 })).not.toEqual(lists)
  })

  it('asks no more wishes than there are units, and none when there are no units', () => {
    expect(rehearsalWishes(2, [5], { groupSize: 10, wishes: 3, seed: 1 })).toEqual([[5], [5]])
    expect(rehearsalWishes(2, [], { groupSize: 10, wishes: 3, seed: 1 })).toEqual([[], []])
  })
})

describe('a simulated pick', () => {
  it('takes the first wish still free, or passes', () => {
    expect(simulatedPick([1, 2, 3], new Set([1]))).toBe(2)
    expect(simulatedPick([1, 2], new Set([1, 2]))).toBeNull()
  })
})
