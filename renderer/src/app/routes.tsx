import {
  AppstoreOutlined,
  BarChartOutlined,
  CrownOutlined,
  IdcardOutlined,
  ScheduleOutlined,
  SettingOutlined,
  SolutionOutlined,
  TeamOutlined,
} from '@ant-design/icons'
import type { ReactNode } from 'react'
import type { MethodName } from '../../../shared/contract'
import { mayCall } from '../../../shared/domain/permissions'
import type { Role } from '../../../shared/domain/roles'
import type { Resources } from '../i18n/zh'

export type NavKey = keyof Resources['nav']

/** One page of the app: its hash path, menu label and the API method a role must be allowed to open it. */
export interface AppRoute {
  path: string
  nav: NavKey
  icon: ReactNode
  /** the page is shown only to roles that may call this method. */
  requires?: MethodName
}

/** Every page in menu order; the first is the start page. */
export const ROUTES: readonly AppRoute[] = [
  { path: '/clients', nav: 'clients', icon: <TeamOutlined /> },
  { path: '/follow-ups', nav: 'followUps', icon: <ScheduleOutlined /> },
  { path: '/front-desk', nav: 'frontDesk', icon: <IdcardOutlined /> },
  { path: '/board', nav: 'board', icon: <AppstoreOutlined /> },
  { path: '/members', nav: 'members', icon: <CrownOutlined /> },
  { path: '/reports', nav: 'reports', icon: <BarChartOutlined /> },
  { path: '/settings', nav: 'settings', icon: <SettingOutlined /> },
  { path: '/staff', nav: 'staff', icon: <SolutionOutlined />, requires: 'staff.list' },
]

export const START_PATH = ROUTES[0]!.path

/** Whether a role may open a page (per the shared permission table). */
export function mayOpen(role: Role, route: AppRoute): boolean {
  return route.requires === undefined || mayCall(role, route.requires)
}

/** The route for a hash path, or undefined for an unknown path. */
export function findRoute(path: string): AppRoute | undefined {
  return ROUTES.find((r) => r.path === path)
}
