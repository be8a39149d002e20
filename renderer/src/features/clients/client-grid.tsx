import { ColumnApiModule, type CellKeyDownEvent, type ColDef, type GridApi, type IDatasource } from 'ag-grid-community'
import { AgGridReact } from 'ag-grid-react'
import { useMemo } from 'react'
import { useTranslation } from 'react-i18next'
import type { ClientRow } from '../../../../shared/contract/clients'
import { gridLocaleText, gridTheme } from '../../grid/grid-setup'

// sort state for saved views (getColumnState / applyColumnState), for this grid only
const MODULES = [ColumnApiModule]

// a dozen columns beside the region tree on a 1366-wide counter screen: tighter cells
const theme = gridTheme.withParams({ cellHorizontalPadding: 10 })

interface Props {
  columns: ColDef<ClientRow>[]
  datasource: IDatasource
  onReady(api: GridApi<ClientRow>): void
  onSortChanged(api: GridApi<ClientRow>): void
  /** Enter or double-click on a row. */
  onOpen(row: ClientRow): void
}

/**
 * The client list: AG Grid's infinite row model over clients.list in blocks of 100, so
 * 100,000 clients scroll without loading them all. No text selection or copying: client
 * lists leave the branch only through an audited export.
 */
export function ClientGrid({ columns, datasource, onReady, onSortChanged, onOpen }: Props) {
  const { t, i18n } = useTranslation()
  const localeText = useMemo(() => gridLocaleText(t, t('clients.list.noRows')), [t])

  return (
    <div
      className="clients-grid"
      onCopy={(e) => e.preventDefault()}
      onCut={(e) => e.preventDefault()}
      onContextMenu={(e) => e.preventDefault()}
      data-testid="clients-grid"
    >
      <AgGridReact<ClientRow>
        key={i18n.language}
        modules={MODULES}
        theme={theme}
        localeText={localeText}
        columnDefs={columns}
        defaultColDef={{ sortable: true, resizable: true, suppressHeaderMenuButton: true, suppressMovable: true }}
        rowModelType="infinite"
        datasource={datasource}
        cacheBlockSize={100}
        maxBlocksInCache={30}
        maxConcurrentDatasourceRequests={2}
        blockLoadDebounceMillis={120}
        infiniteInitialRowCount={100}
        enableCellTextSelection={false}
        ensureDomOrder={false}
        getRowId={(p) => String(p.data.id)}
        rowSelection={{ mode: 'singleRow', checkboxes: false, enableClickSelection: true }}
        onGridReady={(e) => onReady(e.api)}
        onSortChanged={(e) => onSortChanged(e.api)}
        onCellFocused={(e) => {
          if (typeof e.rowIndex === 'number' && e.rowPinned == null) e.api.getDisplayedRowAtIndex(e.rowIndex)?.setSelected(true)
        }}
        onCellKeyDown={(e: CellKeyDownEvent<ClientRow>) => {
          if ((e.event as KeyboardEvent | null)?.key === 'Enter' && e.data) onOpen(e.data)
        }}
        onRowDoubleClicked={(e) => {
          if (e.data) onOpen(e.data)
        }}
      />
    </div>
  )
}
