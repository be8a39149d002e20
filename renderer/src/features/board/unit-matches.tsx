import { Alert, Button, Empty, Table, Tag, Typography } from 'antd'
import { useCallback, useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { OutputOf } from '@shared/contract'
import type { ApiErrorShape } from '@shared/contract/common'
import { useApi } from '../../api/session-context'
import { tierColor } from '../clients/client-format'
import { tierText } from '../clients/enum-text'
import { boardErrorText } from './format'

type Match = OutputOf<'matching.clientsForUnit'>['clients'][number]

/** 匹配客户 tab of the unit drawer: clients whose needs this unit fits, each opening the client's profile. */
export function UnitMatches({ unitId }: { unitId: number }) {
  const { t } = useTranslation()
  const api = useApi()
  const [rows, setRows] = useState<Match[] | null>(null)
  const [problem, setProblem] = useState<ApiErrorShape | null>(null)

  const load = useCallback(async () => {
    setProblem(null)
    const r = await api.try('matching.clientsForUnit', { unitId })
    if (r.ok) setRows(r.value.clients)
    else setProblem(r.error)
  }, [api, unitId])
  useEffect(() => {
    setRows(null)
    void load()
  }, [load])

  if (problem) {
    return (
      <Alert
        type="error"
        showIcon
        message={t('board.matching.loadFailed', { text: boardErrorText(t, problem) })}
        action={
          <Button size="small" onClick={() => void load()}>
            {t('board.matching.retry')}
          </Button>
        }
      />
    )
  }
  if (rows && rows.length === 0) {
    return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={<EmptyReason />} data-testid="unit-matches-empty" />
  }
  return (
    <div data-testid="unit-matches">
      <Typography.Paragraph type="secondary">{t('board.matching.intro')}</Typography.Paragraph>
      <Table
        size="small"
        rowKey="id"
        loading={rows === null}
        pagination={false}
        dataSource={rows ?? []}
        columns={[
          { title: t('board.matching.code'), dataIndex: 'code', width: 110 },
          {
            title: t('board.matching.name'),
            dataIndex: 'name',
            render: (name: string, c: Match) => <Typography.Link href={`#/clients/${c.id}`}>{name}</Typography.Link>,
          },
          { title: t('board.matching.owner'), dataIndex: 'owner', render: (o: string | null) => o ?? t('board.matching.noOwner') },
          {
            title: t('board.matching.tier'),
            dataIndex: 'tier',
            width: 70,
            render: (tier: string) => <Tag color={tierColor(tier)}>{tierText(t, tier)}</Tag>,
          },
        ]}
      />
    </div>
  )
}

function EmptyReason() {
  const { t } = useTranslation()
  return (
    <>
      <div>{t('board.matching.empty')}</div>
      <Typography.Text type="secondary">{t('board.matching.emptyHint')}</Typography.Text>
    </>
  )
}
