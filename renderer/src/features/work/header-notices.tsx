import { BellOutlined } from '@ant-design/icons'
import { Badge, Button } from 'antd'
import { useCallback, useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useReconnected } from '../../api/connection'
import { useApi } from '../../api/session-context'
import { desktopBridge } from '../../app/desktop'
import { navigate } from '../../app/use-hash-route'
import { useLiveNotices } from './live-notices'
import { NoticesDrawer } from './notices-drawer'

/**
 * The header's bell, on every page: unread count on it, the notices drawer behind it, and the
 * live toasts (and desktop notifications) for whatever the host pushes while any page is open.
 */
export function HeaderNotices() {
  const { t } = useTranslation()
  const api = useApi()
  const [open, setOpen] = useState(false)
  const [version, setVersion] = useState(0)
  const [unread, setUnread] = useState(0)

  const count = useCallback(async () => {
    const r = await api.try('notifications.list', { unreadOnly: true, offset: 0, limit: 1 })
    if (r.ok) setUnread(r.value.total)
  }, [api])

  useEffect(() => {
    void count()
  }, [count])

  // a click on a desktop notification (sent while any page was open) opens its item
  useEffect(() => desktopBridge()?.onNoticeOpen?.((link) => navigate(link)), [])

  const refresh = () => {
    void count()
    setVersion((v) => v + 1)
  }
  useLiveNotices(refresh)
  // notices pushed while the connection was lost never arrived
  useReconnected(refresh)

  return (
    <>
      <Badge count={unread} overflowCount={99} size="small">
        <Button
          type="text"
          icon={<BellOutlined />}
          onClick={() => setOpen(true)}
          data-testid="open-notices"
          aria-label={unread > 0 ? t('work.notices.bellUnread', { count: unread }) : t('work.notices.title')}
          title={t('work.notices.title')}
        />
      </Badge>
      <NoticesDrawer
        open={open}
        version={version}
        onClose={() => setOpen(false)}
        onRead={() => void count()}
        onOpenClient={(clientId) => {
          setOpen(false)
          navigate(`/clients/${clientId}`)
        }}
      />
    </>
  )
}
