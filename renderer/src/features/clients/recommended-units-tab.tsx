import { Alert, Button, Empty, Table, Typography } from 'antd'
import { useCallback, useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { OutputOf } from '@shared/contract'
import type { ApiErrorShape } from '@shared/contract/common'
import { useApi } from '../../api/session-context'
import { navigate } from '../../app/use-hash-route'
import { boardErrorText, sqm, wan, yuanPerSqm } from '../board/format'

type Found = OutputOf<'matching.unitsForClient'>
type FoundUnit = Found['units'][number]

/**
 * 推荐房源 tab: units on sale that fit the client's needs; a row opens its project's board.
 * Loads again each time the tab is shown, so needs edited meanwhile count. Unit prices in whole yuan, as the counter quotes them.
 */
export function RecommendedUnitsTab({ clientId, active, onRecordNeeds }: { clientId: number; active: boolean; onRecordNeeds?: () => void }) {
  const { t } = useTranslation()
  const api = useApi()
  const [found, setFound] = useState<Found | null>(null)
  const [problem, setProblem] = useState<ApiErrorShape | null>(null)

  const load = useCallback(async () => {
    setProblem(null)
    const r = await api.try('matching.unitsForClient', { clientId })
    if (r.ok) setFound(r.value)
    else setProblem(r.error)
  }, [api, clientId])
  useEffect(() => {
    if (active) void load()
  }, [active, load])

  if (problem) {
    return (
      <Alert
        type="error"
        showIcon
        message={t('clients.recommend.loadFailed', { text: boardErrorText(t, problem) })}
        action={
          <Button size="small" onClick={() => void load()}>
            {t('clients.recommend.retry')}
          </Button>
        }
      />
    )
  }
  if (found && found.units.length === 0) {
    const noNeeds = found.activeNeeds === 0
    return (
      <Empty
        image={Empty.PRESENTED_IMAGE_SIMPLE}
        data-testid="recommend-empty"
        description={
          <>
            <div>{noNeeds ? t('clients.recommend.noNeeds') : t('clients.recommend.none')}</div>
            <Typography.Text type="secondary">{noNeeds ? t('clients.recommend.noNeedsHint') : t('clients.recommend.noneHint', { count: found.activeNeeds })}</Typography.Text>
          </>
        }
      >
        {noNeeds && onRecordNeeds && <Button onClick={onRecordNeeds}>{t('clients.recommend.toNeeds')}</Button>}
      </Empty>
    )
  }
  return (
    <div data-testid="recommended-units">
      <Typography.Paragraph type="secondary">{t('clients.recommend.intro')}</Typography.Paragraph>
      <Table
        size="small"
        rowKey="id"
        loading={found === null}
        pagination={false}
        dataSource={found?.units ?? []}
        onRow={(u: FoundUnit) => ({ onClick: () => navigate(`/board/${u.projectId}`), style: { cursor: 'pointer' } })}
        columns={[
          { title: t('clients.recommend.project'), dataIndex: 'projectName' },
          { title: t('clients.recommend.building'), dataIndex: 'buildingName' },
          { title: t('clients.recommend.number'), dataIndex: 'number' },
          { title: t('clients.recommend.layout'), dataIndex: 'layout', render: (l: string | null) => l ?? '—' },
          { title: t('clients.recommend.area'), dataIndex: 'area', align: 'right', render: (a: number) => sqm(a) },
          { title: t('clients.recommend.price'), dataIndex: 'listPrice', align: 'right', render: (p: number) => wan(p) },
          { title: t('clients.recommend.unitPrice'), dataIndex: 'unitPrice', align: 'right', render: (p: number) => yuanPerSqm(p) },
          {
            title: '',
            key: 'open',
            render: (_: unknown, u: FoundUnit) => <Typography.Link href={`#/board/${u.projectId}`}>{t('clients.recommend.open')}</Typography.Link>,
          },
        ]}
      />
    </div>
  )
}
