import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { DEVICE_COOKIE } from '../host/pairing/device-registry'
import type { PairedHost } from '../host/pairing/pair-client'
import { fingerprintOf } from '../host/tls/fingerprint'
import { checkPinnedCertificate, type HostPin, type PinnedCertificateError } from '../host/pairing/pin-check'
import { DEFAULT_LAN_PORT, LanPort, type DesktopConfig } from './desktop-config'

/** What the app does at start: ask (the wizard), serve the branch, or open a window on a host. */
export type StartPlan =
  | { kind: 'wizard'; why: 'first-run' | 'pairing-missing' }
  | { kind: 'host'; dataDir: string; lanPort: number; openAtLogin: boolean; adminPassword: string | null }
  /** `paired` null only for KEYUAN_HOST_URL (a development or test host on loopback, no pin) */
  | { kind: 'terminal'; url: string; paired: PairedHost | null; openAtLogin: boolean }

export interface StartFacts {
  config: DesktopConfig | null
  paired: PairedHost | null
  /** KEYUAN_HOST_URL: open a window on this host, whatever the config says */
  hostUrlFromEnv: string | undefined
  userDataDir: string
  /** whether userData/data holds a database (an app from before the wizard: it was a host) */
  defaultDatabaseExists: boolean
  /** KEYUAN_ADMIN_PASSWORD is set: an unattended install of a host (no wizard, the default folder and port) */
  unattendedHost: boolean
  /** KEYUAN_LAN_PORT: the LAN port a host set up without the wizard starts on, instead of 8640 */
  lanPortFromEnv: string | undefined
}

/** The data folder a host used before the wizard existed, and the wizard's first offer. */
export function defaultDataDir(userDataDir: string): string {
  return path.join(userDataDir, 'data')
}

/** Decides the start from the kept config and pairing; never guesses a terminal's host. */
export function planStart(f: StartFacts): StartPlan {
  if (f.hostUrlFromEnv) return { kind: 'terminal', url: f.hostUrlFromEnv, paired: null, openAtLogin: false }
  const c = f.config
  if (c?.mode === 'host') return { kind: 'host', dataDir: c.dataDir, lanPort: c.lanPort, openAtLogin: c.openAtLogin, adminPassword: null }
  if (c?.mode === 'terminal') return f.paired ? { kind: 'terminal', url: f.paired.url, paired: f.paired, openAtLogin: c.openAtLogin } : { kind: 'wizard', why: 'pairing-missing' }
  // installed before the wizard (this PC already hosts the branch in the default folder), or set up unattended
  if (f.defaultDatabaseExists || f.unattendedHost) return { kind: 'host', dataDir: defaultDataDir(f.userDataDir), lanPort: firstLanPort(f.lanPortFromEnv), openAtLogin: true, adminPassword: null }
  return { kind: 'wizard', why: 'first-run' }
}

/**
 * The LAN port of a host set up without the wizard: KEYUAN_LAN_PORT when given (an installer, or a
 * test beside a running host), else 8640. It is kept in the config like the wizard's choice; the
 * tray's 局域网端口… changes it later. A value that is no port stops the start, naming the variable.
 */
export function firstLanPort(fromEnv: string | undefined): number {
  if (fromEnv === undefined || fromEnv === '') return DEFAULT_LAN_PORT
  const text = fromEnv.trim()
  const port = /^\d+$/.test(text) ? LanPort.safeParse(text) : null
  if (!port?.success) throw new Error(`KEYUAN_LAN_PORT must be a port number from 1024 to 65535, not ${JSON.stringify(fromEnv)}`)
  return port.data
}

/** The config a plan keeps, so the next start goes straight to it (null: nothing to keep). */
export function configOf(plan: StartPlan): DesktopConfig | null {
  if (plan.kind === 'host') return { mode: 'host', dataDir: plan.dataDir, lanPort: plan.lanPort, openAtLogin: plan.openAtLogin }
  if (plan.kind === 'terminal' && plan.paired) return { mode: 'terminal', openAtLogin: plan.openAtLogin }
  return null
}

/** The host a window may trust by its pin: the paired host (terminal), or this PC's own host over loopback TLS (host mode). */
export interface TrustedHost extends HostPin {
  url: string
}

/** Chromium's answer to one certificate: trust it (it is the pinned host's), refuse it (say why), or let Chromium judge (another site). */
export type CertificateVerdict = { kind: 'trust' } | { kind: 'refuse'; error: PinnedCertificateError } | { kind: 'chromium' }

function bareHost(h: string): string {
  return h.replace(/^\[|\]$/g, '').toLowerCase()
}

/**
 * Judges a certificate Chromium shows for `hostname`: for the trusted host, by the pin only (a
 * different CA is refused, never accepted, whatever Windows' store says); for anything else,
 * Chromium's own verdict.
 */
export function judgeCertificate(trusted: TrustedHost | null, hostname: string, certificatePem: string, now: Date): CertificateVerdict {
  if (!trusted || bareHost(new URL(trusted.url).hostname) !== bareHost(hostname)) return { kind: 'chromium' }
  const verdict = checkPinnedCertificate(trusted, certificatePem, hostname, now)
  return verdict.ok ? { kind: 'trust' } : { kind: 'refuse', error: verdict.error }
}

/** The cookie that tells the host which paired PC a terminal's window is (httpOnly: the page cannot read it). */
export function deviceCookieFor(paired: PairedHost): { url: string; name: string; value: string; secure: true; httpOnly: true; sameSite: 'strict' } {
  return { url: paired.url, name: DEVICE_COOKIE, value: paired.token, secure: true, httpOnly: true, sameSite: 'strict' }
}

/**
 * The host PC's window over the LAN port: the host serves TLS on every address (one port), so the
 * window uses loopback with the branch CA pinned from the data folder.
 */
export function ownHostUrl(lanPort: number): string {
  return `https://127.0.0.1:${lanPort}`
}

/** The arguments the host process is started with in host mode: the LAN on the admin's port, TLS. */
export function hostArgs(dataDir: string, port: number): string[] {
  return ['--data', dataDir, '--port', String(port), '--bind', '0.0.0.0']
}

/**
 * The branch CA's certificate in a data folder: `TLS_DIR/TLS_FILES.caCert` of host/tls/branch-tls.ts,
 * spelt here so main does not load the certificate maker (node-forge) at start; the unit test
 * checks it against what BranchTls writes.
 */
const OWN_CA_FILE = path.join('tls', 'ca-cert.pem')

/** The host PC's own host as its window trusts it: the branch CA in the data folder, pinned (null: there is none yet). */
export function ownHostTrust(dataDir: string, url: string): TrustedHost | null {
  try {
    const caPem = fs.readFileSync(path.join(dataDir, OWN_CA_FILE), 'utf8')
    return { url, caPem, sha256: fingerprintOf(Buffer.from(new crypto.X509Certificate(caPem).raw)).sha256 }
  } catch {
    return null
  }
}
