import type { TFunction } from 'i18next'
import type { ApiErrorShape } from '@shared/contract/common'
import { UnitStatus } from '@shared/domain/unit-status'
import { formatBranchTime } from '@shared/domain/branch-time'
import { errorText, roleName } from '../../i18n/error-text'
import { isTextIn } from '../../i18n/text-keys'
import { zh } from '../../i18n/zh'

/** fen -> 万元 with up to 2 decimals ("268.5"). */
export function wan(fen: number): string {
  return String(Number((fen / 1_000_000).toFixed(2)))
}

/** A time on the branch clock as month, day and time ("12-08 09:15"): when a 小订 or hold runs out. */
export function monthDayTime(iso: string): string {
  return formatBranchTime(iso).slice(5)
}

/** A change in fen -> 万元 with its sign ("+12.5", "-3", "0"). */
export function signedWan(fen: number): string {
  return fen > 0 ? `+${wan(fen)}` : wan(fen)
}

/** fen -> yuan with thousands separators ("12,000"). */
export function yuan(fen: number): string {
  return (fen / 100).toLocaleString('zh-CN', { maximumFractionDigits: 2 })
}

/** fen per m² -> whole yuan per m² with separators ("27,691"): nobody quotes a unit price in cents. */
export function yuanPerSqm(fenPerSqm: number): string {
  return yuan(Math.round(fenPerSqm / 100) * 100)
}

/** 0.01 m² -> m² ("89.5"). */
export function sqm(area: number): string {
  return String(area / 100)
}

/** yuan typed in a form -> fen. */
export function toFen(yuanValue: number): number {
  return Math.round(yuanValue * 100)
}

/** The text before and after a value in a text with one `{{v}}` (e.g. "{{v}}㎡" -> ['', '㎡']). */
type Affixes = readonly [before: string, after: string]

/**
 * The words around a value in one of the board's unit texts, read once: a grid of 12,000 cells
 * then builds its texts without a t() call per cell.
 */
function affixes(t: TFunction, key: 'board.sqmShort' | 'board.cellPrice'): Affixes {
  const marker = '\u0000'
  const text = t(key, { v: marker })
  const at = text.indexOf(marker)
  return at < 0 ? [text, ''] : [text.slice(0, at), text.slice(at + marker.length)]
}

/** How a board cell writes its area and price in the UI language: the words around each, and the price's sum written short. */
export interface CellUnits {
  area: Affixes
  price: Affixes
  /** fen as a short sum in 万 (204.1): the cell's words name the unit (万, × ¥10k) */
  amount(fen: number): string
}

/** The cell words and sums of the language `t` speaks. */
export function cellUnitsOf(t: TFunction): CellUnits {
  // every language writes big sums in 万 (English: × ¥10k), as the rest of the board does
  return { area: affixes(t, 'board.sqmShort'), price: affixes(t, 'board.cellPrice'), amount: wan }
}

/** A unit status's name (`small_deposit` -> 小订); a value that is no status stays as it is. */
export function statusName(t: TFunction, status: string): string {
  const parsed = UnitStatus.safeParse(status)
  return parsed.success ? t(`board.status.${parsed.data}`) : status
}

/** The board's own words for board errors (e.g. "该房源已被 张三 小订"), else the app-wide error text. */
export function boardErrorText(t: TFunction, e: ApiErrorShape): string {
  const reason = e.reason ?? ''
  const params = e.params ?? {}
  if (e.code === 'CONFLICT' && reason.startsWith('unit_') && params.holder !== undefined) {
    // a manager's hold names no agent
    return t('board.errors.held', { holder: params.holder || t('roles.manager'), status: statusName(t, String(params.status ?? reason.slice(5))) })
  }
  if (isTextIn(zh.board.errors, reason)) {
    const money = (k: string) => (typeof params[k] === 'number' ? yuan(params[k]) : params[k])
    const role = typeof params.role === 'string' ? roleName(t, params.role) : ''
    const from = params.from === undefined ? '' : statusName(t, String(params.from))
    return t(`board.errors.${reason}`, { ...params, from, balance: money('balance'), total: money('total'), price: money('price'), role })
  }
  return errorText(t, e)
}

/** Time left until an ISO time, as hours and minutes (null when passed). */
export function timeLeft(iso: string, now = Date.now()): { h: number; m: number } | null {
  const ms = new Date(iso).getTime() - now
  if (ms <= 0) return null
  const mins = Math.floor(ms / 60_000)
  return { h: Math.floor(mins / 60), m: mins % 60 }
}
