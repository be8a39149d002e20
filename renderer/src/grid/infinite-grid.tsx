import type { CellKeyDownEvent, ColDef, GridApi, IDatasource } from 'ag-grid-community'
import { AgGridReact, type AgGridReactProps } from 'ag-grid-react'
import { useMemo, useRef } from 'react'
import { useTranslation } from 'react-i18next'
import { useReconnected } from '../api/connection'
import { gridLocaleText, gridTheme } from './grid-setup'

/** What InfiniteGrid decides itself; any other AG Grid option passes through (modules, cache sizes, onSortChanged…). */
type Fixed = 'rowModelType' | 'datasource' | 'columnDefs' | 'localeText' | 'getRowId' | 'rowSelection' | 'onGridReady' | 'onSelectionChanged' | 'onCellFocused' | 'onCellKeyDown' | 'onRowDoubleClicked'

interface Props<Row extends { id: number }> extends Omit<AgGridReactProps<Row>, Fixed> {
  columns: ColDef<Row>[]
  datasource: IDatasource
  /** what the grid says when there are no rows */
  noRows: string
  onReady(api: GridApi<Row>): void
  onSelect?(row: Row | null): void
  /**
   * Rows are ticked (a checkbox column; Space toggles the focused row) instead of one following
   * the focus; the ticked rows are reported here.
   */
  onSelectRows?(rows: Row[]): void
  /** Enter or double-click on a row. */
  onOpen?(row: Row): void
}

/**
 * A list of rows loaded block by block from the host (AG Grid's infinite row model), in the
 * shared look and the UI language: one row selected at a time, following the keyboard focus (or,
 * with onSelectRows, rows ticked one by one); Enter or a double-click opens it.
 */
export function InfiniteGrid<Row extends { id: number }>({ columns, datasource, noRows, onReady, onSelect, onSelectRows, onOpen, defaultColDef, ...options }: Props<Row>) {
  const { t, i18n } = useTranslation()
  const localeText = useMemo(() => gridLocaleText(t, noRows), [t, noRows])
  const gridApi = useRef<GridApi<Row> | null>(null)
  // blocks that failed while the connection was lost (and rows changed meanwhile) load again
  useReconnected(() => gridApi.current?.refreshInfiniteCache())
  return (
    <AgGridReact<Row>
      key={i18n.language}
      theme={gridTheme}
      cacheBlockSize={100}
      maxBlocksInCache={20}
      {...options}
      defaultColDef={{ resizable: true, suppressHeaderMenuButton: true, ...defaultColDef }}
      localeText={localeText}
      columnDefs={columns}
      rowModelType="infinite"
      datasource={datasource}
      getRowId={(p) => String(p.data.id)}
      rowSelection={
        onSelectRows ? { mode: 'multiRow', checkboxes: true, headerCheckbox: false, enableClickSelection: false } : { mode: 'singleRow', checkboxes: false, enableClickSelection: true }
      }
      onGridReady={(e) => {
        gridApi.current = e.api
        onReady(e.api)
      }}
      onSelectionChanged={(e) => {
        onSelect?.(e.api.getSelectedRows()[0] ?? null)
        onSelectRows?.(e.api.getSelectedRows())
      }}
      onCellFocused={(e) => {
        if (onSelectRows) return
        if (typeof e.rowIndex === 'number' && e.rowPinned == null) e.api.getDisplayedRowAtIndex(e.rowIndex)?.setSelected(true)
      }}
      onCellKeyDown={(e: CellKeyDownEvent<Row>) => {
        if ((e.event as KeyboardEvent | null)?.key === 'Enter' && e.data) onOpen?.(e.data)
      }}
      onRowDoubleClicked={(e) => {
        if (e.data) onOpen?.(e.data)
      }}
    />
  )
}
