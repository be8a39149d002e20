import { toFen } from './format'

/** How a bulk price change is given: a percentage of each list price, or yuan added to each. */
export type PriceChangeMode = 'percent' | 'amount'

/** A new list price in fen, rounded to the yuan: up or down by a percentage, or by an amount of yuan per unit. */
export function newListPrice(was: number, mode: PriceChangeMode, change: number): number {
  const fen = mode === 'percent' ? was * (1 + change / 100) : was + toFen(change)
  return Math.round(fen / 100) * 100
}
