import type { UnitStatus } from './unit-status'

export interface StatusTotal {
  status: UnitStatus
  count: number
  /** 0.01 m² */
  area: number
  /** fen: the deal price where there is a deal, else the list price */
  amount: number
}

/** Count, area and amount per status; the host sends them with the board and an open board recomputes them after a push. */
export function statusTotals(units: ReadonlyArray<{ status: UnitStatus; area: number; listPrice: number; tx: { price: number } | null }>): StatusTotal[] {
  const by = new Map<UnitStatus, StatusTotal>()
  for (const u of units) {
    let t = by.get(u.status)
    if (!t) by.set(u.status, (t = { status: u.status, count: 0, area: 0, amount: 0 }))
    t.count++
    t.area += u.area
    t.amount += u.tx?.price || u.listPrice
  }
  return [...by.values()]
}
