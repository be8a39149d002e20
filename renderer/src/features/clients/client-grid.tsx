import { ColumnApiModule, ScrollApiModule, type ColDef, type GridApi, type IDatasource } from 'ag-grid-community'
import { useEffect, useRef } from 'react'
import { useTranslation } from 'react-i18next'
import type { ClientRow } from '@shared/contract/clients'
import { gridTheme } from '../../grid/grid-setup'
import { InfiniteGrid } from '../../grid/infinite-grid'

// for this grid only: sort state for saved views (getColumnState / applyColumnState), and
// ensureIndexVisible (back to the first row when the filter changes)
const MODULES = [ColumnApiModule, ScrollApiModule]

// a dozen columns beside the region tree on a 1366-wide counter screen: tighter cells
const theme = gridTheme.withParams({ cellHorizontalPadding: 10 })

interface Props {
  columns: ColDef<ClientRow>[]
  datasource: IDatasource
  onReady(api: GridApi<ClientRow>): void
  onSortChanged(api: GridApi<ClientRow>): void
  /** Enter or double-click on a row. */
  onOpen(row: ClientRow): void
  /** the rows ticked for a bulk action (退回公客池, 移交); without it no row can be ticked */
  onSelectRows?(rows: ClientRow[]): void
}

/**
 * The client list: AG Grid's infinite row model over clients.list in blocks of 100, so
 * 100,000 clients scroll without loading them all. No text selection or copying: client
 * lists leave the branch only through an audited export.
 */
export function ClientGrid({ columns, datasource, onReady, onSortChanged, onOpen, onSelectRows }: Props) {
  const { t } = useTranslation()
  const api = useRef<GridApi<ClientRow> | null>(null)
  // a new datasource is another filter or view, another list: it opens at its first row (the
  // grid would keep the old list's scroll position). Coming back from a profile keeps the
  // datasource, and with it the place in the list.
  useEffect(() => {
    api.current?.ensureIndexVisible(0, 'top')
  }, [datasource])

  return (
    <div
      className="clients-grid"
      onCopy={(e) => e.preventDefault()}
      onCut={(e) => e.preventDefault()}
      onContextMenu={(e) => e.preventDefault()}
      data-testid="clients-grid"
    >
      <InfiniteGrid<ClientRow>
        columns={columns}
        datasource={datasource}
        noRows={t('clients.list.noRows')}
        modules={MODULES}
        theme={theme}
        defaultColDef={{ sortable: true, suppressMovable: true }}
        maxBlocksInCache={30}
        maxConcurrentDatasourceRequests={2}
        blockLoadDebounceMillis={120}
        infiniteInitialRowCount={100}
        enableCellTextSelection={false}
        ensureDomOrder={false}
        onReady={(a) => {
          api.current = a
          onReady(a)
        }}
        onSortChanged={(e) => onSortChanged(e.api)}
        onOpen={onOpen}
        onSelectRows={onSelectRows}
      />
    </div>
  )
}
