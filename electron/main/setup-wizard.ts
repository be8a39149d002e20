import path from 'node:path'
import { z } from 'zod'
import { findPasswordProblem, type PasswordLists, type PasswordProblem } from '@shared/domain/password-rules'
import type { ApiErrorShape } from '@shared/contract/common'
import type { FoundHost } from '../host/pairing/discovery'
import { DEFAULT_LAN_PORT, LanPort, type DesktopConfig } from './desktop-config'

/**
 * The first-run wizard: host this branch, or connect to a host. A plain state machine (no
 * Electron): each page's form navigates to `keyuan-setup:<event>?…`, main turns that URL into an
 * event (parseWizardUrl), `step` gives the next state and what main must do (pick a folder,
 * search the LAN, pair), and main feeds the outcome back as another event.
 */

/** A field the host form refused, and why (each has zh and en text in setup-pages). */
export type HostFormProblem =
  | { field: 'dataDir'; reason: 'folder_not_absolute' }
  | { field: 'lanPort'; reason: 'lan_port_range' }
  | { field: 'password'; reason: PasswordProblem['reason']; minimum?: number }
  | { field: 'confirm'; reason: 'password_mismatch' }

export type WizardState =
  | { step: 'choose' }
  | { step: 'host'; dataDir: string; lanPort: string; existing: boolean; problem: HostFormProblem | null }
  | { step: 'find'; searching: boolean; hosts: FoundHost[]; address: string; problem: 'address_invalid' | null }
  | { step: 'pair'; address: string; name: string; busy: boolean; error: ApiErrorShape | null }
  /** finished: main keeps `config` (and the pairing, for a terminal) and starts that mode */
  | { step: 'done'; config: DesktopConfig; adminPassword: string | null }

export type WizardEvent =
  | { type: 'choose'; mode: 'host' | 'terminal' }
  | { type: 'back' }
  | { type: 'pick-folder' }
  | { type: 'folder-picked'; dataDir: string | null }
  | { type: 'host-submit'; dataDir: string; lanPort: string; password: string; confirm: string }
  | { type: 'search' }
  | { type: 'found'; hosts: FoundHost[] }
  | { type: 'address'; address: string }
  | { type: 'pair-submit'; code: string; name: string }
  | { type: 'pair-failed'; error: ApiErrorShape }
  | { type: 'paired' }

/** What main must do after a step: nothing, ask the OS for a folder, search by mDNS, or pair. */
export type WizardEffect = { kind: 'none' } | { kind: 'pick-folder' } | { kind: 'find-hosts' } | { kind: 'pair'; address: string; code: string; name: string }

/** What the wizard needs to know about this PC. */
export interface WizardContext {
  /** userData/data: the data folder offered first */
  defaultDataDir: string
  /** this PC's name, offered as the name the host's admin sees */
  pcName: string
  folderHasDatabase(dir: string): boolean
  passwordLists: PasswordLists
}

const NONE: WizardEffect = { kind: 'none' }

/**
 * What the first admin's password may not contain: the host's personalWords of its first admin
 * (`admin`, 系统管理员 and its pinyin), spelt here so main does not load the pinyin library; the
 * unit test checks both agree, so a password the wizard takes is one the host takes.
 */
export const FIRST_ADMIN_WORDS = ['admin', '系统管理员', 'xitongguanliyuan'] as const

/** The wizard's first page. */
export function wizardStart(): WizardState {
  return { step: 'choose' }
}

function hostForm(ctx: WizardContext, dataDir: string, lanPort: string, problem: HostFormProblem | null): WizardState {
  return { step: 'host', dataDir, lanPort, existing: path.isAbsolute(dataDir) && ctx.folderHasDatabase(dataDir), problem }
}

/** Looks for something wrong in the host form; null when it may be kept. */
function hostProblem(ctx: WizardContext, e: Extract<WizardEvent, { type: 'host-submit' }>): HostFormProblem | null {
  if (!path.isAbsolute(e.dataDir)) return { field: 'dataDir', reason: 'folder_not_absolute' }
  if (!LanPort.safeParse(e.lanPort).success) return { field: 'lanPort', reason: 'lan_port_range' }
  // an existing branch keeps its admins: no new password is asked for
  if (ctx.folderHasDatabase(e.dataDir)) return null
  const weak = findPasswordProblem(e.password, FIRST_ADMIN_WORDS, ctx.passwordLists)
  if (weak) return { field: 'password', ...weak }
  if (e.password !== e.confirm) return { field: 'confirm', reason: 'password_mismatch' }
  return null
}

/** The next state and what main must do, for one event; an event that does not fit the page changes nothing. */
export function step(state: WizardState, event: WizardEvent, ctx: WizardContext): { state: WizardState; effect: WizardEffect } {
  const stay = { state, effect: NONE }
  if (state.step === 'done') return stay
  if (event.type === 'back') {
    if (state.step === 'pair' && !state.busy) return { state: { step: 'find', searching: false, hosts: [], address: state.address, problem: null }, effect: NONE }
    if (state.step === 'host' || state.step === 'find') return { state: wizardStart(), effect: NONE }
    return stay
  }
  switch (state.step) {
    case 'choose':
      if (event.type !== 'choose') return stay
      return event.mode === 'host'
        ? { state: hostForm(ctx, ctx.defaultDataDir, String(DEFAULT_LAN_PORT), null), effect: NONE }
        : { state: { step: 'find', searching: true, hosts: [], address: '', problem: null }, effect: { kind: 'find-hosts' } }
    case 'host':
      if (event.type === 'pick-folder') return { state, effect: { kind: 'pick-folder' } }
      if (event.type === 'folder-picked') return { state: event.dataDir ? hostForm(ctx, event.dataDir, state.lanPort, null) : state, effect: NONE }
      if (event.type !== 'host-submit') return stay
      {
        const problem = hostProblem(ctx, event)
        if (problem) return { state: hostForm(ctx, event.dataDir, event.lanPort, problem), effect: NONE }
        const existing = ctx.folderHasDatabase(event.dataDir)
        const config: DesktopConfig = { mode: 'host', dataDir: path.resolve(event.dataDir), lanPort: LanPort.parse(event.lanPort), openAtLogin: true }
        return { state: { step: 'done', config, adminPassword: existing ? null : event.password }, effect: NONE }
      }
    case 'find':
      if (event.type === 'search') return { state: { ...state, searching: true, problem: null }, effect: { kind: 'find-hosts' } }
      if (event.type === 'found') return { state: { ...state, searching: false, hosts: event.hosts }, effect: NONE }
      if (event.type !== 'address') return stay
      if (!isHostAddress(event.address)) return { state: { ...state, address: event.address, problem: 'address_invalid' }, effect: NONE }
      return { state: { step: 'pair', address: event.address.trim(), name: ctx.pcName, busy: false, error: null }, effect: NONE }
    case 'pair':
      if (event.type === 'pair-submit' && !state.busy) {
        const name = event.name.trim().slice(0, 60) || ctx.pcName
        return { state: { ...state, name, busy: true, error: null }, effect: { kind: 'pair', address: state.address, code: event.code, name } }
      }
      if (event.type === 'pair-failed' && state.busy) return { state: { ...state, busy: false, error: event.error }, effect: NONE }
      if (event.type === 'paired' && state.busy) return { state: { step: 'done', config: { mode: 'terminal', openAtLogin: true }, adminPassword: null }, effect: NONE }
      return stay
  }
}

/** Whether a typed host address can be tried: a host name or IP, with an optional port, nothing else. */
export function isHostAddress(typed: string): boolean {
  const t = typed.trim().replace(/^https:\/\//i, '').replace(/\/$/, '')
  if (t.length === 0 || t.length > 253) return false
  try {
    const url = new URL(`https://${t}`)
    return url.pathname === '/' && url.username === '' && url.password === '' && url.search === '' && url.hash === ''
  } catch {
    return false
  }
}

/** The URL scheme of the wizard's forms and links; such a navigation is caught by main, never loaded. */
export const WIZARD_SCHEME = 'keyuan-setup:'

const text = (max: number) => z.string().max(max).default('')
const FormEvent = z.discriminatedUnion('type', [
  z.object({ type: z.literal('choose'), mode: z.enum(['host', 'terminal']) }),
  z.object({ type: z.literal('back') }),
  z.object({ type: z.literal('pick-folder') }),
  z.object({ type: z.literal('host-submit'), dataDir: text(1000), lanPort: text(10), password: text(200), confirm: text(200) }),
  z.object({ type: z.literal('search') }),
  z.object({ type: z.literal('address'), address: text(300) }),
  z.object({ type: z.literal('pair-submit'), code: text(40), name: text(200) }),
])

/**
 * The event a wizard page sent, from the URL it navigated to; null for any other URL. Only the
 * events a page may send are read (a page cannot claim it paired or that a folder was picked).
 */
export function parseWizardUrl(raw: string): WizardEvent | null {
  if (!raw.startsWith(WIZARD_SCHEME)) return null
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    return null
  }
  const fields: Record<string, string> = { type: url.pathname }
  for (const [k, v] of url.searchParams) if (k !== 'type') fields[k] = v
  const parsed = FormEvent.safeParse(fields)
  return parsed.success ? parsed.data : null
}

/** The warning page's link back to pairing (a terminal whose host's certificate changed). */
export const REPAIR_URL = `${WIZARD_SCHEME}re-pair`
