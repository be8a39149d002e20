import type { GridApi, IDatasource } from 'ag-grid-community'
import { useMemo } from 'react'
import { useTranslation } from 'react-i18next'
import type { StaffRow } from '@shared/contract/staff'
import { InfiniteGrid } from '../../grid/infinite-grid'
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
  const { t } = useTranslation()
  const columns = useMemo(() => staffColumns(t), [t])
  return (
    <div style={{ flex: 1, minHeight: 300 }}>
      <InfiniteGrid<StaffRow>
        columns={columns}
        datasource={datasource}
        noRows={t('grid.noRows')}
        defaultColDef={{ sortable: true, flex: 1 }}
        onReady={onReady}
        onSelect={onSelect}
        onOpen={onOpen}
      />
    </div>
  )
}
