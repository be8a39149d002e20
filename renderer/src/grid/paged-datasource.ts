import type { IDatasource, SortModelItem } from 'ag-grid-community'
import type { ApiErrorShape, Result } from '@shared/contract/common'

/** The block AG Grid asks for, as the host's paged list methods take it. */
export interface PageRequest {
  offset: number
  limit: number
  sortModel: SortModelItem[]
}

/** Feeds an InfiniteGrid from a paged list method: `load` fetches one block; the total and any error go to `hooks`. */
export function pagedDatasource<Row>(
  load: (page: PageRequest) => Promise<Result<{ rows: Row[]; total: number }>>,
  hooks: { onTotal(total: number): void; onError(e: ApiErrorShape): void },
): IDatasource {
  return {
    getRows(p) {
      void load({ offset: p.startRow, limit: p.endRow - p.startRow, sortModel: p.sortModel }).then((r) => {
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
