import type { ColDef, ICellRendererParams } from 'ag-grid-community'
import { Tag } from 'antd'
import type { TFunction } from 'i18next'
import type { ClientRow } from '@shared/contract/clients'
import { formatBranchTime } from '@shared/domain/branch-time'
import { protectionText, stageColor, tierColor } from './client-format'
import { clientEnumText } from './enum-text'

type Cell = ICellRendererParams<ClientRow>

/** 姓名 with the 黑名单 mark: the name in red and a red tag, so nobody misses it. */
function NameCell({ data, t }: Cell & { t: TFunction }) {
  if (!data) return null
  return (
    <span className="client-name-cell">
      <span className={data.blacklisted ? 'client-name client-name-black' : 'client-name'}>{data.name}</span>
      {data.kind === 'org' && <Tag className="client-cell-tag">{t('clients.enums.kind.org')}</Tag>}
      {data.blacklisted && (
        <Tag color="red" className="client-cell-tag" title={data.blacklistReason ?? undefined}>
          {t('clients.fields.blacklisted')}
        </Tag>
      )}
    </span>
  )
}

/** 资料完整度 as a thin bar and a number; light enough for 100,000 scrolling rows. */
function CompletenessCell({ value }: { value: number | undefined }) {
  if (value === undefined) return null
  const level = value >= 80 ? 'good' : value >= 50 ? 'fair' : 'poor'
  return (
    <span className="client-completeness" aria-label={`${value}%`}>
      <span className="client-completeness-track">
        <span className={`client-completeness-bar client-completeness-${level}`} style={{ width: `${value}%` }} />
      </span>
      <span className="client-completeness-num">{value}%</span>
    </span>
  )
}

/** Every column of the client grid; `hide` comes from the user's column choice. Sortable = what clients.list sorts by. */
export function clientColumns(t: TFunction, hidden: ReadonlySet<string>): ColDef<ClientRow>[] {
  const cols: ColDef<ClientRow>[] = [
    {
      colId: 'code',
      field: 'code',
      headerName: t('clients.fields.code'),
      width: 92,
      // a block still on its way from the host: say so instead of an empty row
      cellRenderer: (p: Cell) => (p.data ? (p.value as string) : <span className="client-loading">{t('grid.loading')}</span>),
    },
    {
      colId: 'name',
      field: 'name',
      headerName: t('clients.fields.name'),
      flex: 1,
      minWidth: 110,
      cellRenderer: (p: Cell) => <NameCell {...p} t={t} />,
    },
    { colId: 'phone', field: 'phone', headerName: t('clients.fields.phone'), width: 116, sortable: false },
    {
      colId: 'tier',
      field: 'tier',
      headerName: t('clients.fields.tier'),
      width: 64,
      cellRenderer: (p: Cell) =>
        p.data ? (
          <Tag color={tierColor(p.data.tier)} className="client-cell-tag">
            {t(`clients.enums.tier.${p.data.tier}`)}
          </Tag>
        ) : null,
    },
    {
      colId: 'stage',
      field: 'stage',
      headerName: t('clients.fields.stage'),
      width: 96,
      cellRenderer: (p: Cell) =>
        p.data ? (
          <Tag color={stageColor(p.data.stage)} className="client-cell-tag">
            {t(`clients.enums.stage.${p.data.stage}`)}
          </Tag>
        ) : null,
    },
    {
      colId: 'owner',
      headerName: t('clients.list.owner'),
      width: 84,
      valueGetter: (p) => (p.data ? (p.data.owner?.name ?? t('clients.list.poolShort')) : ''),
    },
    { colId: 'region', field: 'region', headerName: t('clients.fields.region'), width: 64 },
    { colId: 'community', field: 'community', headerName: t('clients.fields.community'), width: 120, sortable: false },
    { colId: 'sourceChannel', field: 'sourceChannel', headerName: t('clients.fields.sourceChannel'), width: 110, valueFormatter: (p) => (p.data ? clientEnumText(t, 'sourceChannel', p.data.sourceChannel) : '') },
    { colId: 'demandType', field: 'demandType', headerName: t('clients.fields.demandType'), width: 90, sortable: false, valueFormatter: (p) => (p.data?.demandType ? clientEnumText(t, 'demandType', p.data.demandType) : '') },
    {
      colId: 'lastFollowUpAt',
      field: 'lastFollowUpAt',
      headerName: t('clients.fields.lastFollowUpAt'),
      width: 104,
      valueFormatter: (p) => formatBranchTime(p.value as string | null).slice(0, 10),
    },
    {
      colId: 'protectedUntil',
      field: 'protectedUntil',
      headerName: t('clients.list.protection'),
      width: 88,
      sortable: false,
      cellRenderer: (p: Cell) => {
        if (!p.data) return null
        const pr = protectionText(t, p.data.protectedUntil, Date.now(), true)
        return (
          <span className={`client-protection client-protection-${pr.state}`} title={pr.title}>
            {pr.text}
          </span>
        )
      },
    },
    {
      colId: 'completeness',
      field: 'completeness',
      headerName: t('clients.list.completeness'),
      width: 104,
      cellRenderer: (p: Cell) => <CompletenessCell value={p.value as number | undefined} />,
    },
    {
      colId: 'createdAt',
      field: 'createdAt',
      headerName: t('clients.fields.createdAt'),
      width: 150,
      valueFormatter: (p) => formatBranchTime(p.value as string | null),
    },
  ]
  return cols.map((c) => ({ ...c, hide: hidden.has(c.colId ?? '') }))
}

/** Columns hidden until a user picks them. */
export const DEFAULT_HIDDEN = ['community', 'sourceChannel', 'demandType', 'createdAt']

/** Columns a user cannot hide: without them a row means nothing. */
export const FIXED_COLUMNS = ['name']
