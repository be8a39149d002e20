import { App } from 'antd'
import { useEffect, useRef } from 'react'
import { useTranslation } from 'react-i18next'
import type { EventPayload } from '@shared/contract/events'
import { useApi } from '../../api/session-context'
import { navigate } from '../../app/use-hash-route'
import { notifyDesktop } from './desktop-notify'
import { hostText } from '../../i18n/host-text'

type Notice = EventPayload<'notice.new'>

// a rules run can push dozens of notices at once: gather them and show one summary
const GATHER_MS = 400
const SHOW_EACH_UP_TO = 2

/** Where a notice leads when clicked: its client's profile, else none. */
export function noticeLink(n: { clientId: number | null }): string | null {
  return n.clientId === null ? null : `/clients/${n.clientId}`
}

/** Calls `onBurst` once per burst of the host's pushed notices (gathered), without showing them. */
export function useNoticeBursts(onBurst: (notices: Notice[]) => void): void {
  const api = useApi()
  const latest = useRef(onBurst)
  latest.current = onBurst

  useEffect(() => {
    let pending: Notice[] = []
    let timer: ReturnType<typeof setTimeout> | undefined
    const off = api.on('notice.new', (n) => {
      pending.push(n)
      timer ??= setTimeout(() => {
        const batch = pending
        pending = []
        timer = undefined
        latest.current(batch)
      }, GATHER_MS)
    })
    return () => {
      off()
      if (timer) clearTimeout(timer)
    }
  }, [api])
}

/**
 * Shows the host's pushed notices, on every page: an antd notification (click opens the item)
 * and, on the desktop, an OS notification (click brings the window up and opens the item);
 * then calls `onNotice` once per burst so the bell can recount.
 */
export function useLiveNotices(onNotice: (notices: Notice[]) => void): void {
  const { t } = useTranslation()
  const { notification } = App.useApp()
  useNoticeBursts((batch) => {
    // worded here, in the chosen language, before the desktop shows them too
    const shown =
      batch.length <= SHOW_EACH_UP_TO
        ? batch.map((n) => ({ title: hostText(t, n.title), body: hostText(t, n.body), link: noticeLink(n) }))
        : [{ title: t('work.today.liveTitle'), body: t('work.today.liveMany', { count: batch.length, first: batch[0] ? hostText(t, batch[0].title) : '' }), link: null }]
    for (const n of shown) {
      const link = n.link
      notification.info({
        message: n.title,
        description: n.body,
        placement: 'bottomRight',
        className: link ? 'work-notice-toast work-notice-toast-link' : 'work-notice-toast',
        onClick: link ? () => navigate(link) : undefined,
      })
      notifyDesktop(n.title, n.body, link)
    }
    onNotice(batch)
  })
}
