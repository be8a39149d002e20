import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { app, BrowserWindow, dialog, ipcMain, Menu, nativeImage, Notification, safeStorage, session, Tray, utilityProcess, type MessageBoxOptions } from 'electron'
import { loadPasswordLists } from '@shared/domain/password-rules'
import { loadPairedHost, pairWithHost, PairingError, savePairedHost } from '../host/pairing/pair-client'
import type { PinnedCertificateError } from '../host/pairing/pin-check'
import { NodeHidBackend, systemScheduler } from '../card-reader'
import { hostAdminCheck, profileFiles, readerChannels, startCardReaderBridge } from './card-reader-bridge'
import { resolveDesktopKey, type KeyDialogs, type RecoveryFailure } from './desktop-key'
import { DesktopKeyKeeper, keyHomeOf } from './desktop-key-keeper'
import { hostGaveUpDialog, keyProblemDialog, pickFailedDialog, pickFolderTitle, recoveryKeyPromptHtml, startFailedDialog, type DialogText } from './desktop-texts'
import { FirstRunSecret } from './first-run'
import { openHostLog, type HostLog } from './host-log'
import { HostSupervisor, type SupervisedChild } from './host-supervisor'
import { NoticeSchema } from './notice'
import { loadDesktopConfig, saveDesktopConfig, type DesktopConfig } from './desktop-config'
import { closeAction, lanPortFree, lanPortPageHtml, portTakenDialog, loginItemSettings, parseLanPortUrl, startsHidden, trayItems, trayTooltip, withLanPort, type TrayItem } from './desktop-shell'
import { installPinnedCertificateCheck, PAIRED_HOST_FILE } from './pinned-certificate'
import { StandbyWatch } from './standby-failover'
import { pinWarningHtml, wizardPageHtml } from './setup-pages'
import { parseWizardUrl, REPAIR_URL, step, wizardStart, type WizardContext, type WizardEffect, type WizardEvent, type WizardState } from './setup-wizard'
import { configOf, defaultDataDir, deviceCookieFor, hostArgs, ownHostTrust, planStart, type StartPlan, type TrustedHost } from './start-plan'
import { isAllowedNavigation, secureWebPreferences } from './window-policy'

// Host mode starts the host service on the LAN port; terminal mode opens a window on the paired
// host. Which one was decided by the first-run wizard and kept in userData (desktop-config.ts).
const firstRun = new FirstRunSecret()
let mainWindow: BrowserWindow | null = null
/** the host the window trusts by its pin (checked at every new TLS connection) */
let trusted: TrustedHost | null = null
let tray: Tray | null = null
/** host or terminal, once decided */
let mode: DesktopConfig['mode'] | null = null
/** set by 退出 and by the OS asking to quit: the host's window then really closes */
let quitting = false

// one app per PC user: a second launch (a double click on the shortcut) brings up the first's window
if (!app.requestSingleInstanceLock()) app.exit(0)
app.on('second-instance', () => showMainWindow())
app.on('before-quit', () => {
  quitting = true
})

function showMainWindow(): void {
  const win = mainWindow
  if (!win || win.isDestroyed()) return
  if (win.isMinimized()) win.restore()
  win.show()
  win.focus()
}

function htmlUrl(html: string): string {
  return `data:text/html;charset=utf-8,${encodeURIComponent(html)}`
}

/** A small window for pages without scripts or preload (the wizard, the LAN port): their forms navigate to URLs main catches. */
function formWindow(title: string, onNavigate: (url: string) => void): BrowserWindow {
  const win = new BrowserWindow({ width: 760, height: 640, title, webPreferences: { contextIsolation: true, sandbox: true, nodeIntegration: false, javascript: false, spellcheck: false } })
  win.setMenuBarVisibility(false)
  const take = (event: { preventDefault(): void }, url: string) => {
    event.preventDefault()
    onNavigate(url)
  }
  win.webContents.on('will-navigate', take)
  win.webContents.on('will-redirect', take)
  win.webContents.setWindowOpenHandler(() => ({ action: 'deny' }))
  return win
}

/** The wizard's outcome: what to keep, and the wizard window to close once the app's window is up. */
interface WizardDone {
  state: Extract<WizardState, { step: 'done' }>
  close(): void
}

/**
 * Runs the first-run wizard (setup-wizard.ts decides, setup-pages.ts draws); resolves when it is
 * done (the pairing is saved by then), or null when its window was closed.
 */
async function runWizard(): Promise<WizardDone | null> {
  const userData = app.getPath('userData')
  const ctx: WizardContext = {
    defaultDataDir: defaultDataDir(userData),
    pcName: os.hostname().slice(0, 60),
    folderHasDatabase: (dir) => fs.existsSync(path.join(dir, 'keyuan.db')),
    passwordLists: await loadPasswordLists(),
  }
  return new Promise((resolve) => {
    let state = wizardStart()
    let done = false
    const win = formWindow('客源 Keyuan · 首次设置 First run', (url) => {
      const event = parseWizardUrl(url)
      if (event) dispatch(event)
    })
    const show = () => {
      if (!win.isDestroyed()) void win.loadURL(htmlUrl(wizardPageHtml(state)))
    }
    const dispatch = (event: WizardEvent) => {
      if (done) return
      const next = step(state, event, ctx)
      // an answer that no longer fits (hosts found after the user went on) leaves the page, and what is typed in it, alone
      if (next.state !== state) {
        state = next.state
        show()
      }
      run(next.effect)
      if (state.step === 'done') {
        done = true
        resolve({ state, close: () => void (win.isDestroyed() || win.destroy()) })
      }
    }
    const run = (effect: WizardEffect) => {
      if (effect.kind === 'pick-folder') {
        void dialog.showOpenDialog(win, { title: '选择数据文件夹 Choose the data folder', properties: ['openDirectory', 'createDirectory'] }).then((r) => dispatch({ type: 'folder-picked', dataDir: r.canceled ? null : (r.filePaths[0] ?? null) }))
      } else if (effect.kind === 'find-hosts') {
        // mDNS is loaded only when the wizard searches: a normal start never needs it
        void import('../host/pairing/discovery').then(({ findHosts }) => findHosts()).then((hosts) => dispatch({ type: 'found', hosts }))
      } else if (effect.kind === 'pair') {
        pairWithHost({ address: effect.address, code: effect.code, name: effect.name }).then(
          (paired) => {
            try {
              savePairedHost(path.join(userData, PAIRED_HOST_FILE), paired)
            } catch {
              return dispatch({ type: 'pair-failed', error: { code: 'INTERNAL', message: 'the pairing could not be saved in the user folder (read-only or full)' } })
            }
            dispatch({ type: 'paired' })
          },
          (err: unknown) => dispatch({ type: 'pair-failed', error: err instanceof PairingError ? err.shape : { code: 'INTERNAL', message: 'pairing failed' } }),
        )
      }
    }
    win.once('closed', () => {
      if (!done) resolve(null)
    })
    show()
  })
}

function messageBox(t: DialogText, type: MessageBoxOptions['type']) {
  const opts: MessageBoxOptions = { type, title: t.title, message: t.message, detail: t.detail, buttons: t.buttons, defaultId: 0, cancelId: 0, noLink: true }
  return mainWindow && !mainWindow.isDestroyed() ? dialog.showMessageBox(mainWindow, opts) : dialog.showMessageBox(opts)
}

/**
 * Asks for the recovery key in a small window without scripts or preload: its form navigates to
 * keyuan-recovery:answer?key=…, which is caught here and never loaded (the key is kept nowhere).
 */
function promptRecoveryKey(failure: RecoveryFailure | null): Promise<string | null> {
  return new Promise((resolve) => {
    const win = new BrowserWindow({ width: 620, height: 320, title: '客源 Keyuan', webPreferences: { contextIsolation: true, sandbox: true, nodeIntegration: false, javascript: false, spellcheck: false } })
    let answer: string | null = null
    const take = (event: { preventDefault(): void }, url: string) => {
      event.preventDefault()
      if (url.startsWith('keyuan-recovery:answer')) answer = new URL(url).searchParams.get('key')
      win.close()
    }
    win.webContents.on('will-navigate', take)
    win.webContents.on('will-redirect', take)
    win.once('closed', () => resolve(answer))
    void win.loadURL(`data:text/html;charset=utf-8,${encodeURIComponent(recoveryKeyPromptHtml(failure))}`)
  })
}

const keyDialogs: KeyDialogs = {
  ask: async (problem, pick, recoveryOffered) => {
    const response = (await messageBox(keyProblemDialog(problem, pick, recoveryOffered), 'warning')).response
    return response === 2 ? 'recovery' : response === 1
  },
  askRecoveryKey: promptRecoveryKey,
  pickFolder: async (pick) => {
    const r = await dialog.showOpenDialog({ title: pickFolderTitle(pick), properties: ['openDirectory', 'createDirectory'] })
    return r.canceled ? null : (r.filePaths[0] ?? null)
  },
  tellFailed: async (why, folder) => void (await messageBox(pickFailedDialog(why, folder), 'error')),
}

type HostPlan = Extract<StartPlan, { kind: 'host' }>

/**
 * Starts one host process on `port` (the LAN, TLS) with the key the keeper holds now (a rekey
 * changes it); its error output goes to the log.
 */
function forkHost(port: number, keeper: DesktopKeyKeeper, plan: HostPlan, log: HostLog): SupervisedChild {
  const { KEYUAN_DB_KEY: _oldKey, KEYUAN_DB_KEY_NEXT: _nextKey, KEYUAN_KEY_KEEPER: _keeper, KEYUAN_DESKTOP_KEY_FILE: _keyFile, ...env } = process.env
  // the password the wizard took for the first admin (used only when the database is new)
  const admin = plan.adminPassword ? { KEYUAN_ADMIN_PASSWORD: plan.adminPassword } : {}
  // SQL runs in this utility process, never on the Electron main thread.
  const child = utilityProcess.fork(path.join(__dirname, 'host.js'), hostArgs(plan.dataDir, port), {
    env: { ...env, ...admin, ...keeper.hostEnv() },
    serviceName: 'Keyuan host',
    // stderr (errors, crashes) is kept in the log; stdout is not, as it shows the first admin's password
    stdio: ['ignore', 'inherit', 'pipe'],
  })
  child.stderr?.on('data', (chunk: Buffer) => {
    log.write(chunk)
    process.stderr.write(chunk)
  })
  // a rekey: the host asks this process to keep the new key (desktop-key-keeper.ts)
  child.on('message', (m: unknown) => {
    const reply = keeper.handle(m)
    if (reply) child.postMessage(reply)
  })
  return {
    onMessage: (fn) => void child.on('message', fn),
    onExit: (fn) => void child.once('exit', fn),
    kill: () => void child.kill(),
  }
}

/**
 * Starts the host under a supervisor and resolves with its URL once it serves (null: the user
 * chose to quit). A restarted host listens on the same port, so the open window reconnects to
 * the same address and keeps its sign-in (the token is kept per address).
 */
async function startHostService(plan: HostPlan, log: HostLog): Promise<string | null> {
  const userData = app.getPath('userData')
  const dataDir = plan.dataDir
  const key = await resolveDesktopKey({
    userDataDir: userData,
    dataDir,
    databaseExists: fs.existsSync(path.join(dataDir, 'keyuan.db')),
    wrapper: safeStorage,
    platform: process.platform,
    dialogs: keyDialogs,
    keyFileFromEnv: process.env.KEYUAN_DESKTOP_KEY_FILE,
  })
  if (key === 'quit') return null
  log.note(`database key from ${key.source === 'key-file' ? `the key file ${key.file}` : key.source === 'recovery-key' ? 'the recovery key' : 'the OS key store'}`)
  const keeper = new DesktopKeyKeeper(keyHomeOf(key, userData, safeStorage), key.keyHex)
  return new Promise((resolve) => {
    const supervisor = new HostSupervisor({
      fork: (port) => forkHost(port, keeper, plan, log),
      scheduler: systemScheduler(),
      onReady: (ready, restarted) => {
        log.note(`host ${restarted ? 'restarted' : 'ready'} at ${ready.url}`)
        if (restarted) return
        firstRun.keep(ready.firstAdmin)
        // the window reaches its own host over loopback TLS: the branch CA the host made is pinned
        trusted = ownHostTrust(dataDir, ready.url)
        resolve(ready.url)
      },
      onCrash: ({ code, quickCrashes, restartInMs }) =>
        log.note(`host stopped (exit ${code}), ${quickCrashes} quick stop(s) in a row; restarting in ${restartInMs} ms`),
      onGiveUp: ({ code, quickCrashes }) => {
        log.note(`host stopped (exit ${code}) ${quickCrashes} times in a row; not restarting`)
        void messageBox(hostGaveUpDialog(quickCrashes, log.file), 'error').then((r) => (r.response === 1 ? supervisor.retry() : app.quit()))
      },
    })
    app.on('will-quit', () => supervisor.stop())
    // the admin's LAN port: a port taken by another program ends in the give-up dialog, with the cause in the log
    supervisor.start(plan.lanPort)
  })
}

function openWindow(hostUrl: string, config: DesktopConfig, hidden: boolean): void {
  const win = new BrowserWindow({
    width: 1400,
    height: 900,
    title: '客源 Keyuan',
    show: !hidden,
    webPreferences: secureWebPreferences(path.join(__dirname, '../preload/index.js')),
  })
  mainWindow = win
  win.webContents.setWindowOpenHandler(() => ({ action: 'deny' }))
  win.webContents.on('will-navigate', (e, url) => {
    if (url === REPAIR_URL) {
      e.preventDefault()
      return void pairAgain()
    }
    if (!isAllowedNavigation(url, hostUrl)) e.preventDefault()
  })
  // a host keeps serving the branch with its window closed (the tray's 退出 stops it)
  win.on('close', (e) => {
    if (quitting || closeAction(config.mode) !== 'hide') return
    e.preventDefault()
    win.hide()
  })
  // the one-time first sign-in goes to pages of this host only, once
  ipcMain.handle('app:first-run', (e) => (isAllowedNavigation(e.senderFrame?.url ?? '', hostUrl) ? firstRun.take() : null))
  void win.loadURL(hostUrl)
  // the reader belongs to this PC: main reads it and forwards swipes to this window
  void startCardReaderBridge({
    backend: new NodeHidBackend(),
    profileFiles: profileFiles(app.getPath('userData'), app.isPackaged ? process.resourcesPath : path.join(__dirname, '../../resources')),
    platform: process.platform,
    send: (channel, payload) => {
      if (!win.isDestroyed()) win.webContents.send(channel, payload)
    },
    isAdmin: hostAdminCheck(hostUrl, trusted ? { pin: trusted, deviceToken: config.mode === 'terminal' ? (loadPairedHost(pairedFile())?.token ?? null) : null } : undefined),
    log: (message) => console.error(message),
  })
    .then((bridge) => {
      // the 读卡器 screen's calls, from pages of this host only
      for (const channel of readerChannels) {
        ipcMain.handle(channel, (e, raw: unknown) =>
          isAllowedNavigation(e.senderFrame?.url ?? '', hostUrl) ? bridge.handle(channel, raw) : { ok: false, reason: 'not-admin' },
        )
      }
      app.on('will-quit', () => void bridge.stop())
    })
    .catch((err: unknown) => console.error('card reader unavailable:', err))
}

app.on('web-contents-created', (_e, contents) => {
  contents.on('will-attach-webview', (e) => e.preventDefault())
})

/** Where a terminal keeps the standbys' addresses its host told it (standby-failover.ts). */
const STANDBY_ADDRESSES_FILE = 'standby-addresses.json'

/**
 * A terminal follows a promoted standby: when its host has been gone a while and a standby answers
 * with the same branch CA, the pairing is moved there (same device secret, same pin) and the app
 * starts again on it, so every check made at start (the pin, the cookie, the allowed pages) is for it.
 */
function followPromotedStandby(log: HostLog): void {
  const watch = new StandbyWatch({
    paired: () => loadPairedHost(pairedFile()),
    addressesFile: path.join(app.getPath('userData'), STANDBY_ADDRESSES_FILE),
    log: (msg) => log.note(msg),
    onSwitch: (url) => {
      const paired = loadPairedHost(pairedFile())
      if (!paired) return
      savePairedHost(pairedFile(), { ...paired, url })
      app.relaunch()
      app.exit(0)
    },
  })
  app.on('will-quit', watch.start())
}

function pairedFile(): string {
  return path.join(app.getPath('userData'), PAIRED_HOST_FILE)
}

/** The host's certificate is not the pinned one: a terminal's window shows why, in place of the host's pages. */
let warned = false
function warnPin(error: PinnedCertificateError): void {
  if (warned) return
  warned = true
  const win = mainWindow
  if (mode === 'terminal' && trusted && win && !win.isDestroyed()) {
    showMainWindow()
    void win.loadURL(htmlUrl(pinWarningHtml(error, trusted.url)))
  } else {
    dialog.showErrorBox('客源 · 主机证书 / Host certificate', `${error.zh}\n\n${error.en}`)
  }
}

/** 重新配对 on the warning page: forget the mode (the pairing is replaced only by a new one) and start again with the wizard. */
function pairAgain(): void {
  fs.rmSync(path.join(app.getPath('userData'), 'keyuan-desktop.json'), { force: true })
  app.relaunch()
  quitting = true
  app.quit()
}

/** The LAN port page (tray menu, host mode): keeps the new port for the next start. */
function openLanPortPage(config: Extract<DesktopConfig, { mode: 'host' }>, restartOnSave = false): void {
  const userData = app.getPath('userData')
  let current = config
  const win = formWindow('客源 Keyuan · 局域网端口 LAN port', (url) => {
    const port = parseLanPortUrl(url)
    if (port === null) return
    if (port !== 'invalid') {
      const next = withLanPort(current, port)
      saveDesktopConfig(userData, next)
      current = next as typeof current
      // the host never started (its port was taken): start again on the new one
      if (restartOnSave) {
        app.relaunch()
        quitting = true
        return app.quit()
      }
    }
    void win.loadURL(htmlUrl(lanPortPageHtml(port === 'invalid' ? current.lanPort : port, port === 'invalid' ? 'invalid' : 'saved')))
  })
  void win.loadURL(htmlUrl(lanPortPageHtml(config.lanPort, 'ask')))
}

/** The tray icon and its menu; the menu is rebuilt when a check box changes. */
function makeTray(config: DesktopConfig, keep: boolean): void {
  const userData = app.getPath('userData')
  let current = config
  const icon = nativeImage.createFromPath(path.join(app.isPackaged ? process.resourcesPath : path.join(__dirname, '../../resources'), 'tray.png'))
  tray = new Tray(icon)
  const build = () => {
    const click = (item: TrayItem) => {
      if (item.action === 'open') showMainWindow()
      else if (item.action === 'quit') app.quit()
      else if (item.action === 'lan-port') {
        // the port as last saved (the page may have changed it since this menu was built)
        const saved = loadDesktopConfig(userData)
        if (saved?.mode === 'host') openLanPortPage(saved)
        else if (current.mode === 'host') openLanPortPage(current)
      }
      else if (item.action === 'open-at-login') {
        current = { ...current, openAtLogin: !current.openAtLogin }
        if (keep) saveDesktopConfig(userData, current)
        app.setLoginItemSettings(loginItemSettings(current))
        build()
      }
    }
    tray?.setToolTip(trayTooltip(current))
    tray?.setContextMenu(Menu.buildFromTemplate(trayItems(current).map((item) => ({ label: item.label, ...(item.checked === undefined ? {} : { type: 'checkbox' as const, checked: item.checked }), click: () => click(item) }))))
  }
  tray.on('click', () => showMainWindow())
  build()
}

/** Decides the start (planStart), running the wizard first when nothing is decided yet. */
async function decideStart(): Promise<{ plan: StartPlan; wizard: WizardDone | null } | null> {
  const userData = app.getPath('userData')
  const facts = () => ({
    config: loadDesktopConfig(userData),
    paired: loadPairedHost(pairedFile()),
    hostUrlFromEnv: process.env.KEYUAN_HOST_URL,
    userDataDir: userData,
    defaultDatabaseExists: fs.existsSync(path.join(defaultDataDir(userData), 'keyuan.db')),
    unattendedHost: Boolean(process.env.KEYUAN_ADMIN_PASSWORD),
    lanPortFromEnv: process.env.KEYUAN_LAN_PORT,
  })
  const first = planStart(facts())
  if (first.kind !== 'wizard') return { plan: first, wizard: null }
  const wizard = await runWizard()
  if (!wizard) return null
  saveDesktopConfig(userData, wizard.state.config)
  const plan = planStart(facts())
  if (plan.kind === 'host') return { plan: { ...plan, adminPassword: wizard.state.adminPassword }, wizard }
  return { plan, wizard }
}

void app.whenReady().then(async () => {
  session.defaultSession.setPermissionRequestHandler((_wc, _perm, cb) => cb(false))
  // the window's host is judged by its pin (a paired host, or this PC's own); a changed certificate is refused, and said
  installPinnedCertificateCheck(session.defaultSession, () => trusted, (err) => warnPin(err))
  ipcMain.handle('os:notify', (_e, raw: unknown) => {
    const n = NoticeSchema.parse(raw)
    const shown = new Notification({ title: n.title, body: n.body })
    // a click brings the window up (also from minimised) and lets the page open the item
    shown.on('click', () => {
      showMainWindow()
      const win = mainWindow
      if (n.link && win && !win.isDestroyed()) win.webContents.send('notice:open', n.link)
    })
    shown.show()
  })
  ipcMain.handle('app:version', () => app.getVersion())
  const log = openHostLog(app.getPath('logs'))
  app.on('will-quit', () => void log.close())
  let wizard: WizardDone | null = null
  try {
    const decided = await decideStart()
    if (decided === null) return app.quit()
    wizard = decided.wizard
    const { plan } = decided
    if (plan.kind === 'wizard') return app.quit()
    const kept = configOf(plan)
    const config: DesktopConfig = kept ?? { mode: 'terminal', openAtLogin: false }
    if (kept) {
      saveDesktopConfig(app.getPath('userData'), kept)
      app.setLoginItemSettings(loginItemSettings(kept))
    }
    // the tray first: a host that cannot start still offers 局域网端口… and 退出
    makeTray(config, kept !== null)
    let url: string | null
    if (plan.kind === 'host') {
      if (!(await lanPortFree(plan.lanPort))) {
        wizard?.close()
        const answer = await messageBox(portTakenDialog(plan.lanPort), 'error')
        if (answer.response === 1 && config.mode === 'host') openLanPortPage(config, true)
        else app.quit()
        return
      }
      url = await startHostService(plan, log)
    } else {
      url = plan.url
      if (plan.paired) {
        trusted = { url: plan.paired.url, caPem: plan.paired.caPem, sha256: plan.paired.sha256 }
        // the host knows this PC by its device cookie, set here where the page cannot read it
        await session.defaultSession.cookies.set(deviceCookieFor(plan.paired))
        followPromotedStandby(log)
      }
    }
    if (url === null) return app.quit()
    // from here a host's window only hides when closed (before, closing the last window quits)
    mode = config.mode
    openWindow(url, config, startsHidden(process.argv, config))
    wizard?.close()
  } catch (err) {
    wizard?.close()
    const reason = err instanceof Error ? err.message : String(err)
    log.note(`could not start: ${reason}`)
    console.error('Keyuan could not start:', err)
    const t = startFailedDialog(reason, log.file)
    dialog.showErrorBox(t.title, t.content)
    app.exit(1)
  }
})

// a host's window only hides; all windows closed means a terminal (or the wizard) was closed
app.on('window-all-closed', () => {
  if (mode !== 'host' || quitting) app.quit()
})
