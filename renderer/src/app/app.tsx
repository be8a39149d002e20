import { App as AntApp, ConfigProvider, Spin } from 'antd'
import enUS from 'antd/locale/en_US'
import zhCN from 'antd/locale/zh_CN'
import dayjs from 'dayjs'
import 'dayjs/locale/zh-cn'
import { useEffect, useMemo, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { SessionProvider, useSession } from '../api/session-context'
import { LoginPage } from '../features/login/login-page'
import { AppLayout } from './app-layout'
import { ConnectionBanner } from './connection-banner'
import { desktopBridge, type FirstRun } from './desktop'
import { FirstRunPage } from './first-run-page'
import { usePrefersReducedMotion } from './reduced-motion'
import { antdTheme } from './theme'
import './app-root.css'
import './print-alone.css'

/** The first admin's sign-in (and the recovery key), when the desktop app hands them over (once, on a new database). */
function useFirstRun(): [FirstRun | null, () => void] {
  const [firstRun, setFirstRun] = useState<FirstRun | null>(null)
  useEffect(() => {
    void desktopBridge()
      ?.firstRun?.()
      .then((c) => {
        if (!c || typeof c.username !== 'string' || typeof c.password !== 'string') return
        const recoveryKey = typeof c.recoveryKey === 'string' ? c.recoveryKey : null
        setFirstRun({ username: c.username, password: c.password, recoveryKey })
      })
      .catch(() => {})
  }, [])
  return [firstRun, () => setFirstRun(null)]
}

function SessionGate() {
  const { t } = useTranslation()
  const { state } = useSession()
  const { message, notification } = AntApp.useApp()
  const [firstRun, firstRunDone] = useFirstRun()

  // toasts of one person's session must not linger for the next one at the same PC
  useEffect(() => {
    if (state.status === 'signed-out') {
      message.destroy()
      notification.destroy()
    }
  }, [state.status, message, notification])

  if (state.status === 'checking') {
    return (
      <div style={{ height: '100%', display: 'grid', placeItems: 'center' }}>
        <Spin size="large" tip={t('login.checking')}>
          <div style={{ width: 200, height: 80 }} />
        </Spin>
      </div>
    )
  }
  if (state.status === 'signed-out') {
    if (firstRun) return <FirstRunPage credentials={firstRun} onDone={firstRunDone} />
    return <LoginPage notice={state.notice} bootError={state.error} />
  }
  return <AppLayout key={state.me.id} />
}

/** The renderer root: antd in the chosen language, the session, the connection banner, then login or the app. */
export function App() {
  const { i18n } = useTranslation()
  const english = i18n.language === 'en'
  const reducedMotion = usePrefersReducedMotion()
  const theme = useMemo(() => antdTheme(reducedMotion), [reducedMotion])

  useEffect(() => {
    dayjs.locale(english ? 'en' : 'zh-cn')
    document.documentElement.lang = english ? 'en' : 'zh-CN'
  }, [english])

  return (
    <ConfigProvider locale={english ? enUS : zhCN} theme={theme} button={{ autoInsertSpace: false }}>
      <AntApp>
        <SessionProvider>
          <div className="app-root">
            <ConnectionBanner />
            <div className="app-body">
              <SessionGate />
            </div>
          </div>
        </SessionProvider>
      </AntApp>
    </ConfigProvider>
  )
}
