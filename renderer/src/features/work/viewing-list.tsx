import { EditOutlined, PrinterOutlined } from '@ant-design/icons'
import { Button, Space, Table, Tag, Typography } from 'antd'
import type { TFunction } from 'i18next'
import { useTranslation } from 'react-i18next'
import { mayCall } from '@shared/domain/permissions'
import { useMe } from '../../api/session-context'
import { navigate } from '../../app/use-hash-route'
import type { ViewingData } from './viewing-book-modal'
import { formatBranchRange } from '@shared/domain/branch-time'

const STATUS_COLORS: Record<ViewingData['status'], string> = { booked: 'blue', done: 'green', no_show: 'orange', cancelled: 'default' }

/** A viewing's status as a coloured tag. */
export function ViewingStatusTag({ status }: { status: ViewingData['status'] }) {
  const { t } = useTranslation()
  return <Tag color={STATUS_COLORS[status]}>{t(`work.viewing.statuses.${status}`)}</Tag>
}

/** Where a viewing takes place: the address, or the unit of the board. */
export function viewingPlace(t: TFunction, v: ViewingData): string {
  return v.address ?? v.unitLabel ?? t('work.viewing.unitRef', { id: v.unitId })
}

/** Opens the printable 看房确认书 of a viewing. */
export function openViewingSheet(id: number): void {
  navigate(`/print/viewing/${id}`)
}

/** A client's viewings: when, where, with whom, how it went; record the outcome or print the sheet. */
export function ViewingList({ viewings, canRecord, onRecord }: { viewings: ViewingData[]; canRecord: boolean; onRecord(v: ViewingData): void }) {
  const { t } = useTranslation()
  const me = useMe()
  const mayPrint = mayCall(me.role, 'viewings.sheet')
  return (
    <Table<ViewingData>
      size="small"
      rowKey="id"
      pagination={false}
      dataSource={viewings}
      locale={{ emptyText: t('work.viewing.empty') }}
      columns={[
        {
          title: t('work.viewing.when'),
          key: 'when',
          width: 180,
          render: (_, v) => formatBranchRange(v.startsAt, v.endsAt),
        },
        {
          title: t('work.viewing.place'),
          key: 'place',
          render: (_, v) => (
            <>
              <div>{viewingPlace(t, v)}</div>
              {v.feedback && <Typography.Text type="secondary">{t('work.viewing.feedbackShown', { text: v.feedback })}</Typography.Text>}
            </>
          ),
        },
        { title: t('work.viewing.agent'), dataIndex: 'agentName', width: 90 },
        { title: t('work.viewing.status'), key: 'status', render: (_, v) => <ViewingStatusTag status={v.status} />, width: 90 },
        {
          title: '',
          key: 'actions',
          width: 1,
          render: (_, v) => (
            <Space size={4} style={{ whiteSpace: 'nowrap' }}>
              {canRecord && v.status === 'booked' && (
                <Button size="small" icon={<EditOutlined />} onClick={() => onRecord(v)}>
                  {t('work.viewing.record')}
                </Button>
              )}
              {mayPrint && v.status !== 'cancelled' && (
                <Button size="small" icon={<PrinterOutlined />} onClick={() => openViewingSheet(v.id)}>
                  {t('work.viewing.print')}
                </Button>
              )}
            </Space>
          ),
        },
      ]}
    />
  )
}
