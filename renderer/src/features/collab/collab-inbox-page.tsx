import { ReloadOutlined } from '@ant-design/icons'
import { Alert, Button, Segmented, Space, Table, Tag, Typography } from 'antd'
import type { ColumnsType } from 'antd/es/table'
import { useCallback, useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { z } from 'zod'
import type { CollabRequest, CollabStatus } from '@shared/contract/collab'
import type { ApiErrorShape } from '@shared/contract/common'
import { formatBranchTime } from '@shared/domain/branch-time'
import { useApi } from '../../api/session-context'
import { navigate } from '../../app/use-hash-route'
import { clientErrorText } from '../clients/client-errors'
import { AnswerModal } from './answer-modal'
import './collab.css'
import { setOpenCollabRequests } from './open-requests'

type Request = z.infer<typeof CollabRequest>
type Box = 'incoming' | 'outgoing'

const PAGE = 50
const STATUS_COLOR: Record<z.infer<typeof CollabStatus>, string> = { open: 'gold', accepted: 'green', declined: 'red', closed: 'default' }

/** 协作申请 (#/collab): requests to answer (open ones first) and one's own, with their answers. */
export function CollabInboxPage() {
  const { t } = useTranslation()
  const api = useApi()
  const [box, setBox] = useState<Box>('incoming')
  const [page, setPage] = useState(1)
  const [data, setData] = useState<{ rows: Request[]; total: number; open: number } | null>(null)
  const [problem, setProblem] = useState<ApiErrorShape | null>(null)
  const [answering, setAnswering] = useState<{ request: Request; accept: boolean } | null>(null)

  const load = useCallback(async () => {
    const r = await api.try('collab.inbox', { box, offset: (page - 1) * PAGE, limit: PAGE })
    if (!r.ok) return setProblem(r.error)
    setProblem(null)
    setData(r.value)
    if (box === 'incoming') setOpenCollabRequests(r.value.open)
  }, [api, box, page])

  useEffect(() => {
    void load()
  }, [load])

  // a new request (or an answer to one's own) arrives as a notice: the list follows
  useEffect(() => api.on('notice.new', () => void load()), [api, load])

  const columns: ColumnsType<Request> = [
    {
      key: 'client',
      title: t('collab.inbox.client'),
      render: (_, r) => (
        <Button type="link" size="small" onClick={() => navigate(`/clients/${r.clientId}`)}>
          {r.clientName} · {r.clientCode}
        </Button>
      ),
    },
    box === 'incoming'
      ? { key: 'requester', title: t('collab.inbox.requester'), render: (_, r) => r.requester.name }
      : { key: 'owner', title: t('collab.inbox.owner'), render: (_, r) => r.owner?.name ?? '' },
    { key: 'note', title: t('collab.inbox.note'), dataIndex: 'note', ellipsis: true },
    { key: 'createdAt', title: t('collab.inbox.createdAt'), render: (_, r) => formatBranchTime(r.createdAt), width: 150 },
    {
      key: 'status',
      title: t('collab.inbox.status'),
      width: 90,
      render: (_, r) => <Tag color={STATUS_COLOR[r.status]}>{t(`collab.status.${r.status}`)}</Tag>,
    },
    {
      key: 'answer',
      title: t('collab.inbox.answer'),
      render: (_, r) =>
        r.mayAnswer ? (
          <Space>
            <Button size="small" type="primary" onClick={() => setAnswering({ request: r, accept: true })}>
              {t('collab.inbox.accept')}
            </Button>
            <Button size="small" danger onClick={() => setAnswering({ request: r, accept: false })}>
              {t('collab.inbox.decline')}
            </Button>
          </Space>
        ) : (
          <Space direction="vertical" size={0}>
            {r.decidedBy && r.decidedAt && <Typography.Text type="secondary">{t('collab.inbox.by', { name: r.decidedBy.name, at: formatBranchTime(r.decidedAt) })}</Typography.Text>}
            {r.reason && <Typography.Text>{r.reason}</Typography.Text>}
          </Space>
        ),
    },
  ]

  return (
    <div className="collab-inbox" data-testid="collab-inbox">
      <div className="collab-inbox-toolbar">
        <Space>
          <Typography.Title level={4} style={{ margin: 0 }}>
            {t('collab.inbox.title')}
          </Typography.Title>
          <Segmented<Box>
            value={box}
            onChange={(b) => {
              setBox(b)
              setPage(1)
            }}
            options={[
              { value: 'incoming', label: t('collab.inbox.incoming') },
              { value: 'outgoing', label: t('collab.inbox.outgoing') },
            ]}
          />
          {data && data.open > 0 && <Tag color="gold">{t('collab.inbox.openCount', { count: data.open })}</Tag>}
        </Space>
        <Button icon={<ReloadOutlined />} onClick={() => void load()}>
          {t('collab.inbox.refresh')}
        </Button>
      </div>
      {problem && <Alert type="error" showIcon message={t('collab.inbox.loadFailed', { text: clientErrorText(t, problem) })} style={{ marginBottom: 12 }} />}
      <Table<Request>
        rowKey="id"
        size="middle"
        columns={columns}
        dataSource={data?.rows ?? []}
        loading={data === null && problem === null}
        locale={{ emptyText: t('collab.inbox.empty') }}
        pagination={{ current: page, pageSize: PAGE, total: data?.total ?? 0, onChange: setPage, showSizeChanger: false, hideOnSinglePage: true }}
      />
      {answering && (
        <AnswerModal
          request={answering.request}
          accept={answering.accept}
          onClose={() => setAnswering(null)}
          onDone={() => void load()}
          onStale={() => void load()}
        />
      )}
    </div>
  )
}
