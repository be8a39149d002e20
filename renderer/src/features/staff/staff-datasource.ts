import type { IDatasource, SortModelItem } from 'ag-grid-community'
import type { z } from 'zod'
import type { ApiClient } from '../../../../shared/contract/client'
import type { ApiErrorShape } from '../../../../shared/contract/common'
import { StaffSortField } from '../../../../shared/contract/staff'
import type { Role } from '../../../../shared/domain/roles'

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
  return {
    getRows(p) {
      const input = { ...filter, offset: p.startRow, limit: p.endRow - p.startRow, sort: toSort(p.sortModel) }
      void api.try('staff.list', input).then((r) => {
        if (r.ok) {
          p.successCallback(r.value.rows, r.value.total)
          hooks.onTotal(r.value.total)
        } else {
          p.failCallback()
          hooks.onError(r.error)
        }
      })
    },
  }
}
