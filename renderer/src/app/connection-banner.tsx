import { Alert, App, Button } from 'antd'
import { useEffect, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useConnectionState, useRetryNow } from '../api/connection'
import { useApi, useSession } from '../api/session-context'
import { desktopBridge } from './desktop'
import { keptStandbyAddresses, STANDBY_ADDRESSES_KEY, standbyLinks } from './standby-links'

// a socket the host closed on purpose (an idle limit) is back within milliseconds: no banner for that
const SHOW_AFTER_MS = 800

/**
 * A strip across the top while the host cannot be reached: says so, counts the tries, offers
 * "retry now". It blocks nothing; when the connection is back it goes, with a short "reconnected".
 */
export function ConnectionBanner() {
  const { t } = useTranslation()
  const { message } = App.useApp()
  const state = useConnectionState()
  const retryNow = useRetryNow()
  const signedIn = useSession().state.status === 'signed-in'
  const reconnecting = state.kind === 'reconnecting'
  // shown at once when a try has failed (the host is down), else after a short grace
  const failed = reconnecting && (state.retryInMs !== null || state.attempt > 1)
  const [graceOver, setGraceOver] = useState(false)
  const shown = failed || (reconnecting && graceOver)
  const wasShown = useRef(false)
  const api = useApi()
  // where the standbys are, asked while the host answers and kept (a desktop terminal goes there by itself)
  const browser = desktopBridge() === undefined
  const [standbys, setStandbys] = useState<string[]>(() => (browser ? keptStandbyAddresses(window.localStorage) : []))

  useEffect(() => {
    if (!browser || !signedIn || state.kind !== 'online') return
    let live = true
    api.call('system.standby', {}).then(
      ({ addresses }) => {
        if (!live) return
        setStandbys(addresses)
        window.localStorage.setItem(STANDBY_ADDRESSES_KEY, JSON.stringify(addresses))
      },
      () => undefined,
    )
    return () => {
      live = false
    }
  }, [api, browser, signedIn, state.kind])

  useEffect(() => {
    if (!reconnecting) return setGraceOver(false)
    const timer = setTimeout(() => setGraceOver(true), SHOW_AFTER_MS)
    return () => clearTimeout(timer)
  }, [reconnecting])

  useEffect(() => {
    if (shown) wasShown.current = true
    else if (state.kind === 'online' && wasShown.current) {
      wasShown.current = false
      void message.success(t('connection.back'))
    }
  }, [shown, state.kind, message, t])

  if (!shown || state.kind !== 'reconnecting') return null
  // the tries made so far: 1 when the banner first shows
  const tries = Math.max(1, state.attempt - 1)
  const links = standbyLinks(window.location.href, standbys)
  return (
    <Alert
      banner
      type="warning"
      role="status"
      aria-live="polite"
      className="connection-banner"
      data-testid="connection-banner"
      message={
        <span>
          <strong>{t('connection.lost', { attempt: tries })}</strong>
          <span className="connection-banner-hint">{t(signedIn ? 'connection.lostHint' : 'connection.lostHintSignedOut')}</span>
          {links.length > 0 && (
            <span className="connection-banner-hint" data-testid="standby-links">
              {t('connection.standby')}{' '}
              {links.map((href) => (
                <a key={href} href={href} style={{ marginRight: 8 }}>
                  {href}
                </a>
              ))}
            </span>
          )}
        </span>
      }
      action={
        <Button size="small" onClick={retryNow} disabled={state.retryInMs === null}>
          {t('connection.retryNow')}
        </Button>
      }
    />
  )
}
