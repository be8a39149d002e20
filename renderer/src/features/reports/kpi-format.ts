import type { TFunction } from 'i18next'
import { KPI_DIRECTION, type KpiId } from '@shared/domain/kpi'

/** A KPI value as read: "92.5%", "1.8 小时", or 暂无数据 for none. */
export function formatKpi(t: TFunction, id: KpiId, value: number | null): string {
  if (value === null) return t('reports.noData')
  if (id === 'responseHours') return t('reports.hours', { value: round1(value) })
  return `${round1(value)}%`
}

/** A target as read beside its value: "目标 ≥ 90%", "目标 ≤ 2 小时". */
export function formatTarget(t: TFunction, id: KpiId, target: number): string {
  const shown = id === 'responseHours' ? t('reports.hours', { value: round1(target) }) : `${round1(target)}%`
  return t(KPI_DIRECTION[id] === 'atLeast' ? 'reports.targetAtLeast' : 'reports.targetAtMost', { target: shown })
}

/** One decimal at most (90, 92.5). */
export function round1(v: number): number {
  return Math.round(v * 10) / 10
}
