import { Layout, Menu, Space, Typography } from 'antd'
import { useEffect } from 'react'
import { useTranslation } from 'react-i18next'
import { useMe } from '../api/session-context'
import { usePendingApprovalCount } from '../features/board/pending-approvals'
import { GlobalClientSearch } from '../features/clients/global-search'
import { useOpenCollabCount } from '../features/collab/open-requests'
import { useSwipeAnywhere } from '../features/front-desk/swipe-anywhere'
import { HeaderNotices } from '../features/work/header-notices'
import { CountLabel } from './count-label'
import { LanguageSwitch } from './language-switch'
import { PageOutlet } from './page-outlet'
import { findRoute, mayOpen, ROUTES, type NavKey } from './routes'
import { navigate, useHashRoute } from './use-hash-route'
import { UserMenu } from './user-menu'
import './app-layout.css'

/** The signed-in frame: menu of the areas this role may open on the left, who-am-I on the top right. */
export function AppLayout() {
  const { t } = useTranslation()
  const me = useMe()
  const path = useHashRoute()
  const route = findRoute(path)
  const title = route ? t(`nav.${route.nav}`) : ''
  // what waits for this person, on the menu: 变更审批 (a tab of 销控) and the 申请协作 inbox
  const pendingApprovals = usePendingApprovalCount()
  const openCollab = useOpenCollabCount()
  const counts: Partial<Record<NavKey, { count: number; testId: string }>> = {
    board: { count: pendingApprovals, testId: 'approvals-menu-count' },
    collab: { count: openCollab, testId: 'collab-menu-count' },
  }
  useSwipeAnywhere()

  useEffect(() => {
    document.title = title ? t('app.pageTitle', { page: title }) : t('app.windowTitle')
  }, [title, t])

  return (
    <Layout className="app-frame">
      <Layout.Sider width={184} className="app-sider" breakpoint="lg" collapsedWidth={64}>
        <div className="app-brand">{t('app.name')}</div>
        <nav aria-label={t('app.tagline')}>
          <Menu
            theme="dark"
            mode="inline"
            selectedKeys={route ? [route.path] : []}
            onClick={({ key }) => navigate(key)}
            items={ROUTES.filter((r) => !r.hidden && mayOpen(me.role, r)).map((r) => {
              const c = counts[r.nav]
              return { key: r.path, icon: r.icon, label: c ? <CountLabel text={t(`nav.${r.nav}`)} count={c.count} testId={c.testId} /> : t(`nav.${r.nav}`) }
            })}
          />
        </nav>
      </Layout.Sider>
      <Layout>
        <Layout.Header className="app-header">
          <Typography.Title level={4} className="app-title">
            {title}
          </Typography.Title>
          <Space size={12}>
            <GlobalClientSearch />
            <HeaderNotices />
            <LanguageSwitch />
            <UserMenu />
          </Space>
        </Layout.Header>
        <Layout.Content className="app-content">
          <PageOutlet path={path} />
        </Layout.Content>
      </Layout>
    </Layout>
  )
}
