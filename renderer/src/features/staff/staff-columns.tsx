import type { ColDef } from 'ag-grid-community'
import { Tag } from 'antd'
import type { TFunction } from 'i18next'
import type { StaffRow } from '@shared/contract/staff'
import { formatBranchTime } from '@shared/domain/branch-time'

/** The staff grid's columns; sortable ones are the fields staff.list can sort by. */
export function staffColumns(t: TFunction): ColDef<StaffRow>[] {
  return [
    { field: 'username', headerName: t('fields.username'), minWidth: 120 },
    { field: 'name', headerName: t('fields.name'), minWidth: 110 },
    {
      field: 'role',
      headerName: t('fields.role'),
      minWidth: 110,
      valueFormatter: (p) => (p.data ? t(`roles.${p.data.role}`) : ''),
    },
    { field: 'team', headerName: t('fields.team'), minWidth: 90 },
    { field: 'region', headerName: t('fields.region'), minWidth: 90 },
    { field: 'phone', headerName: t('fields.phone'), minWidth: 130, sortable: false },
    {
      field: 'active',
      headerName: t('fields.active'),
      minWidth: 90,
      cellRenderer: (p: { value: boolean | undefined }) =>
        p.value === undefined ? null : p.value ? (
          <Tag color="green">{t('staff.statusActive')}</Tag>
        ) : (
          <Tag>{t('staff.statusInactive')}</Tag>
        ),
    },
    {
      field: 'createdAt',
      headerName: t('fields.createdAt'),
      minWidth: 150,
      valueFormatter: (p) => formatBranchTime(p.value),
    },
  ]
}
