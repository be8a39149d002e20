import type { CellKeyDownEvent, GridApi, IDatasource, RowDoubleClickedEvent } from 'ag-grid-community'
import { AgGridReact } from 'ag-grid-react'
import { useMemo } from 'react'
import { useTranslation } from 'react-i18next'
import type { StaffRow } from '../../../../shared/contract/staff'
import { gridLocaleText, gridTheme } from '../../grid/grid-setup'
import { staffColumns } from './staff-columns'

interface Props {
  datasource: IDatasource
  onReady(api: GridApi<StaffRow>): void
  onSelect(row: StaffRow | null): void
  /** Enter or double-click on a row. */
  onOpen(row: StaffRow): void
}

/** The staff list: AG Grid over the infinite row model; arrow keys move and select, Enter opens. */
export function StaffGrid({ datasource, onReady, onSelect, onOpen }: Props) {
  const { t, i18n } = useTranslation()
  const columnDefs = useMemo(() => staffColumns(t), [t])
  const localeText = useMemo(() => gridLocaleText(t, t('grid.noRows')), [t])

  return (
    <div style={{ flex: 1, minHeight: 300 }}>
      <AgGridReact<StaffRow>
        key={i18n.language}
        theme={gridTheme}
        localeText={localeText}
        columnDefs={columnDefs}
        defaultColDef={{ sortable: true, resizable: true, flex: 1, suppressHeaderMenuButton: true }}
        rowModelType="infinite"
        datasource={datasource}
        cacheBlockSize={100}
        maxBlocksInCache={20}
        getRowId={(p) => String(p.data.id)}
        rowSelection={{ mode: 'singleRow', checkboxes: false, enableClickSelection: true }}
        onGridReady={(e) => onReady(e.api)}
        onSelectionChanged={(e) => onSelect(e.api.getSelectedRows()[0] ?? null)}
        onCellFocused={(e) => {
          if (typeof e.rowIndex === 'number' && e.rowPinned == null) e.api.getDisplayedRowAtIndex(e.rowIndex)?.setSelected(true)
        }}
        onCellKeyDown={(e: CellKeyDownEvent<StaffRow>) => {
          if ((e.event as KeyboardEvent | null)?.key === 'Enter' && e.data) onOpen(e.data)
        }}
        onRowDoubleClicked={(e: RowDoubleClickedEvent<StaffRow>) => {
          if (e.data) onOpen(e.data)
        }}
      />
    </div>
  )
}
