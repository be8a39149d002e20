import type { IDatasource, SortModelItem } from 'ag-grid-community'
import type { z } from 'zod'
import type { ApiClient } from '@shared/contract/client'
import type { ApiErrorShape } from '@shared/contract/common'
import { StaffSortField } from '@shared/contract/staff'
import type { Role } from '@shared/domain/roles'
import { pagedDatasource } from '../../grid/paged-datasource'

/** The toolbar's filters, passed to staff.list as they are. */
export interface StaffFilter {
  q?: string
  role?: Role
  active?: boolean
}

type SortField = z.infer<typeof StaffSortField>

function toSort(model: readonly SortModelItem[]): { field: SortField; dir: 'asc' | 'desc' } | undefined {
  const first = model[0]
  if (!first) return undefined
  const field = StaffSortField.safeParse(first.colId)
  return field.success ? { field: field.data, dir: first.sort } : undefined
}

/** Feeds the staff grid page by page from staff.list, sorted and filtered on the host. */
export function staffDatasource(
  api: ApiClient,
  filter: StaffFilter,
  hooks: { onTotal(total: number): void; onError(e: ApiErrorShape): void },
): IDatasource {
  return pagedDatasource(({ offset, limit, sortModel }) => api.try('staff.list', { ...filter, offset, limit, sort: toSort(sortModel) }), hooks)
}
