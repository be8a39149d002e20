import fs from 'node:fs'
import path from 'node:path'
import { app, BrowserWindow, dialog, ipcMain, Notification, safeStorage, session, utilityProcess, type MessageBoxOptions } from 'electron'
import { NodeHidBackend, systemScheduler } from '../card-reader'
import { hostAdminCheck, profileFiles, readerChannels, startCardReaderBridge } from './card-reader-bridge'
import { resolveDesktopKey, type KeyDialogs, type RecoveryFailure } from './desktop-key'
import { DesktopKeyKeeper, keyHomeOf } from './desktop-key-keeper'
import { hostGaveUpDialog, keyProblemDialog, pickFailedDialog, pickFolderTitle, recoveryKeyPromptHtml, startFailedDialog, type DialogText } from './desktop-texts'
import { FirstRunSecret } from './first-run'
import { openHostLog, type HostLog } from './host-log'
import { HostSupervisor, type SupervisedChild } from './host-supervisor'
import { NoticeSchema } from './notice'
import { installPinnedCertificateCheck, PAIRED_HOST_FILE } from './pinned-certificate'
import { isAllowedNavigation, secureWebPreferences } from './window-policy'

// Host PC mode starts the host service; terminal mode (KEYUAN_HOST_URL) only opens a window on it.
const terminalUrl = process.env.KEYUAN_HOST_URL
const firstRun = new FirstRunSecret()
let mainWindow: BrowserWindow | null = null

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

/** Starts one host process on `port` with the key the keeper holds now (a rekey changes it); its error output goes to the log. */
function forkHost(port: number, keeper: DesktopKeyKeeper, dataDir: string, log: HostLog): SupervisedChild {
  const { KEYUAN_DB_KEY: _oldKey, KEYUAN_DB_KEY_NEXT: _nextKey, KEYUAN_KEY_KEEPER: _keeper, KEYUAN_DESKTOP_KEY_FILE: _keyFile, ...env } = process.env
  // SQL runs in this utility process, never on the Electron main thread.
  const child = utilityProcess.fork(path.join(__dirname, 'host.js'), ['--data', dataDir, '--port', String(port)], {
    env: { ...env, ...keeper.hostEnv() },
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
async function startHostService(log: HostLog): Promise<string | null> {
  const userData = app.getPath('userData')
  const dataDir = path.join(userData, 'data')
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
      fork: (port) => forkHost(port, keeper, dataDir, log),
      scheduler: systemScheduler(),
      onReady: (ready, restarted) => {
        log.note(`host ${restarted ? 'restarted' : 'ready'} at ${ready.url}`)
        if (restarted) return
        firstRun.keep(ready.firstAdmin)
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
    supervisor.start(0)
  })
}

function openWindow(hostUrl: string): void {
  const win = new BrowserWindow({
    width: 1400,
    height: 900,
    title: '客源 Keyuan',
    webPreferences: secureWebPreferences(path.join(__dirname, '../preload/index.js')),
  })
  mainWindow = win
  win.webContents.setWindowOpenHandler(() => ({ action: 'deny' }))
  win.webContents.on('will-navigate', (e, url) => {
    if (!isAllowedNavigation(url, hostUrl)) e.preventDefault()
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
    isAdmin: hostAdminCheck(hostUrl),
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

void app.whenReady().then(async () => {
  session.defaultSession.setPermissionRequestHandler((_wc, _perm, cb) => cb(false))
  // a paired terminal trusts its host by the pinned branch CA; a changed certificate is refused, and said once
  let warnedPin = false
  installPinnedCertificateCheck(session.defaultSession, path.join(app.getPath('userData'), PAIRED_HOST_FILE), (err) => {
    if (warnedPin) return
    warnedPin = true
    dialog.showErrorBox('客源 · 主机证书 / Host certificate', `${err.zh}\n\n${err.en}`)
  })
  ipcMain.handle('os:notify', (_e, raw: unknown) => {
    const n = NoticeSchema.parse(raw)
    const shown = new Notification({ title: n.title, body: n.body })
    // a click brings the window up (also from minimised) and lets the page open the item
    shown.on('click', () => {
      const win = mainWindow
      if (!win || win.isDestroyed()) return
      if (win.isMinimized()) win.restore()
      win.show()
      win.focus()
      if (n.link) win.webContents.send('notice:open', n.link)
    })
    shown.show()
  })
  ipcMain.handle('app:version', () => app.getVersion())
  const log = openHostLog(app.getPath('logs'))
  app.on('will-quit', () => void log.close())
  try {
    const url = terminalUrl ?? (await startHostService(log))
    if (url === null) return app.quit()
    openWindow(url)
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err)
    log.note(`could not start: ${reason}`)
    console.error('Keyuan could not start:', err)
    const t = startFailedDialog(reason, log.file)
    dialog.showErrorBox(t.title, t.content)
    app.exit(1)
  }
})

app.on('window-all-closed', () => app.quit())
