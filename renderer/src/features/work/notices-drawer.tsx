import { CheckOutlined } from '@ant-design/icons'
import { Alert, App, Badge, Button, Drawer, List, Space, Switch, Typography } from 'antd'
import { useCallback, useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { z } from 'zod'
import type { ApiErrorShape } from '@shared/contract/common'
import type { Notification } from '@shared/contract/notifications'
import { useApi } from '../../api/session-context'
import { formatBranchTime } from '@shared/domain/branch-time'
import { workErrorText } from './work-errors'
import { hostText } from '../../i18n/host-text'

type NoticeRow = z.infer<typeof Notification>

const PAGE = 30

/** The notifications drawer: newest first, unread marked; opening one marks it read. */
export function NoticesDrawer({
  open,
  version,
  onClose,
  onRead,
  onOpenClient,
}: {
  open: boolean
  /** changes when new notices arrived, so an open drawer reloads. */
  version: number
  onClose(): void
  /** after notices were marked read (the unread count changed). */
  onRead(): void
  onOpenClient(clientId: number, title: string): void
}) {
  const { t } = useTranslation()
  const api = useApi()
  const { message } = App.useApp()
  const [unreadOnly, setUnreadOnly] = useState(false)
  const [rows, setRows] = useState<NoticeRow[]>([])
  const [total, setTotal] = useState(0)
  const [loading, setLoading] = useState(false)
  const [problem, setProblem] = useState<ApiErrorShape | null>(null)

  const load = useCallback(
    async (offset: number) => {
      setLoading(true)
      const r = await api.try('notifications.list', { unreadOnly, offset, limit: PAGE })
      setLoading(false)
      if (!r.ok) return setProblem(r.error)
      setProblem(null)
      setTotal(r.value.total)
      setRows((old) => (offset === 0 ? r.value.rows : [...old, ...r.value.rows]))
    },
    [api, unreadOnly],
  )

  useEffect(() => {
    if (open) void load(0)
  }, [open, load, version])

  async function markRead(ids?: number[]) {
    const r = await api.try('notifications.markRead', ids ? { ids } : { all: true })
    if (!r.ok) return void message.error(workErrorText(t, r.error))
    setRows((old) => (unreadOnly ? old.filter((n) => ids && !ids.includes(n.id)) : old.map((n) => (!ids || ids.includes(n.id) ? { ...n, read: true } : n))))
    if (unreadOnly) setTotal((n) => (ids ? n - ids.length : 0))
    onRead()
  }

  function openNotice(n: NoticeRow) {
    if (!n.read) void markRead([n.id])
    if (n.clientId !== null) onOpenClient(n.clientId, hostText(t, n.title))
  }

  return (
    <Drawer
      open={open}
      onClose={onClose}
      width={440}
      title={t('work.notices.title')}
      extra={
        <Space>
          <Switch size="small" checked={unreadOnly} onChange={setUnreadOnly} id="notices-unread-only" />
          <label htmlFor="notices-unread-only">{t('work.notices.unreadOnly')}</label>
          <Button size="small" icon={<CheckOutlined />} onClick={() => void markRead()}>
            {t('work.notices.markAllRead')}
          </Button>
        </Space>
      }
    >
      {problem && <Alert type="error" showIcon message={workErrorText(t, problem)} style={{ marginBottom: 12 }} />}
      <List<NoticeRow>
        dataSource={rows}
        loading={loading && rows.length === 0}
        locale={{ emptyText: t('work.notices.empty') }}
        rowKey="id"
        renderItem={(n) => (
          <List.Item
            className={n.read ? 'work-notice' : 'work-notice work-notice-unread'}
            actions={[
              n.clientId !== null ? (
                <Button key="open" type="link" size="small" onClick={() => openNotice(n)}>
                  {t('work.notices.openClient')}
                </Button>
              ) : !n.read ? (
                <Button key="read" type="link" size="small" onClick={() => void markRead([n.id])}>
                  {t('work.notices.markRead')}
                </Button>
              ) : null,
            ]}
          >
            <List.Item.Meta
              title={
                <Space size={6}>
                  {!n.read && <Badge status="processing" aria-label={t('work.notices.unread')} />}
                  <span>{hostText(t, n.title)}</span>
                </Space>
              }
              description={
                <>
                  <div>{hostText(t, n.body)}</div>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {formatBranchTime(n.createdAt)}
                  </Typography.Text>
                </>
              }
            />
          </List.Item>
        )}
        loadMore={
          rows.length < total ? (
            <div style={{ textAlign: 'center', marginTop: 12 }}>
              <Button loading={loading} onClick={() => void load(rows.length)}>
                {t('work.notices.more')}
              </Button>
            </div>
          ) : null
        }
      />
    </Drawer>
  )
}
