import { ReloadOutlined } from '@ant-design/icons'
import { Alert, App, Button, Result, Table, Tag, Tooltip, Typography } from 'antd'
import type { ColumnsType } from 'antd/es/table'
import { useCallback, useEffect, useMemo, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useApi } from '../../api/session-context'
import { LearnPanel } from './learn-panel'
import { readerAdmin, type ReaderAdmin, type ReaderEntry, type ReaderReason, type ReaderState } from './reader-bridge'
import { deviceName, hex4 } from './reader-format'
import './readers.css'

const STATE_COLOR: Record<ReaderState, string> = { open: 'green', typing: 'blue', known: 'default', unknown: 'gold', error: 'red' }

/** 读卡器 (#/readers, admin): this PC's HID devices with their state, and learn mode for an unknown reader. */
export function ReadersPage() {
  const { t } = useTranslation()
  const api = useApi()
  const admin = useMemo(() => readerAdmin(api.token), [api.token])
  if (!admin) {
    return (
      <div className="readers-page">
        <Result status="info" title={t('readers.browser.title')} subTitle={t('readers.browser.body')} data-testid="readers-browser" />
      </div>
    )
  }
  return <ReaderList admin={admin} />
}

function ReaderList({ admin }: { admin: ReaderAdmin }) {
  const { t } = useTranslation()
  const { message } = App.useApp()
  const [rows, setRows] = useState<ReaderEntry[] | null>(null)
  const [problem, setProblem] = useState<ReaderReason | null>(null)
  const [learning, setLearning] = useState<ReaderEntry | null>(null)

  const load = useCallback(async () => {
    const r = await admin.list()
    if (!r.ok) return setProblem(r.reason)
    setProblem(null)
    setRows(r.value)
  }, [admin])

  useEffect(() => {
    void load()
  }, [load])

  const columns: ColumnsType<ReaderEntry> = [
    {
      key: 'device',
      title: t('readers.column.device'),
      render: (_, r) => deviceName(r, t('readers.unnamed')),
    },
    { key: 'ids', title: t('readers.column.ids'), render: (_, r) => <code>{`${hex4(r.vendorId)}:${hex4(r.productId)}`}</code> },
    {
      key: 'state',
      title: t('readers.column.state'),
      render: (_, r) => (
        <Tooltip title={t(`readers.stateHint.${r.state}`)}>
          <Tag color={STATE_COLOR[r.state]} data-testid="reader-state">
            {t(`readers.state.${r.state}`)}
          </Tag>
        </Tooltip>
      ),
    },
    { key: 'profile', title: t('readers.column.profile'), render: (_, r) => r.profile?.name ?? '' },
    {
      key: 'detail',
      title: t('readers.column.detail'),
      render: (_, r) => <Typography.Text type="secondary">{r.detail ?? t(`readers.stateHint.${r.state}`)}</Typography.Text>,
    },
    {
      key: 'action',
      title: t('readers.column.action'),
      render: (_, r) => (
        <Button size="small" type={r.state === 'unknown' ? 'primary' : 'default'} disabled={learning !== null} onClick={() => setLearning(r)}>
          {r.state === 'unknown' ? t('readers.learn') : t('readers.relearn')}
        </Button>
      ),
    },
  ]

  return (
    <div className="readers-page">
      <div className="readers-toolbar">
        <Typography.Title level={4}>{t('readers.title')}</Typography.Title>
        <Button icon={<ReloadOutlined />} onClick={() => void load()} disabled={learning !== null}>
          {t('readers.refresh')}
        </Button>
      </div>
      <Typography.Paragraph type="secondary">{t('readers.intro')}</Typography.Paragraph>
      {problem && <Alert type="error" showIcon message={t(`readers.errors.${problem}`)} className="readers-alert" />}
      {learning ? (
        <LearnPanel
          admin={admin}
          reader={learning}
          onDone={(saved, list) => {
            setLearning(null)
            if (list) setRows(list)
            else void load()
            if (saved) void message.success(t('readers.saved', { name: saved }))
          }}
        />
      ) : (
        <Table
          rowKey="path"
          size="middle"
          columns={columns}
          dataSource={rows ?? []}
          loading={rows === null && problem === null}
          pagination={false}
          locale={{ emptyText: t('readers.none') }}
          data-testid="readers-table"
        />
      )}
    </div>
  )
}
