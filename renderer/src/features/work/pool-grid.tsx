import type { ColDef, GridApi, IDatasource } from 'ag-grid-community'
import { Button, Tag } from 'antd'
import type { TFunction } from 'i18next'
import { useMemo } from 'react'
import { useTranslation } from 'react-i18next'
import type { ApiClient } from '@shared/contract/client'
import type { ClientRow } from '@shared/contract/clients'
import type { ApiErrorShape } from '@shared/contract/common'
import { formatBranchTime } from '@shared/domain/branch-time'
import { InfiniteGrid } from '../../grid/infinite-grid'
import { pagedDatasource } from '../../grid/paged-datasource'
import { clientEnumText } from '../clients/enum-text'

/** Feeds the pool grid page by page from pool.list (most recently returned first). */
export function poolDatasource(api: ApiClient, region: string | undefined, hooks: { onTotal(n: number): void; onError(e: ApiErrorShape): void }): IDatasource {
  return pagedDatasource(({ offset, limit }) => api.try('pool.list', { region, offset, limit }), hooks)
}

function poolColumns(t: TFunction, onClaim: ((row: ClientRow) => void) | null): ColDef<ClientRow>[] {
  const cols: ColDef<ClientRow>[] = [
    { field: 'code', headerName: t('work.pool.code'), minWidth: 110, maxWidth: 120 },
    { field: 'name', headerName: t('work.pool.name'), minWidth: 140, flex: 2 },
    { field: 'phone', headerName: t('work.pool.phone'), minWidth: 120, maxWidth: 130 },
    {
      field: 'tier',
      headerName: t('work.pool.tier'),
      minWidth: 80,
      maxWidth: 100,
      cellRenderer: (p: { value?: ClientRow['tier'] }) => (p.value ? <Tag color={p.value === 'vip' ? 'gold' : p.value === 'key' ? 'volcano' : undefined}>{t(`clients.enums.tier.${p.value}`)}</Tag> : null),
    },
    { field: 'stage', headerName: t('work.pool.stage'), minWidth: 80, maxWidth: 100, valueFormatter: (p) => (p.data ? t(`clients.enums.stage.${p.data.stage}`) : '') },
    { field: 'region', headerName: t('work.pool.region'), minWidth: 70, maxWidth: 90 },
    { field: 'community', headerName: t('work.pool.community'), minWidth: 100 },
    { field: 'demandType', headerName: t('work.pool.demandType'), minWidth: 80, maxWidth: 100, valueFormatter: (p) => (p.data?.demandType ? clientEnumText(t, 'demandType', p.data.demandType) : '') },
    { field: 'sourceChannel', headerName: t('work.pool.source'), minWidth: 90, valueFormatter: (p) => (p.data ? clientEnumText(t, 'sourceChannel', p.data.sourceChannel) : '') },
    { field: 'lastFollowUpAt', headerName: t('work.pool.lastFollowUp'), minWidth: 140, maxWidth: 150, valueFormatter: (p) => formatBranchTime(p.value as string | null) },
  ]
  if (onClaim) {
    cols.push({
      colId: 'claim',
      headerName: t('work.pool.action'),
      minWidth: 76,
      maxWidth: 80,
      cellRenderer: (p: { data?: ClientRow }) =>
        p.data ? (
          <Button size="small" type="link" tabIndex={-1} onClick={() => p.data && onClaim(p.data)}>
            {t('work.pool.claim')}
          </Button>
        ) : null,
    })
  }
  return cols
}

/** The pool as an AG Grid over the infinite row model; arrow keys select, Enter claims. */
export function PoolGrid({
  datasource,
  onReady,
  onSelect,
  onClaim,
}: {
  datasource: IDatasource
  onReady(api: GridApi<ClientRow>): void
  onSelect(row: ClientRow | null): void
  /** null when the viewer may not claim. */
  onClaim: ((row: ClientRow) => void) | null
}) {
  const { t } = useTranslation()
  const columns = useMemo(() => poolColumns(t, onClaim), [t, onClaim])
  return (
    <div style={{ flex: 1, minHeight: 300 }} data-testid="pool-grid">
      <InfiniteGrid<ClientRow>
        columns={columns}
        datasource={datasource}
        noRows={t('work.pool.noRows')}
        defaultColDef={{ sortable: false, flex: 1 }}
        onReady={onReady}
        onSelect={onSelect}
        onOpen={onClaim ?? undefined}
      />
    </div>
  )
}
