import crypto from 'node:crypto'
import fs from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { loadPasswordLists, type PasswordLists } from '@shared/domain/password-rules'
import { ManualClock } from '../../electron/host/clock'
import type { FoundHost } from '../../electron/host/pairing/discovery'
import type { PairedHost } from '../../electron/host/pairing/pair-client'
import { issueBranchCa, issueServerCert } from '../../electron/host/tls/branch-ca'
import { BranchTls, TLS_DIR, TLS_FILES } from '../../electron/host/tls/branch-tls'
import { fingerprintOf } from '../../electron/host/tls/fingerprint'
import { DESKTOP_CONFIG_FILE, loadDesktopConfig, saveDesktopConfig, type DesktopConfig } from '../../electron/main/desktop-config'
import { closeAction, lanPortFree, lanPortPageHtml, loginItemSettings, parseLanPortUrl, portTakenDialog, startsHidden, trayItems, withLanPort } from '../../electron/main/desktop-shell'
import { pairErrorText, pinWarningHtml, wizardPageHtml } from '../../electron/main/setup-pages'
import { personalWords } from '../../electron/host/domains/auth/password-policy'
import { FIRST_ADMIN_WORDS, isHostAddress, parseWizardUrl, REPAIR_URL, step, wizardStart, type WizardContext, type WizardEvent, type WizardState } from '../../electron/main/setup-wizard'
import { configOf, deviceCookieFor, hostArgs, judgeCertificate, ownHostTrust, ownHostUrl, planStart, type StartFacts, type TrustedHost } from '../../electron/main/start-plan'

const dirs: string[] = []
function tmp(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'keyuan-desktop-'))
  dirs.push(d)
  return d
}
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true })
})

let lists: PasswordLists
beforeAll(async () => {
  lists = await loadPasswordLists()
})

const STRONG = 'Qingshan-lu 88 hao'
const BRANCH_DB = path.resolve('/srv/branch-with-db')

function ctx(): WizardContext {
  return { defaultDataDir: path.resolve('/home/a/.config/keyuan/data'), pcName: 'QIANTAI-PC', folderHasDatabase: (d) => d === BRANCH_DB, passwordLists: lists }
}

/** Runs events from the first page; returns the last state and every effect asked for. */
function run(events: WizardEvent[]): { state: WizardState; effects: string[] } {
  let state = wizardStart()
  const effects: string[] = []
  for (const e of events) {
    const next = step(state, e, ctx())
    state = next.state
    if (next.effect.kind !== 'none') effects.push(next.effect.kind)
  }
  return { state, effects }
}

const found: FoundHost = { name: 'Keyuan 前台主机', port: 8640, addresses: ['192.168.1.20'], shortCode: '3F2A 91C0', urls: ['https://192.168.1.20:8640'] }

describe('first-run wizard: host this branch', () => {
  it('offers the default folder and port 8640, and with a strong password confirmed keeps a host config and the admin password', () => {
    const form = run([{ type: 'choose', mode: 'host' }]).state
    expect(form).toMatchObject({ step: 'host', dataDir: ctx().defaultDataDir, lanPort: '8640', existing: false, problem: null })
    const { state } = run([
      { type: 'choose', mode: 'host' },
      { type: 'host-submit', dataDir: ctx().defaultDataDir, lanPort: '8650', password: STRONG, confirm: STRONG },
    ])
    expect(state).toEqual({ step: 'done', config: { mode: 'host', dataDir: ctx().defaultDataDir, lanPort: 8650, openAtLogin: true }, adminPassword: STRONG })
  })

  it('refuses a relative folder, a port outside 1024-65535, a weak password and a mismatched one, naming the field', () => {
    const submit = (over: Partial<Extract<WizardEvent, { type: 'host-submit' }>>) =>
      run([{ type: 'choose', mode: 'host' }, { type: 'host-submit', dataDir: ctx().defaultDataDir, lanPort: '8640', password: STRONG, confirm: STRONG, ...over }]).state
    expect(submit({ dataDir: 'data' })).toMatchObject({ step: 'host', problem: { field: 'dataDir', reason: 'folder_not_absolute' } })
    expect(submit({ lanPort: '80' })).toMatchObject({ problem: { field: 'lanPort', reason: 'lan_port_range' } })
    expect(submit({ lanPort: '70000' })).toMatchObject({ problem: { field: 'lanPort' } })
    expect(submit({ lanPort: 'abc' })).toMatchObject({ problem: { field: 'lanPort' } })
    expect(submit({ password: 'short', confirm: 'short' })).toMatchObject({ problem: { field: 'password', reason: 'too_small', minimum: 8 } })
    expect(submit({ password: 'keyuan2026', confirm: 'keyuan2026' })).toMatchObject({ problem: { field: 'password', reason: 'password_personal' } })
    expect(submit({ password: 'qwertyuiop', confirm: 'qwertyuiop' })).toMatchObject({ problem: { field: 'password', reason: 'password_keyboard' } })
    expect(submit({ confirm: `${STRONG}!` })).toMatchObject({ problem: { field: 'confirm', reason: 'password_mismatch' } })
    // the same words the host refuses in the first admin's password (else the host would not start)
    expect([...FIRST_ADMIN_WORDS]).toEqual(personalWords({ username: 'admin', name: '系统管理员' }))
    expect(submit({ password: 'xitongguanliyuan9', confirm: 'xitongguanliyuan9' })).toMatchObject({ problem: { field: 'password', reason: 'password_personal' } })
    // what was typed in the folder and port is kept for the next try; the passwords are not
    expect(submit({ lanPort: '80' })).toMatchObject({ dataDir: ctx().defaultDataDir, lanPort: '80' })
  })

  it('opens a folder that already holds a branch as it is: no new admin password', () => {
    const picked = run([{ type: 'choose', mode: 'host' }, { type: 'pick-folder' }, { type: 'folder-picked', dataDir: BRANCH_DB }])
    expect(picked.effects).toEqual(['pick-folder'])
    expect(picked.state).toMatchObject({ step: 'host', dataDir: BRANCH_DB, existing: true })
    expect(wizardPageHtml(picked.state)).not.toContain('name="password"')
    const done = run([{ type: 'choose', mode: 'host' }, { type: 'host-submit', dataDir: BRANCH_DB, lanPort: '8640', password: '', confirm: '' }]).state
    expect(done).toMatchObject({ step: 'done', config: { mode: 'host', dataDir: BRANCH_DB }, adminPassword: null })
    // a cancelled folder picker leaves the form as it was
    expect(run([{ type: 'choose', mode: 'host' }, { type: 'folder-picked', dataDir: null }]).state).toMatchObject({ dataDir: ctx().defaultDataDir })
  })
})

describe('first-run wizard: connect to a host', () => {
  it('searches the LAN, takes a found or typed address, pairs with the code, and ends as a terminal', () => {
    const { state, effects } = run([
      { type: 'choose', mode: 'terminal' },
      { type: 'found', hosts: [found] },
      { type: 'address', address: 'https://192.168.1.20:8640' },
      { type: 'pair-submit', code: 'ABCDE-12345', name: '  前台 2 ' },
      { type: 'paired' },
    ])
    expect(effects).toEqual(['find-hosts', 'pair'])
    expect(state).toEqual({ step: 'done', config: { mode: 'terminal', openAtLogin: true }, adminPassword: null })
  })

  it('asks main to pair with the typed code and this PC name, and shows a refusal on the same page', () => {
    const paging = run([{ type: 'choose', mode: 'terminal' }, { type: 'address', address: '192.168.1.20:8640' }]).state
    const asked = step(paging, { type: 'pair-submit', code: 'abcde 12345', name: '' }, ctx())
    expect(asked.effect).toEqual({ kind: 'pair', address: '192.168.1.20:8640', code: 'abcde 12345', name: 'QIANTAI-PC' })
    // while pairing, another submit is not a second pairing
    expect(step(asked.state, { type: 'pair-submit', code: 'x', name: 'y' }, ctx()).effect).toEqual({ kind: 'none' })
    const refused = step(asked.state, { type: 'pair-failed', error: { code: 'BAD_CREDENTIALS', reason: 'pairing_code_wrong', params: { attemptsLeft: 4 }, message: 'wrong' } }, ctx()).state
    expect(refused).toMatchObject({ step: 'pair', busy: false, error: { reason: 'pairing_code_wrong' } })
    const html = wizardPageHtml(refused)
    expect(html).toContain('配对码不正确')
    expect(html).toContain('4 tries left')
  })

  it('refuses an address that is not a host address, and goes back step by step', () => {
    const bad = run([{ type: 'choose', mode: 'terminal' }, { type: 'address', address: 'http://x/y?z' }]).state
    expect(bad).toMatchObject({ step: 'find', problem: 'address_invalid' })
    expect(isHostAddress('192.168.1.20')).toBe(true)
    expect(isHostAddress('host-pc.local:8640')).toBe(true)
    expect(isHostAddress('[fd00::20]:8640')).toBe(true)
    expect(isHostAddress('a b')).toBe(false)
    expect(isHostAddress('user@host')).toBe(false)
    expect(isHostAddress('')).toBe(false)
    const back = run([{ type: 'choose', mode: 'terminal' }, { type: 'address', address: '10.0.0.5' }, { type: 'back' }]).state
    expect(back).toMatchObject({ step: 'find', address: '10.0.0.5' })
    expect(run([{ type: 'choose', mode: 'terminal' }, { type: 'back' }]).state).toEqual({ step: 'choose' })
    // an event another page sends changes nothing
    expect(run([{ type: 'paired' }]).state).toEqual({ step: 'choose' })
    expect(run([{ type: 'choose', mode: 'host' }, { type: 'paired' }]).state).toMatchObject({ step: 'host' })
    // the very same state: main then leaves the page (and what is typed in it) alone
    const pairing = run([{ type: 'choose', mode: 'terminal' }, { type: 'address', address: '10.0.0.5' }]).state
    expect(step(pairing, { type: 'found', hosts: [found] }, ctx()).state).toBe(pairing)
  })
})

describe("the wizard's pages and their URLs", () => {
  it('reads only the events a page may send from keyuan-setup: URLs', () => {
    expect(parseWizardUrl('keyuan-setup:choose?mode=host')).toEqual({ type: 'choose', mode: 'host' })
    expect(parseWizardUrl('keyuan-setup:host-submit?dataDir=%2Fsrv%2Fk&lanPort=8640&password=p&confirm=p')).toEqual({ type: 'host-submit', dataDir: '/srv/k', lanPort: '8640', password: 'p', confirm: 'p' })
    expect(parseWizardUrl('keyuan-setup:host-submit?dataDir=%2Fsrv%2Fk&lanPort=8640')).toMatchObject({ password: '', confirm: '' })
    expect(parseWizardUrl('keyuan-setup:pair-submit?code=ABCDE-12345&name=PC')).toEqual({ type: 'pair-submit', code: 'ABCDE-12345', name: 'PC' })
    expect(parseWizardUrl('keyuan-setup:choose?mode=admin')).toBeNull()
    // main's own events cannot come from a page
    expect(parseWizardUrl('keyuan-setup:paired')).toBeNull()
    expect(parseWizardUrl('keyuan-setup:folder-picked?dataDir=%2Fetc')).toBeNull()
    expect(parseWizardUrl('keyuan-setup:found')).toBeNull()
    expect(parseWizardUrl('https://example.org/choose?mode=host')).toBeNull()
    expect(parseWizardUrl(`keyuan-setup:address?address=${'a'.repeat(400)}`)).toBeNull()
  })

  it('draws every page without scripts, Chinese first then English, with what was typed escaped', () => {
    const states: WizardState[] = [
      wizardStart(),
      { step: 'host', dataDir: '/x/"><script>alert(1)</script>', lanPort: '8640', existing: false, problem: { field: 'password', reason: 'too_small', minimum: 8 } },
      { step: 'find', searching: true, hosts: [], address: '', problem: null },
      { step: 'find', searching: false, hosts: [found], address: '', problem: 'address_invalid' },
      { step: 'pair', address: '192.168.1.20', name: '<b>', busy: true, error: null },
      { step: 'done', config: { mode: 'terminal', openAtLogin: true }, adminPassword: null },
    ]
    for (const s of states) {
      const html = wizardPageHtml(s)
      expect(html).not.toMatch(/<script|javascript:|on\w+=/i)
      expect(html).toContain('lang="zh-CN"')
      const zh = html.search(/[\u4e00-\u9fff]/)
      expect(zh).toBeGreaterThan(-1)
    }
    expect(wizardPageHtml(states[1]!)).toContain('密码至少 8 个字符')
    expect(wizardPageHtml(states[1]!)).toContain('at least 8 characters')
    expect(wizardPageHtml(states[3]!)).toContain('keyuan-setup:address?address=https%3A%2F%2F192.168.1.20%3A8640')
    expect(wizardPageHtml(states[3]!)).toContain('3F2A 91C0')
    expect(wizardPageHtml(states[4]!)).toContain('disabled')
  })

  it('says each pairing refusal in both languages with its figures; an unknown one shows the host message', () => {
    expect(pairErrorText({ code: 'RATE_LIMITED', reason: 'pairing_locked', params: { seconds: 300 }, message: 'x' })).toEqual({
      zh: '配对码错误次数过多，配对已锁定 300 秒；请管理员重新生成配对码。',
      en: 'Too many wrong pairing codes: pairing is locked for 300 s; ask the admin for a new code.',
    })
    expect(pairErrorText({ code: 'INTERNAL', message: 'boom' }).en).toContain('boom')
  })
})

const now = new Date()
const names = { dns: ['host-pc', 'localhost'], ips: ['192.168.1.20', '127.0.0.1'] }
const ca = issueBranchCa('host-pc', now)
const otherCa = issueBranchCa('host-pc', now)
const sha = (pem: string) => fingerprintOf(Buffer.from(new crypto.X509Certificate(pem).raw)).sha256
const paired: PairedHost = { url: 'https://192.168.1.20:8640', deviceId: 3, token: 'b'.repeat(43), caPem: ca.certPem, sha256: sha(ca.certPem), shortCode: 'x', pairedAt: now.toISOString() }

describe('which mode a start takes (planStart)', () => {
  const facts = (over: Partial<StartFacts>): StartFacts => ({ config: null, paired: null, hostUrlFromEnv: undefined, userDataDir: '/u', defaultDatabaseExists: false, unattendedHost: false, lanPortFromEnv: undefined, ...over })
  const host: DesktopConfig = { mode: 'host', dataDir: '/d', lanPort: 8641, openAtLogin: false }

  it('asks the wizard on a first run, and goes straight to the kept mode after', () => {
    expect(planStart(facts({}))).toEqual({ kind: 'wizard', why: 'first-run' })
    expect(planStart(facts({ config: host }))).toEqual({ kind: 'host', dataDir: '/d', lanPort: 8641, openAtLogin: false, adminPassword: null })
    expect(planStart(facts({ config: { mode: 'terminal', openAtLogin: true }, paired }))).toEqual({ kind: 'terminal', url: paired.url, paired, openAtLogin: true })
  })

  it('never guesses a terminal host: a terminal whose pairing is gone asks again', () => {
    expect(planStart(facts({ config: { mode: 'terminal', openAtLogin: true } }))).toEqual({ kind: 'wizard', why: 'pairing-missing' })
  })

  it('keeps an app from before the wizard a host in its old folder, and an unattended install a host', () => {
    const legacy = planStart(facts({ defaultDatabaseExists: true }))
    expect(legacy).toEqual({ kind: 'host', dataDir: path.join('/u', 'data'), lanPort: 8640, openAtLogin: true, adminPassword: null })
    expect(configOf(legacy)).toEqual({ mode: 'host', dataDir: path.join('/u', 'data'), lanPort: 8640, openAtLogin: true })
    expect(planStart(facts({ unattendedHost: true }))).toMatchObject({ kind: 'host', lanPort: 8640 })
  })

  it('starts a host set up without the wizard on KEYUAN_LAN_PORT when given, keeps it, and refuses a value that is no port', () => {
    const unattended = planStart(facts({ unattendedHost: true, lanPortFromEnv: '18640' }))
    expect(unattended).toMatchObject({ kind: 'host', lanPort: 18640 })
    expect(configOf(unattended)).toMatchObject({ mode: 'host', lanPort: 18640 })
    expect(planStart(facts({ defaultDatabaseExists: true, lanPortFromEnv: ' 9443 ' }))).toMatchObject({ kind: 'host', lanPort: 9443 })
    expect(planStart(facts({ unattendedHost: true, lanPortFromEnv: '' }))).toMatchObject({ kind: 'host', lanPort: 8640 })
    // a kept config is the host's own choice (the tray changes it): the variable does not move it
    expect(planStart(facts({ config: host, lanPortFromEnv: '18640' }))).toMatchObject({ kind: 'host', lanPort: 8641 })
    for (const bad of ['80', '70000', '0', 'abc', '8640x', '1e4', '-1']) {
      expect(() => planStart(facts({ unattendedHost: true, lanPortFromEnv: bad }))).toThrow(/KEYUAN_LAN_PORT/)
    }
  })

  it('opens KEYUAN_HOST_URL as a terminal without a pin, and keeps no config for it', () => {
    const plan = planStart(facts({ hostUrlFromEnv: 'http://127.0.0.1:5000', config: host }))
    expect(plan).toEqual({ kind: 'terminal', url: 'http://127.0.0.1:5000', paired: null, openAtLogin: false })
    expect(configOf(plan)).toBeNull()
  })

  it('starts the host on the LAN port on every address, and its window on loopback TLS', () => {
    expect(hostArgs('/d', 8641)).toEqual(['--data', '/d', '--port', '8641', '--bind', '0.0.0.0'])
    expect(ownHostUrl(8641)).toBe('https://127.0.0.1:8641')
  })
})

describe("what the window's certificate check decides (judgeCertificate)", () => {
  const trusted: TrustedHost = { url: paired.url, caPem: paired.caPem, sha256: paired.sha256 }

  it('trusts the pinned host by its CA, and leaves other sites and an unpaired PC to Chromium', () => {
    const leaf = issueServerCert(ca, names, now).certPem
    expect(judgeCertificate(trusted, '192.168.1.20', leaf, now)).toEqual({ kind: 'trust' })
    expect(judgeCertificate(trusted, 'example.org', leaf, now)).toEqual({ kind: 'chromium' })
    expect(judgeCertificate(null, '192.168.1.20', leaf, now)).toEqual({ kind: 'chromium' })
  })

  it('refuses the same address with another CA, with the Chinese warning and the code to compare', () => {
    const impostor = issueServerCert(otherCa, names, now).certPem
    const verdict = judgeCertificate(trusted, '192.168.1.20', impostor, now)
    expect(verdict.kind).toBe('refuse')
    if (verdict.kind !== 'refuse') return
    expect(verdict.error.reason).toBe('host_certificate_changed')
    const html = pinWarningHtml(verdict.error, trusted.url)
    expect(html).toContain('警告：主机证书已改变')
    expect(html).toContain('主机证书与配对时不同，已拒绝连接')
    expect(html).toContain(verdict.error.expectedCode)
    expect(html).toContain(`href="${REPAIR_URL}"`)
    expect(html).not.toMatch(/<script/i)
    // an expired server certificate of the right CA is refused too
    const later = new Date(now.getTime() + 5 * 365 * 86_400_000)
    expect(judgeCertificate(trusted, '192.168.1.20', issueServerCert(ca, names, now).certPem, later)).toMatchObject({ kind: 'refuse', error: { reason: 'host_certificate_expired' } })
  })

  it("pins the host PC's own CA from its data folder, as the host made it", () => {
    const dataDir = tmp()
    expect(ownHostTrust(dataDir, ownHostUrl(8640))).toBeNull()
    BranchTls.open({ dataDir, names: () => names, clock: new ManualClock(now), log: () => {} })
    const own = ownHostTrust(dataDir, ownHostUrl(8640))!
    const serverPem = fs.readFileSync(path.join(dataDir, TLS_DIR, TLS_FILES.serverCert), 'utf8')
    expect(judgeCertificate(own, '127.0.0.1', serverPem, now)).toEqual({ kind: 'trust' })
    expect(judgeCertificate(own, '127.0.0.1', issueServerCert(otherCa, names, now).certPem, now).kind).toBe('refuse')
  })

  it("sends the device secret as an httpOnly, secure cookie of the paired host's origin only", () => {
    expect(deviceCookieFor(paired)).toEqual({ url: 'https://192.168.1.20:8640', name: 'keyuan_device', value: 'b'.repeat(43), secure: true, httpOnly: true, sameSite: 'strict' })
  })
})

describe('the kept config, the tray and the LAN port setting', () => {
  it('keeps the config in userData (owner only) and reads a missing or damaged one as none', () => {
    const dir = tmp()
    expect(loadDesktopConfig(dir)).toBeNull()
    const c: DesktopConfig = { mode: 'host', dataDir: '/d', lanPort: 8640, openAtLogin: true }
    saveDesktopConfig(dir, c)
    expect(loadDesktopConfig(dir)).toEqual(c)
    if (process.platform !== 'win32') expect(fs.statSync(path.join(dir, DESKTOP_CONFIG_FILE)).mode & 0o777).toBe(0o600)
    fs.writeFileSync(path.join(dir, DESKTOP_CONFIG_FILE), '{"mode":"host","lanPort":1}')
    expect(loadDesktopConfig(dir)).toBeNull()
    fs.writeFileSync(path.join(dir, DESKTOP_CONFIG_FILE), 'not json')
    expect(loadDesktopConfig(dir)).toBeNull()
    expect(() => saveDesktopConfig(dir, { ...c, lanPort: 22 })).toThrow()
  })

  it('keeps a host running with its window closed, starts it hidden at login, and lets a terminal quit', () => {
    const host: DesktopConfig = { mode: 'host', dataDir: '/d', lanPort: 8640, openAtLogin: true }
    const terminal: DesktopConfig = { mode: 'terminal', openAtLogin: false }
    expect(closeAction('host')).toBe('hide')
    expect(closeAction('terminal')).toBe('quit')
    expect(trayItems(host).map((i) => i.action)).toEqual(['open', 'lan-port', 'open-at-login', 'quit'])
    expect(trayItems(terminal).map((i) => i.action)).toEqual(['open', 'open-at-login', 'quit'])
    expect(trayItems(host).find((i) => i.action === 'open-at-login')?.checked).toBe(true)
    expect(trayItems(host).every((i) => /[\u4e00-\u9fff]/.test(i.label))).toBe(true)
    expect(loginItemSettings(host)).toEqual({ openAtLogin: true, openAsHidden: true, args: ['--hidden'] })
    expect(loginItemSettings(terminal)).toEqual({ openAtLogin: false, openAsHidden: false, args: [] })
    expect(startsHidden(['keyuan', '--hidden'], host)).toBe(true)
    expect(startsHidden(['keyuan', '--hidden'], terminal)).toBe(false)
    expect(startsHidden(['keyuan'], host)).toBe(false)
  })

  it("reads the admin's new LAN port (1024-65535) and keeps it for the next start", () => {
    expect(parseLanPortUrl('keyuan-setup:lan-port?port=9443')).toBe(9443)
    expect(parseLanPortUrl('keyuan-setup:lan-port?port=80')).toBe('invalid')
    expect(parseLanPortUrl('keyuan-setup:lan-port?port=')).toBe('invalid')
    expect(parseLanPortUrl('keyuan-setup:choose?mode=host')).toBeNull()
    expect(withLanPort({ mode: 'host', dataDir: '/d', lanPort: 8640, openAtLogin: true }, 9443)).toEqual({ mode: 'host', dataDir: '/d', lanPort: 9443, openAtLogin: true })
    expect(lanPortPageHtml(9443, 'saved')).toContain('重新启动')
    expect(lanPortPageHtml(8640, 'invalid')).toContain('1024 到 65535')
    expect(lanPortPageHtml(8640, 'ask')).not.toMatch(/<script/i)
  })

  it('sees a LAN port another program holds before the host starts, and says so with a way to change it', async () => {
    const holder = net.createServer()
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve))
    const taken = (holder.address() as net.AddressInfo).port
    try {
      expect(await lanPortFree(taken, '127.0.0.1')).toBe(false)
    } finally {
      await new Promise((resolve) => holder.close(resolve))
    }
    expect(await lanPortFree(taken, '127.0.0.1')).toBe(true)
    const d = portTakenDialog(taken)
    expect(d.message).toContain(`局域网端口 ${taken} 已被其他程序占用`)
    expect(d.buttons).toEqual(['退出 Quit', '更改端口… Change the port…'])
  })
})
