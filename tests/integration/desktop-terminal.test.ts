import crypto from 'node:crypto'
import fs from 'node:fs'
import https from 'node:https'
import path from 'node:path'
import tls from 'node:tls'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadPasswordLists } from '@shared/domain/password-rules'
import { startHost, type Host } from '../../electron/host/host'
import { loadPairedHost, pairWithHost, PairingError, savePairedHost, type PairedHost } from '../../electron/host/pairing/pair-client'
import { deviceCookie, pinnedTlsOptions } from '../../electron/host/pairing/pinned-tls'
import { hostAdminCheck } from '../../electron/main/card-reader-bridge'
import { loadDesktopConfig, saveDesktopConfig } from '../../electron/main/desktop-config'
import { PAIRED_HOST_FILE } from '../../electron/main/pinned-certificate'
import { pinWarningHtml, wizardPageHtml } from '../../electron/main/setup-pages'
import { step, wizardStart, type WizardContext, type WizardEffect, type WizardState } from '../../electron/main/setup-wizard'
import { judgeCertificate, planStart, type TrustedHost } from '../../electron/main/start-plan'
import { lanHostOptions } from '../helpers/lan-host'
import { ADMIN_PASSWORD, tempDir } from '../helpers/temp-host'

// The terminal's side of the desktop app without the Electron binary: the wizard's state machine
// drives a real pairing with a real TLS host (terminals played from 127.0.0.1 with the loopback
// exemption off), then the start plan, the certificate verdict the window's verify proc gives
// and the card reader's admin check are run against what the host really serves.
const dirs: string[] = []
const hosts: Host[] = []

async function lanHost(): Promise<Host> {
  const dataDir = tempDir('keyuan-terminal-')
  dirs.push(dataDir)
  const host = await startHost(lanHostOptions(dataDir, { pairLoopback: true }))
  hosts.push(host)
  return host
}

/** The certificate a host serves (PEM), as Chromium hands it to the verify proc. */
function servedCertificate(url: string): Promise<string> {
  const u = new URL(url)
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ host: u.hostname, port: Number(u.port), rejectUnauthorized: false }, () => {
      const raw = socket.getPeerCertificate().raw
      socket.end()
      resolve(new crypto.X509Certificate(raw).toString())
    })
    socket.on('error', reject)
  })
}

/** Signs in over TLS as the terminal's window would (pinned, with its device cookie); the session token. */
function signIn(paired: PairedHost): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = https.request(
      new URL('/api/auth.login', paired.url),
      { method: 'POST', agent: false, ...pinnedTlsOptions(paired), headers: { 'content-type': 'application/json', ...deviceCookie(paired.token) } },
      (res) => {
        let text = ''
        res.on('data', (c: Buffer) => (text += c.toString()))
        res.on('end', () => resolve((JSON.parse(text) as { value: { token: string } }).value.token))
      },
    )
    req.on('error', reject)
    req.end(JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }))
  })
}

let host: Host
let other: Host
let ctx: WizardContext
beforeAll(async () => {
  ;[host, other] = await Promise.all([lanHost(), lanHost()])
  ctx = { defaultDataDir: path.join(tempDir('keyuan-userdata-'), 'data'), pcName: 'QIANTAI-PC', folderHasDatabase: () => false, passwordLists: await loadPasswordLists() }
  dirs.push(path.dirname(ctx.defaultDataDir))
})

afterAll(async () => {
  for (const h of hosts.splice(0)) await h.close()
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true })
})

/** Does what main does for a pair effect: pairs, keeps the pairing, and feeds the outcome back. */
async function runPair(state: WizardState, effect: WizardEffect, userData: string): Promise<WizardState> {
  if (effect.kind !== 'pair') throw new Error(`expected a pair effect, got ${effect.kind}`)
  try {
    const paired = await pairWithHost({ address: effect.address, code: effect.code, name: effect.name })
    savePairedHost(path.join(userData, PAIRED_HOST_FILE), paired)
    return step(state, { type: 'paired' }, ctx).state
  } catch (err) {
    if (!(err instanceof PairingError)) throw err
    return step(state, { type: 'pair-failed', error: err.shape }, ctx).state
  }
}

describe('a terminal set up by the wizard', () => {
  it('shows a wrong code on the pairing page, then pairs with the right one and next starts straight in terminal mode on the pinned host', async () => {
    const userData = path.dirname(ctx.defaultDataDir)
    const admin = host.client()
    await admin.call('auth.login', { username: 'admin', password: ADMIN_PASSWORD })
    const { code } = await admin.call('devices.openPairing', {})
    let s = step(wizardStart(), { type: 'choose', mode: 'terminal' }, ctx).state
    s = step(s, { type: 'found', hosts: [] }, ctx).state
    s = step(s, { type: 'address', address: host.url! }, ctx).state
    expect(s).toMatchObject({ step: 'pair', address: host.url })

    const wrong = code!.startsWith('0') ? `1${code!.slice(1)}` : `0${code!.slice(1)}`
    let asked = step(s, { type: 'pair-submit', code: wrong, name: '' }, ctx)
    s = await runPair(asked.state, asked.effect, userData)
    expect(s).toMatchObject({ step: 'pair', busy: false, error: { reason: 'pairing_code_wrong' } })
    expect(wizardPageHtml(s)).toContain('配对码不正确')
    expect(loadPairedHost(path.join(userData, PAIRED_HOST_FILE))).toBeNull()

    asked = step(s, { type: 'pair-submit', code: code!, name: '前台 2' }, ctx)
    s = await runPair(asked.state, asked.effect, userData)
    expect(s).toEqual({ step: 'done', config: { mode: 'terminal', openAtLogin: true }, adminPassword: null })
    if (s.step !== 'done') return
    saveDesktopConfig(userData, s.config)
    expect((await admin.call('devices.list', {})).devices.map((d) => d.name)).toContain('前台 2')

    const plan = planStart({ config: loadDesktopConfig(userData), paired: loadPairedHost(path.join(userData, PAIRED_HOST_FILE)), hostUrlFromEnv: undefined, userDataDir: userData, defaultDatabaseExists: false, unattendedHost: false, lanPortFromEnv: undefined })
    expect(plan).toMatchObject({ kind: 'terminal', url: new URL(host.url!).origin })
    if (plan.kind !== 'terminal' || !plan.paired) throw new Error('no terminal plan')
    const trusted: TrustedHost = { url: plan.url, caPem: plan.paired.caPem, sha256: plan.paired.sha256 }

    // the window's verify proc trusts what the paired host serves, and refuses another host at that address
    const hostname = new URL(plan.url).hostname
    expect(judgeCertificate(trusted, hostname, await servedCertificate(host.url!), new Date())).toEqual({ kind: 'trust' })
    const impostor = judgeCertificate(trusted, hostname, await servedCertificate(other.url!), new Date())
    expect(impostor).toMatchObject({ kind: 'refuse', error: { reason: 'host_certificate_changed', expectedCode: host.tls!.fingerprint.shortCode } })
    if (impostor.kind === 'refuse') expect(pinWarningHtml(impostor.error, plan.url)).toContain(host.tls!.fingerprint.shortCode)

    // the card reader's admin screen asks the paired host over the pin, as this paired PC
    const token = await signIn(plan.paired)
    expect(await hostAdminCheck(plan.url, { pin: trusted, deviceToken: plan.paired.token })(token)).toBe(true)
    expect(await hostAdminCheck(plan.url, { pin: trusted, deviceToken: null })(token)).toBe(false)
    expect(await hostAdminCheck(plan.url, { pin: trusted, deviceToken: plan.paired.token })('not-a-token')).toBe(false)
    // pinned to this host, the other host's certificate is refused: no answer, so no admin
    const otherUrl = new URL(other.url!).origin
    expect(await hostAdminCheck(otherUrl, { pin: trusted, deviceToken: plan.paired.token })(token)).toBe(false)

    // the host still answers after all of it
    expect(await admin.call('system.ping', {})).toBeTruthy()
  })
})
