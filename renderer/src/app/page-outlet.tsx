import { Result } from 'antd'
import { useEffect, type ComponentType } from 'react'
import { useTranslation } from 'react-i18next'
import { useMe } from '../api/session-context'
import { BoardPage } from '../features/board/board-page'
import { CampaignsPage } from '../features/campaigns/campaigns-page'
import { CalendarPage } from '../features/calendar/calendar-page'
import { CarePage } from '../features/care/care-page'
import { CasesPage } from '../features/cases/cases-page'
import { ClientsPage } from '../features/clients/clients-page'
import { CollabInboxPage } from '../features/collab/collab-inbox-page'
import { FrontDeskPage } from '../features/front-desk/front-desk-page'
import { MembersPage } from '../features/members/members-page'
import { MortgagePage } from '../features/mortgage/mortgage-page'
import { ReadersPage } from '../features/readers/readers-page'
import { ReportsPage } from '../features/reports/reports-page'
import { StaffPage } from '../features/staff/staff-page'
import { TicketsPage } from '../features/tickets/tickets-page'
import { SubscriptionPage } from '../features/subscription/subscription-page'
import { SurveysPage } from '../features/surveys/surveys-page'
import { PoolPage } from '../features/work/pool-page'
import { PrintPage } from '../features/work/print-page'
import { SettingsPage } from '../features/work/settings-page'
import { TeamPage } from '../features/work/team-page'
import { FollowUpsPage } from '../features/work/today-page'
import { AccessDenied } from './access-denied'
import { findRoute, mayOpen, routeParams, startPath, type NavKey, type PageProps } from './routes'

// each area registers its page here; pages get the path segments below their route
const PAGES: Record<NavKey, ComponentType<PageProps>> = {
  team: TeamPage,
  clients: ClientsPage,
  board: BoardPage,
  frontDesk: FrontDeskPage,
  members: MembersPage,
  reports: ReportsPage,
  staff: StaffPage,
  followUps: FollowUpsPage,
  care: CarePage,
  calendar: CalendarPage,
  tickets: TicketsPage,
  surveys: SurveysPage,
  campaigns: CampaignsPage,
  mortgage: MortgagePage,
  cases: CasesPage,
  subscription: SubscriptionPage,
  pool: PoolPage,
  collab: CollabInboxPage,
  settings: SettingsPage,
  print: PrintPage,
  readers: ReadersPage,
}

/** The page for the current hash path: the page itself, 无权访问, or 页面不存在. */
export function PageOutlet({ path }: { path: string }) {
  const { t } = useTranslation()
  const me = useMe()
  const route = findRoute(path)

  useEffect(() => {
    if (path === '/') window.location.replace(`#${startPath(me.role)}`)
  }, [path, me.role])

  if (!route) {
    return path === '/' ? null : <Result status="404" title={t('notFound.title')} subTitle={t('notFound.subtitle')} />
  }
  const label = t(`nav.${route.nav}`)
  if (!mayOpen(me.role, route)) return <AccessDenied page={label} />
  const Page = PAGES[route.nav]
  return <Page params={routeParams(route, path)} />
}
