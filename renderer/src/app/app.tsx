import { App as AntApp, ConfigProvider, Spin } from 'antd'
import enUS from 'antd/locale/en_US'
import zhCN from 'antd/locale/zh_CN'
import dayjs from 'dayjs'
import 'dayjs/locale/zh-cn'
import { useEffect } from 'react'
import { useTranslation } from 'react-i18next'
import { SessionProvider, useSession } from '../api/session-context'
import { LoginPage } from '../features/login/login-page'
import { AppLayout } from './app-layout'
import { antdTheme } from './theme'

function SessionGate() {
  const { t } = useTranslation()
  const { state } = useSession()
  const { message, notification } = AntApp.useApp()

  // toasts of one person's session must not linger for the next one at the same PC
  useEffect(() => {
    if (state.status === 'signed-out') {
      message.destroy()
      notification.destroy()
    }
  }, [state.status, message, notification])

  if (state.status === 'checking') {
    return (
      <div style={{ height: '100vh', display: 'grid', placeItems: 'center' }}>
        <Spin size="large" tip={t('login.checking')}>
          <div style={{ width: 200, height: 80 }} />
        </Spin>
      </div>
    )
  }
  if (state.status === 'signed-out') return <LoginPage notice={state.notice} bootError={state.error} />
  return <AppLayout key={state.me.id} />
}

/** The renderer root: antd in the chosen language, the session, then login or the app. */
export function App() {
  const { i18n } = useTranslation()
  const english = i18n.language === 'en'

  useEffect(() => {
    dayjs.locale(english ? 'en' : 'zh-cn')
    document.documentElement.lang = english ? 'en' : 'zh-CN'
  }, [english])

  return (
    <ConfigProvider locale={english ? enUS : zhCN} theme={antdTheme} button={{ autoInsertSpace: false }}>
      <AntApp>
        <SessionProvider>
          <SessionGate />
        </SessionProvider>
      </AntApp>
    </ConfigProvider>
  )
}
