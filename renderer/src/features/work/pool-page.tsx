import { InboxOutlined, ReloadOutlined } from '@ant-design/icons'
import type { GridApi } from 'ag-grid-community'
import { App, Button, Select, Space, Typography } from 'antd'
import { useCallback, useEffect, useMemo, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { ClientRow } from '@shared/contract/clients'
import type { BranchRules } from '@shared/domain/rules'
import { mayCall } from '@shared/domain/permissions'
import { useApi, useMe } from '../../api/session-context'
import type { PageProps } from '../../app/routes'
import { ExportButton } from '../export/export-button'
import { poolDatasource, PoolGrid } from './pool-grid'
import { workErrorText } from './work-errors'
import './work.css'

/** 公客池: clients without an owner, filtered by region; agents claim them (daily and owner caps apply). */
export function PoolPage(_props: PageProps) {
  const { t } = useTranslation()
  const api = useApi()
  const me = useMe()
  const { message, modal } = App.useApp()
  const [grid, setGrid] = useState<GridApi<ClientRow> | null>(null)
  const [region, setRegion] = useState<string | undefined>(undefined)
  const [regions, setRegions] = useState<Array<{ region: string; count: number }>>([])
  const [total, setTotal] = useState<number | null>(null)
  const [selected, setSelected] = useState<ClientRow | null>(null)
  const [rules, setRules] = useState<BranchRules | null>(null)
  const mayClaim = mayCall(me.role, 'pool.claim')

  useEffect(() => {
    void api.try('clients.regionTree', {}).then((r) => r.ok && setRegions(r.value.regions.map((x) => ({ region: x.region, count: x.count }))))
    void api.try('settings.getRules', {}).then((r) => r.ok && setRules(r.value))
  }, [api])

  const datasource = useMemo(
    () => poolDatasource(api, region, { onTotal: setTotal, onError: (e) => void message.error(workErrorText(t, e)) }),
    [api, region, message, t],
  )

  const claim = useCallback(
    (row: ClientRow) => {
      modal.confirm({
        title: t('work.pool.claimTitle', { name: row.name, code: row.code }),
        content: rules ? t('work.pool.claimHint', { days: rules.claimObligationDays, cap: rules.dailyClaimCap }) : undefined,
        okText: t('work.pool.claim'),
        cancelText: t('work.common.cancel'),
        onOk: async () => {
          const r = await api.try('pool.claim', { clientId: row.id })
          if (!r.ok) {
            const text = workErrorText(t, r.error)
            if (r.error.code === 'LIMIT_REACHED') modal.warning({ title: t('work.pool.claimRefused'), content: text, okText: t('work.common.confirm') })
            else void message.error(text, 6)
            if (r.error.code === 'CONFLICT') grid?.refreshInfiniteCache()
            return
          }
          void message.success(t('work.pool.claimed', { name: r.value.name }))
          setSelected(null)
          grid?.refreshInfiniteCache()
        },
      })
    },
    [api, grid, message, modal, rules, t],
  )

  return (
    <div className="work-grid-page">
      <div className="work-toolbar">
        <Space wrap>
          <Select
            allowClear
            showSearch
            style={{ width: 200 }}
            placeholder={t('work.pool.allRegions')}
            aria-label={t('work.pool.region')}
            value={region}
            onChange={(v?: string) => {
              setRegion(v)
              setSelected(null)
            }}
            options={regions.map((r) => ({ value: r.region, label: r.region }))}
          />
          <Button icon={<ReloadOutlined />} onClick={() => grid?.refreshInfiniteCache()}>
            {t('work.common.refresh')}
          </Button>
          {me.role === 'manager' && <ExportButton request={{ grid: 'pool', query: region === undefined ? {} : { region } }} />}
        </Space>
        <Space wrap>
          {total !== null && <Typography.Text type="secondary">{t('work.pool.total', { count: total })}</Typography.Text>}
          {mayClaim && (
            <Button type="primary" icon={<InboxOutlined />} disabled={!selected} title={selected ? undefined : t('work.pool.selectFirst')} onClick={() => selected && claim(selected)}>
              {t('work.pool.claim')}
            </Button>
          )}
        </Space>
      </div>
      {mayClaim && rules && (
        <Typography.Text type="secondary">{t('work.pool.claimHint', { days: rules.claimObligationDays, cap: rules.dailyClaimCap })}</Typography.Text>
      )}
      <PoolGrid datasource={datasource} onReady={setGrid} onSelect={setSelected} onClaim={mayClaim ? claim : null} />
    </div>
  )
}
