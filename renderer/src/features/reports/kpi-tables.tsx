import { Table, Typography } from 'antd'
import type { ColumnsType } from 'antd/es/table'
import { useTranslation } from 'react-i18next'
import type { KpiFigures } from '@shared/contract/reports'
import { BRANCH_ONLY_KPIS, KPI_IDS, kpiMet, type KpiId, type KpiTargets } from '@shared/domain/kpi'
import { formatKpi } from './kpi-format'

interface Row {
  key: string
  name: string
  team?: string | null
  figures: KpiFigures
  branch?: boolean
}

/** A KPI cell: the value with ✓ or ✗ beside it (readable without colour); a dash where the KPI is the branch's only. */
function Cell({ id, row, target }: { id: KpiId; row: Row; target: number }) {
  const { t } = useTranslation()
  if (!row.branch && BRANCH_ONLY_KPIS.includes(id)) return <Typography.Text type="secondary" title={t('reports.onlyBranch')}>—</Typography.Text>
  const f = row.figures[id]
  const met = kpiMet(id, f.value, target)
  return (
    <span className={met === null ? 'reports-cell' : met ? 'reports-cell reports-met' : 'reports-cell reports-not-met'}>
      {formatKpi(t, id, f.value)}
      {met === null ? '' : met ? ' ✓' : ' ✗'}
    </span>
  )
}

/** The KPI table of some subjects (the branch and teams, or agents), one column per KPI. */
export function KpiTable({ rows, targets, withTeam, title }: { rows: Row[]; targets: KpiTargets; withTeam: boolean; title: string }) {
  const { t } = useTranslation()
  const columns: ColumnsType<Row> = [
    { key: 'name', title: withTeam ? t('reports.agent') : t('reports.team'), dataIndex: 'name', fixed: 'left', width: 120 },
    ...(withTeam ? [{ key: 'team', title: t('reports.team'), width: 90, render: (_: unknown, r: Row) => r.team ?? t('reports.noTeam') }] : []),
    ...KPI_IDS.map((id) => ({ key: id, title: t(`reports.kpi.${id}`), render: (_: unknown, r: Row) => <Cell id={id} row={r} target={targets[id]} /> })),
  ]
  return (
    <section className="reports-table">
      <Typography.Title level={5}>{title}</Typography.Title>
      <Table<Row> size="small" columns={columns} dataSource={rows} pagination={false} scroll={{ x: 'max-content' }} />
    </section>
  )
}
