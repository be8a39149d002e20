import type { IDatasource, SortModelItem } from 'ag-grid-community'
import type { ApiErrorShape, Result } from '@shared/contract/common'

/** The block AG Grid asks for, as the host's paged list methods take it. */
export interface PageRequest {
  offset: number
  limit: number
  sortModel: SortModelItem[]
}

/**
 * Feeds an InfiniteGrid from a paged list method: `load` fetches one block; the total and any error go to `hooks`.
 * A total the host calls not exact (`totalExact: false`, "about 2,200") never ends the grid: the
 * last row is then where a short block ends.
 */
export function pagedDatasource<Row>(
  load: (page: PageRequest) => Promise<Result<{ rows: Row[]; total: number; totalExact?: boolean }>>,
  hooks: { onTotal(total: number, exact: boolean): void; onError(e: ApiErrorShape): void },
): IDatasource {
  return {
    getRows(p) {
      const limit = p.endRow - p.startRow
      void load({ offset: p.startRow, limit, sortModel: p.sortModel }).then((r) => {
        if (r.ok) {
          const exact = r.value.totalExact !== false
          p.successCallback(r.value.rows, exact ? r.value.total : r.value.rows.length < limit ? p.startRow + r.value.rows.length : undefined)
          hooks.onTotal(r.value.total, exact)
        } else {
          p.failCallback()
          hooks.onError(r.error)
        }
      })
    },
  }
}
