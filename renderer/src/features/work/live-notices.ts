import { App } from 'antd'
import { useEffect, useRef } from 'react'
import { useTranslation } from 'react-i18next'
import type { EventPayload } from '@shared/contract/events'
import { useApi } from '../../api/session-context'
import { notifyDesktop } from './desktop-notify'
import { hostText } from '../../i18n/host-text'

type Notice = EventPayload<'notice.new'>

// a rules run can push dozens of notices at once: gather them and show one summary
const GATHER_MS = 400
const SHOW_EACH_UP_TO = 2

/**
 * Listens for the host's pushed notices: shows them (antd notification and, on the desktop,
 * an OS notification) and calls `onNotice` once per burst so the page can reload.
 */
export function useLiveNotices(onNotice: (notices: Notice[]) => void): void {
  const api = useApi()
  const { t } = useTranslation()
  const { notification } = App.useApp()
  const latest = useRef(onNotice)
  latest.current = onNotice

  useEffect(() => {
    let pending: Notice[] = []
    let timer: ReturnType<typeof setTimeout> | undefined
    const flush = () => {
      const batch = pending
      pending = []
      timer = undefined
      // worded here, in the chosen language, before the desktop shows them too
      const shown =
        batch.length <= SHOW_EACH_UP_TO
          ? batch.map((n) => ({ title: hostText(t, n.title), body: hostText(t, n.body) }))
          : [{ title: t('work.today.liveTitle'), body: t('work.today.liveMany', { count: batch.length, first: batch[0] ? hostText(t, batch[0].title) : '' }) }]
      for (const n of shown) {
        notification.info({ message: n.title, description: n.body, placement: 'bottomRight' })
        notifyDesktop(n.title, n.body)
      }
      latest.current(batch)
    }
    const off = api.on('notice.new', (n) => {
      pending.push(n)
      timer ??= setTimeout(flush, GATHER_MS)
    })
    return () => {
      off()
      if (timer) clearTimeout(timer)
    }
  }, [api, notification, t])
}
