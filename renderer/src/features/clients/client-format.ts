import type { TFunction } from 'i18next'
import { formatBranchTime } from '@shared/domain/branch-time'

const HOUR = 3_600_000
const DAY = 24 * HOUR

/** 0.01 m² integers (as stored) to m². */
export function areaToM2(v: number | null | undefined): number | null {
  return v == null ? null : v / 100
}

/** m² as typed to 0.01 m² integers. */
export function m2ToArea(v: number | null | undefined): number | null {
  return v == null ? null : Math.round(v * 100)
}

/** fen (as stored) to 万元. */
export function fenToWan(v: number | null | undefined): number | null {
  return v == null ? null : v / 1_000_000
}

/** 万元 as typed to fen. */
export function wanToFen(v: number | null | undefined): number | null {
  return v == null ? null : Math.round(v * 1_000_000)
}

/** fen (as stored) to 元. */
export function fenToYuan(v: number | null | undefined): number | null {
  return v == null ? null : v / 100
}

/** 元 as typed to fen. */
export function yuanToFen(v: number | null | undefined): number | null {
  return v == null ? null : Math.round(v * 100)
}

/** A number as a counter clerk reads it: grouped digits, at most two decimals. */
export function plainNumber(v: number, lang: string): string {
  return v.toLocaleString(lang === 'en' ? 'en-US' : 'zh-CN', { maximumFractionDigits: 2 })
}

type ProtectionState = 'none' | 'active' | 'ending' | 'expired'

/** How much protection a client has left (保护期), with the words to show it; `short` for grid cells (剩 5 天). */
export function protectionText(
  t: TFunction,
  until: string | null | undefined,
  now = Date.now(),
  short = false,
): { text: string; state: ProtectionState; title: string } {
  const k = <K extends 'none' | 'expired' | 'hoursLeft' | 'daysLeft'>(key: K) => (short ? (`clients.protection.${key}Short` as const) : (`clients.protection.${key}` as const))
  if (!until) return { text: t(k('none')), state: 'none', title: '' }
  const left = new Date(until).getTime() - now
  const title = t('clients.protection.until', { time: formatBranchTime(until) })
  if (left <= 0) return { text: t(k('expired')), state: 'expired', title }
  if (left < DAY) return { text: t(k('hoursLeft'), { count: Math.max(1, Math.ceil(left / HOUR)) }), state: 'ending', title }
  const days = Math.ceil(left / DAY)
  return { text: t(k('daysLeft'), { count: days }), state: days <= 3 ? 'ending' : 'active', title }
}

/** The antd colour of a client tier tag. */
export function tierColor(tier: string | undefined): string | undefined {
  switch (tier) {
    case 'vip':
      return 'gold'
    case 'key':
      return 'volcano'
    case 'normal':
      return 'blue'
    default:
      return undefined
  }
}

/** The antd colour of a lifecycle stage tag. */
export function stageColor(stage: string | undefined): string | undefined {
  switch (stage) {
    case 'intent':
      return 'cyan'
    case 'negotiating':
      return 'orange'
    case 'closed':
      return 'green'
    case 'repeat':
      return 'purple'
    case 'lost':
      return 'default'
    default:
      return undefined
  }
}

/** Text or null: empty input fields become null for the API. */
export function orNull(s: string | null | undefined): string | null {
  const v = s?.trim() ?? ''
  return v === '' ? null : v
}

/**
 * A search that is part of a phone number (4 to 10 digits, spaces and dashes allowed): the host
 * matches those only against clients the viewer sees in full; a mainland number is 11 digits
 * with its area code, so anyone else's client needs the whole number (say so when nothing is found).
 */
export function isPartialNumber(q: string): boolean {
  const text = q.normalize('NFKC').trim()
  if (!/^[0-9 ()+-]+$/.test(text)) return false
  const digits = text.replace(/\D/g, '').length
  return digits >= 4 && digits < 11
}
