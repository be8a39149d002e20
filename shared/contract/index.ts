import type { z } from 'zod'
import { authContract } from './auth'
import { staffContract } from './staff'
import { auditContract } from './audit'
import { systemContract } from './system'
import { clientsContract } from './clients'
import { needsContract } from './needs'
import { prefsContract } from './prefs'
import { followupsContract } from './followups'
import { questionnairesContract } from './questionnaires'
import { viewingsContract } from './viewings'
import { tasksContract } from './tasks'
import { notificationsContract } from './notifications'
import { poolContract } from './pool'
import { careContract } from './care'
import { casesContract } from './cases'
import { calendarContract } from './calendar'
import { ticketsContract } from './tickets'
import { surveysContract } from './surveys'
import { dutyContract } from './duty'
import { settingsContract } from './settings'
import { reportsContract } from './reports'
import { schedulerContract } from './scheduler'
import { jobsContract } from './jobs'
import { cardsContract } from './cards'
import { frontdeskContract } from './frontdesk'
import { clubContract } from './club'
import { activitiesContract } from './activities'
import { referralsContract } from './referrals'
import { projectsContract } from './projects'
import { unitsContract } from './units'
import { boardContract } from './board'
import { paymentsContract } from './payments'
import { changesContract } from './changes'
import { financeContract } from './finance'
import { matchingContract } from './matching'
import { collabContract } from './collab'
import { backupContract } from './backup'
import { exportContract } from './export'
import { importsContract } from './imports'
import { healthContract } from './health'
import { subscriptionContract } from './subscription'
import { campaignsContract } from './campaigns'
import { devicesContract } from './devices'

/**
 * Every API method of the host, one table: the single source of types for host and renderer.
 * A method `x.verb` is declared in `shared/contract/x.ts` as `xContract` and handled in
 * `electron/host/domains/x/` (tests/unit/method-layout.test.ts holds the three together).
 */
export const contract = {
  ...authContract,
  ...staffContract,
  ...auditContract,
  ...systemContract,
  ...clientsContract,
  ...needsContract,
  ...prefsContract,
  ...followupsContract,
  ...questionnairesContract,
  ...viewingsContract,
  ...tasksContract,
  ...notificationsContract,
  ...poolContract,
  ...dutyContract,
  ...careContract,
  ...casesContract,
  ...calendarContract,
  ...ticketsContract,
  ...surveysContract,
  ...settingsContract,
  ...reportsContract,
  ...schedulerContract,
  ...jobsContract,
  ...cardsContract,
  ...frontdeskContract,
  ...clubContract,
  ...activitiesContract,
  ...referralsContract,
  ...projectsContract,
  ...unitsContract,
  ...boardContract,
  ...paymentsContract,
  ...changesContract,
  ...financeContract,
  ...matchingContract,
  ...collabContract,
  ...backupContract,
  ...exportContract,
  ...importsContract,
  ...healthContract,
  ...subscriptionContract,
  ...campaignsContract,
  ...devicesContract,
} as const

export type Contract = typeof contract
export type MethodName = keyof Contract
export type InputOf<M extends MethodName> = z.input<Contract[M]['input']>
export type ParsedInputOf<M extends MethodName> = z.output<Contract[M]['input']>
export type OutputOf<M extends MethodName> = z.output<Contract[M]['output']>
/** The domain of a method: the part before the dot (`clients` of `clients.search`). */
export type MethodPrefix = MethodName extends `${infer P}.${string}` ? P : never
/** The methods of one domain. */
export type MethodsOf<P extends MethodPrefix> = Extract<MethodName, `${P}.${string}`>

export const METHOD_NAMES = Object.keys(contract) as MethodName[]

export function isMethodName(name: string): name is MethodName {
  return Object.prototype.hasOwnProperty.call(contract, name)
}
