import type { z } from 'zod'
import { auditContract } from './audit'
import { clientsContract, prefsContract } from './clients'
import { needsContract } from './needs'
import { followupsContract } from './followups'
import { viewingsContract } from './viewings'
import { workContract } from './work'
import { cardsContract } from './cards'
import { boardContract } from './board'
import { authContract } from './auth'
import { staffContract } from './staff'
import { systemContract } from './system'

/** Every API method of the host, one table: the single source of types for host and renderer. */
export const contract = {
  ...authContract,
  ...staffContract,
  ...auditContract,
  ...systemContract,
  ...clientsContract,
  ...needsContract,
  ...prefsContract,
  ...followupsContract,
  ...viewingsContract,
  ...workContract,
  ...cardsContract,
  ...boardContract,
} as const

export type Contract = typeof contract
export type MethodName = keyof Contract
export type InputOf<M extends MethodName> = z.input<Contract[M]['input']>
export type ParsedInputOf<M extends MethodName> = z.output<Contract[M]['input']>
export type OutputOf<M extends MethodName> = z.output<Contract[M]['output']>

export const METHOD_NAMES = Object.keys(contract) as MethodName[]

export function isMethodName(name: string): name is MethodName {
  return Object.prototype.hasOwnProperty.call(contract, name)
}
