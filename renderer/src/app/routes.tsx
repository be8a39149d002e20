import {
  AppstoreOutlined,
  CalculatorOutlined,
  CalendarOutlined,
  FundOutlined,
  CustomerServiceOutlined,
  BarChartOutlined,
  GiftOutlined,
  CrownOutlined,
  DashboardOutlined,
  FieldTimeOutlined,
  FileSearchOutlined,
  FormOutlined,
  IdcardOutlined,
  InboxOutlined,
  MailOutlined,
  PrinterOutlined,
  ScheduleOutlined,
  SettingOutlined,
  SolutionOutlined,
  TeamOutlined,
  UsbOutlined,
} from '@ant-design/icons'
import type { ReactNode } from 'react'
import type { MethodName } from '@shared/contract'
import { mayCall } from '@shared/domain/permissions'
import type { Role } from '@shared/domain/roles'
import type { Resources } from '../i18n/zh'

export type NavKey = keyof Resources['nav']

/** One page of the app: its hash path, menu label and the API method a role must be allowed to open it. */
interface AppRoute {
  path: string
  nav: NavKey
  icon: ReactNode
  /** the page is shown only to roles that may call this method. */
  requires?: MethodName
  /** the page is shown only to these roles (a page with no host method behind it, e.g. 读卡器 on this PC). */
  roles?: readonly Role[]
  /** reachable by link only (e.g. the print view), not in the menu. */
  hidden?: boolean
}

/** What a page receives: the path segments after its own path (`/clients/12` -> ['12']). */
export interface PageProps {
  params: string[]
}

/** Every page in menu order (each role starts on its own, see startPath). */
export const ROUTES: readonly AppRoute[] = [
  { path: '/team', nav: 'team', icon: <DashboardOutlined />, requires: 'tasks.team' },
  { path: '/clients', nav: 'clients', icon: <TeamOutlined /> },
  { path: '/follow-ups', nav: 'followUps', icon: <ScheduleOutlined /> },
  { path: '/care', nav: 'care', icon: <GiftOutlined />, requires: 'care.birthdays' },
  { path: '/calendar', nav: 'calendar', icon: <CalendarOutlined />, requires: 'calendar.range' },
  { path: '/tickets', nav: 'tickets', icon: <CustomerServiceOutlined />, requires: 'tickets.list' },
  { path: '/surveys', nav: 'surveys', icon: <FormOutlined />, requires: 'surveys.templates' },
  { path: '/campaigns', nav: 'campaigns', icon: <FundOutlined />, requires: 'campaigns.figures' },
  { path: '/front-desk', nav: 'frontDesk', icon: <IdcardOutlined /> },
  { path: '/board', nav: 'board', icon: <AppstoreOutlined /> },
  { path: '/subscription', nav: 'subscription', icon: <FieldTimeOutlined />, requires: 'subscription.lobby' },
  { path: '/members', nav: 'members', icon: <CrownOutlined /> },
  { path: '/mortgage', nav: 'mortgage', icon: <CalculatorOutlined />, roles: ['front_desk', 'agent', 'senior_agent', 'manager'] },
  { path: '/cases', nav: 'cases', icon: <FileSearchOutlined />, requires: 'cases.search' },
  { path: '/reports', nav: 'reports', icon: <BarChartOutlined />, requires: 'reports.kpis' },
  { path: '/settings', nav: 'settings', icon: <SettingOutlined /> },
  { path: '/pool', nav: 'pool', icon: <InboxOutlined />, requires: 'pool.list' },
  { path: '/collab', nav: 'collab', icon: <MailOutlined />, requires: 'collab.inbox' },
  { path: '/staff', nav: 'staff', icon: <SolutionOutlined />, requires: 'staff.list' },
  { path: '/readers', nav: 'readers', icon: <UsbOutlined />, roles: ['admin'] },
  { path: '/print', nav: 'print', icon: <PrinterOutlined />, hidden: true },
]

// where each role starts its day (issue #16 item 13); admins have no health read yet, so staff
const START_PATHS: Record<Role, string> = {
  front_desk: '/front-desk',
  agent: '/follow-ups',
  senior_agent: '/follow-ups',
  manager: '/team',
  admin: '/staff',
}

/** The page a role lands on after signing in and on `/`. */
export function startPath(role: Role): string {
  return START_PATHS[role]
}

/** Whether a role may open a page (per the shared permission table). */
export function mayOpen(role: Role, route: AppRoute): boolean {
  if (route.roles !== undefined && !route.roles.includes(role)) return false
  return route.requires === undefined || mayCall(role, route.requires)
}

/** The route for a hash path (its own path or below it), or undefined for an unknown path. */
export function findRoute(path: string): AppRoute | undefined {
  return ROUTES.find((r) => path === r.path || path.startsWith(`${r.path}/`))
}

/** The segments of a path below its route: `/clients/12/needs` under `/clients` -> ['12', 'needs']. */
export function routeParams(route: AppRoute, path: string): string[] {
  return path
    .slice(route.path.length)
    .split('/')
    .filter((s) => s !== '')
    .map(decodeURIComponent)
}
