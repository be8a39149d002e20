import { describe, expect, it } from 'vitest'
import { statusTotals } from '@shared/domain/board-totals'
import { escapeHtml } from '../../renderer/src/features/board/board-grid'
import { patchUnits, reconcile, remember, remembered, type BoardData, type BoardUnit } from '../../renderer/src/features/board/use-board'

function unit(id: number, over: Partial<BoardUnit> = {}): BoardUnit {
  return {
    id,
    buildingId: 1,
    floor: 1 + Math.floor(id / 10),
    number: String(100 + id),
    layout: '三室两厅',
    area: 8920,
    orientation: '南',
    listPrice: 2_500_000_00,
    unitPrice: 0,
    tags: [],
    status: 'available',
    tx: null,
    version: 0,
    ...over,
  }
}

function board(units: BoardUnit[]): BoardData {
  return {
    project: { id: 7, name: '滨江壹号', district: null },
    buildings: [{ id: 1, name: '1号楼', floors: 3, unitsPerFloor: 10 }],
    units,
    totals: statusTotals(units),
    palette: {} as BoardData['palette'],
    generatedAt: '2026-11-25T02:00:00.000Z',
  }
}

const deal = { id: 1, clientId: 3, clientName: '张三', agentName: '李四', yours: true, price: 2_400_000_00, paid: 2_000_000, expiresAt: null, updatedAt: '2026-11-25T02:01:00.000Z', reason: null, member: null }

describe('an open board taking a push', () => {
  const before = board([unit(1), unit(2), unit(3)])

  it('replaces only the changed unit object and recomputes the totals', () => {
    const fresh = unit(2, { status: 'small_deposit', version: 1, tx: deal })
    const after = patchUnits(before, [fresh, unit(3)], '2026-11-25T02:01:00.000Z')!
    expect(after.units[0]).toBe(before.units[0])
    expect(after.units[1]).toBe(fresh)
    // an equal unit read again keeps its old object: its cell is not repainted
    expect(after.units[2]).toBe(before.units[2])
    expect(after.totals).toEqual(
      expect.arrayContaining([
        { status: 'available', count: 2, area: 17840, amount: 5_000_000_00 },
        { status: 'small_deposit', count: 1, area: 8920, amount: 2_400_000_00 },
      ]),
    )
    expect(after.generatedAt).toBe('2026-11-25T02:01:00.000Z')
  })

  it('keeps the very same board when nothing changed', () => {
    expect(patchUnits(before, [unit(1)], 'later')).toBe(before)
  })

  it('asks for a full reload when a unit is not on the board', () => {
    expect(patchUnits(before, [unit(99)], 'later')).toBeNull()
  })

  it('a full reload keeps the objects of unchanged units', () => {
    const next = board([unit(1), unit(2, { version: 2, status: 'withheld' }), unit(3)])
    const r = reconcile(before, next)
    expect(r.units[0]).toBe(before.units[0])
    expect(r.units[1]).toBe(next.units[1])
    expect(reconcile(before, board([unit(1), unit(2), unit(3)])).units).toBe(before.units)
  })
})

describe('cells written as HTML', () => {
  it('escapes what came from an imported Excel file', () => {
    expect(escapeHtml(`<img src=x onerror="alert('1')">&`)).toBe('&lt;img src=x onerror=&quot;alert(&#39;1&#39;)&quot;&gt;&amp;')
  })
})

describe('boards remembered for reopening', () => {
  const of = (projectId: number) => ({ ...board([unit(1)]), project: { id: projectId, name: `P${projectId}`, district: null } })

  it('gives a board back only to the same sign-in, and keeps the last three projects', () => {
    const first = of(1)
    remember('token-a', first)
    expect(remembered('token-a', 1)).toBe(first)
    // another user on this PC never sees what the first one saw
    expect(remembered('token-b', 1)).toBeNull()
    expect(remembered(undefined, 1)).toBeNull()
    remember('token-b', of(2))
    expect(remembered('token-a', 1)).toBeNull()
    for (const id of [3, 4, 5]) remember('token-b', of(id))
    expect(remembered('token-b', 2)).toBeNull()
    expect([3, 4, 5].map((id) => remembered('token-b', id)?.project.id)).toEqual([3, 4, 5])
  })
})
