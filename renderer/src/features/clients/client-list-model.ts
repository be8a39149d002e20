import type { IDatasource, SortModelItem } from 'ag-grid-community'
import type { z } from 'zod'
import type { ApiClient } from '@shared/contract/client'
import { ClientListFilter, ClientSortField, type ClientRow } from '@shared/contract/clients'
import type { ApiErrorShape } from '@shared/contract/common'
import { pagedDatasource } from '../../grid/paged-datasource'

/** The built-in views of the client list (全部 / 我的客户 / 本组 / VIP七天未跟进). */
export const BUILT_IN_VIEWS = ['all', 'mine', 'team', 'vip_stale_7d'] as const
export type BuiltInView = (typeof BUILT_IN_VIEWS)[number]

export type ClientFilter = z.input<typeof ClientListFilter>
export type SortField = z.infer<typeof ClientSortField>
export interface ClientSort {
  field: SortField
  dir: 'asc' | 'desc'
}

/** A view a user saved under a name: built-in view, filters and sort (prefs key `clients.views`). */
export interface SavedView {
  name: string
  view: BuiltInView
  filter: ClientFilter
  sort: ClientSort | null
}

export const VIEWS_PREF = 'clients.views'
export const COLUMNS_PREF = 'clients.columns'
export const MAX_VIEWS = 20

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

/** Saved views as stored; anything unreadable is dropped rather than breaking the page. */
export function readViews(stored: unknown): SavedView[] {
  if (!Array.isArray(stored)) return []
  return stored.flatMap((v): SavedView[] => {
    if (!isObject(v) || typeof v.name !== 'string' || !isObject(v.filter)) return []
    const view = BUILT_IN_VIEWS.find((b) => b === v.view) ?? 'all'
    const sort = isObject(v.sort) ? toSort([{ colId: String(v.sort.field), sort: v.sort.dir === 'desc' ? 'desc' : 'asc' }]) ?? null : null
    // the host refuses unknown keys: a filter saved by another version keeps only what this one knows
    const filter = Object.fromEntries(Object.entries(v.filter).filter(([k]) => k in ClientListFilter.shape)) as ClientFilter
    return [{ name: v.name, view, filter, sort }]
  })
}

/** The hidden columns as stored (prefs key `clients.columns`); null means the defaults. */
export function readHiddenColumns(stored: unknown): string[] | null {
  if (!isObject(stored) || !Array.isArray(stored.hidden)) return null
  return stored.hidden.filter((c): c is string => typeof c === 'string')
}

/** The grid's sort as clients.list takes it (only the columns the host sorts by). */
export function toSort(model: readonly Pick<SortModelItem, 'colId' | 'sort'>[]): ClientSort | undefined {
  const first = model[0]
  if (!first) return undefined
  const field = ClientSortField.safeParse(first.colId)
  return field.success ? { field: field.data, dir: first.sort } : undefined
}

/** Whether a filter narrows anything (for the 清除筛选 button). */
export function hasFilter(f: ClientFilter): boolean {
  return Object.values(f).some((v) => v !== undefined && !(Array.isArray(v) && v.length === 0))
}

/** Drops empty parts so the request and saved views stay small. */
export function compactFilter(f: ClientFilter): ClientFilter {
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(f)) {
    if (v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0)) continue
    out[k] = v
  }
  return out as ClientFilter
}

/** Feeds the client grid block by block from clients.list: paging, sort and filter run on the host. */
export function clientDatasource(
  api: ApiClient,
  query: { view: BuiltInView; filter: ClientFilter },
  hooks: { onTotal(total: number, exact: boolean): void; onError(e: ApiErrorShape): void },
): IDatasource {
  return pagedDatasource<ClientRow>(({ offset, limit, sortModel }) => api.try('clients.list', { view: query.view, filter: query.filter, offset, limit, sort: toSort(sortModel) }), hooks)
}

/** A total as the toolbar says it: exact, or "about" with two significant digits (约 2,200). */
export function roundedTotal(total: number, exact: boolean): number {
  if (exact || total < 100) return total
  const step = 10 ** (Math.floor(Math.log10(total)) - 1)
  return Math.round(total / step) * step
}
