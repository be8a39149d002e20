import { Result, Spin } from 'antd'
import { Suspense, useEffect } from 'react'
import { useTranslation } from 'react-i18next'
import { useMe } from '../api/session-context'
import { AccessDenied } from './access-denied'
import { pageChunk, prefetchWhenIdle, type PageChunk } from './lazy-page'
import { findRoute, mayOpen, ROUTES, routeParams, startPath, type NavKey } from './routes'

// each area registers its page here, as its own chunk; pages get the path segments below their route
const PAGES: Record<NavKey, PageChunk> = {
  team: pageChunk(() => import('../features/work/team-page'), (m) => m.TeamPage),
  clients: pageChunk(() => import('../features/clients/clients-page'), (m) => m.ClientsPage),
  board: pageChunk(() => import('../features/board/board-page'), (m) => m.BoardPage),
  frontDesk: pageChunk(() => import('../features/front-desk/front-desk-page'), (m) => m.FrontDeskPage),
  members: pageChunk(() => import('../features/members/members-page'), (m) => m.MembersPage),
  reports: pageChunk(() => import('../features/reports/reports-page'), (m) => m.ReportsPage),
  staff: pageChunk(() => import('../features/staff/staff-page'), (m) => m.StaffPage),
  followUps: pageChunk(() => import('../features/work/today-page'), (m) => m.FollowUpsPage),
  care: pageChunk(() => import('../features/care/care-page'), (m) => m.CarePage),
  cases: pageChunk(() => import('../features/cases/cases-page'), (m) => m.CasesPage),
  calendar: pageChunk(() => import('../features/calendar/calendar-page'), (m) => m.CalendarPage),
  tickets: pageChunk(() => import('../features/tickets/tickets-page'), (m) => m.TicketsPage),
  surveys: pageChunk(() => import('../features/surveys/surveys-page'), (m) => m.SurveysPage),
  campaigns: pageChunk(() => import('../features/campaigns/campaigns-page'), (m) => m.CampaignsPage),
  mortgage: pageChunk(() => import('../features/mortgage/mortgage-page'), (m) => m.MortgagePage),
  subscription: pageChunk(() => import('../features/subscription/subscription-page'), (m) => m.SubscriptionPage),
  pool: pageChunk(() => import('../features/work/pool-page'), (m) => m.PoolPage),
  collab: pageChunk(() => import('../features/collab/collab-inbox-page'), (m) => m.CollabInboxPage),
  settings: pageChunk(() => import('../features/work/settings-page'), (m) => m.SettingsPage),
  print: pageChunk(() => import('../features/work/print-page'), (m) => m.PrintPage),
  readers: pageChunk(() => import('../features/readers/readers-page'), (m) => m.ReadersPage),
}

/** The page for the current hash path: the page itself, 无权访问, or 页面不存在. */
export function PageOutlet({ path }: { path: string }) {
  const { t } = useTranslation()
  const me = useMe()
  const route = findRoute(path)

  useEffect(() => {
    if (path === '/') window.location.replace(`#${startPath(me.role)}`)
  }, [path, me.role])

  // the pages this user may open load in the background once the day is under way
  useEffect(() => prefetchWhenIdle(ROUTES.filter((r) => mayOpen(me.role, r)).map((r) => PAGES[r.nav])), [me.role])

  if (!route) {
    return path === '/' ? null : <Result status="404" title={t('notFound.title')} subTitle={t('notFound.subtitle')} />
  }
  const label = t(`nav.${route.nav}`)
  if (!mayOpen(me.role, route)) return <AccessDenied page={label} />
  const Page = PAGES[route.nav].Page
  return (
    <Suspense fallback={<Spin className="page-loading" size="large" />}>
      <Page params={routeParams(route, path)} />
    </Suspense>
  )
}
