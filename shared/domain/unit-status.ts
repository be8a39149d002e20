import { z } from 'zod'

/** A unit's status, derived from its one live transaction (DESIGN §5); `available` when it has none. */
export const UnitStatus = z.enum(['available', 'hold', 'small_deposit', 'pledge', 'subscribe', 'sign', 'sold', 'withheld'])
export type UnitStatus = z.infer<typeof UnitStatus>

/** The sales chain: a live transaction only moves forward along it. */
export const CHAIN: readonly UnitStatus[] = ['hold', 'small_deposit', 'pledge', 'subscribe', 'sign', 'sold']

/** Whether a live transaction may move from one status to another (forward only; hold may go anywhere after it). */
export function mayAdvance(from: UnitStatus, to: UnitStatus): boolean {
  const a = CHAIN.indexOf(from)
  const b = CHAIN.indexOf(to)
  return a >= 0 && b > a
}

/** Default board colours, and a colour-blind-safe alternative (Okabe–Ito). */
export const DEFAULT_PALETTE: Record<UnitStatus, string> = {
  available: '#52c41a',
  hold: '#faad14',
  small_deposit: '#fadb14',
  pledge: '#13c2c2',
  subscribe: '#1677ff',
  sign: '#722ed1',
  sold: '#f5222d',
  withheld: '#8c8c8c',
}
export const SAFE_PALETTE: Record<UnitStatus, string> = {
  available: '#009E73',
  hold: '#E69F00',
  small_deposit: '#F0E442',
  pledge: '#56B4E9',
  subscribe: '#0072B2',
  sign: '#CC79A7',
  sold: '#D55E00',
  withheld: '#999999',
}
