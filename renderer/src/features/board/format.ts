import type { TFunction } from 'i18next'
import type { ApiErrorShape } from '@shared/contract/common'
import { UNIT_STATUS_LABELS, type UnitStatus } from '@shared/domain/unit-status'
import { errorText } from '../../i18n/error-text'

/** fen -> 万元 with up to 2 decimals ("268.5"). */
export function wan(fen: number): string {
  return String(Number((fen / 1_000_000).toFixed(2)))
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

/** The board's own words for board errors (e.g. "该房源已被 张三 小订"), else the app-wide error text. */
export function boardErrorText(t: TFunction, e: ApiErrorShape): string {
  const reason = e.reason ?? ''
  const params = e.params ?? {}
  if (e.code === 'CONFLICT' && reason.startsWith('unit_') && params.holder !== undefined) {
    const status = String(params.status ?? reason.slice(5)) as UnitStatus
    // a manager's hold names no agent
    return t('board.errors.held', { holder: params.holder || t('roles.manager'), status: t(`board.status.${status}`, { defaultValue: UNIT_STATUS_LABELS[status] }) })
  }
  if (reason && t(`board.errors.${reason}`, { defaultValue: '' })) {
    const from = params.from as UnitStatus | undefined
    const money = (k: string) => (typeof params[k] === 'number' ? yuan(params[k]) : params[k])
    const role = typeof params.role === 'string' ? t(`roles.${params.role}`, { defaultValue: params.role }) : ''
    return t(`board.errors.${reason}`, { ...params, from: from ? t(`board.status.${from}`) : '', balance: money('balance'), total: money('total'), price: money('price'), role })
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

export function localTime(iso: string): string {
  return new Date(iso).toLocaleString('zh-CN', { hour12: false })
}
