import fs from 'node:fs'
import path from 'node:path'
import { app, BrowserWindow, ipcMain, Notification, safeStorage, session, utilityProcess } from 'electron'
import { loadOrCreateDbKey } from './db-key'
import { NoticeSchema } from './notice'
import { NodeHidBackend } from '../card-reader'
import { profileFiles, startCardReaderBridge } from './card-reader-bridge'
import { isAllowedNavigation, parseHostReady, secureWebPreferences } from './window-policy'

// Host PC mode starts the host service; terminal mode (KEYUAN_HOST_URL) only opens a window on it.
const terminalUrl = process.env.KEYUAN_HOST_URL

function startHostService(): Promise<string> {
  const dataDir = path.join(app.getPath('userData'), 'data')
  const keyHex = loadOrCreateDbKey(
    app.getPath('userData'),
    safeStorage,
    fs.existsSync(path.join(dataDir, 'keyuan.db')),
  )
  // SQL runs in this utility process, never on the Electron main thread.
  const child = utilityProcess.fork(path.join(__dirname, 'host.js'), ['--data', dataDir, '--port', '0'], {
    env: { ...process.env, KEYUAN_DB_KEY: keyHex },
    serviceName: 'Keyuan host',
    stdio: 'inherit',
  })
  app.on('will-quit', () => child.kill())
  return new Promise((resolve, reject) => {
    child.on('message', (m: unknown) => {
      const url = parseHostReady(m)
      if (url) resolve(url)
    })
    child.once('exit', (code) => reject(new Error(`the host service stopped (exit ${code})`)))
  })
}

function openWindow(hostUrl: string): void {
  const win = new BrowserWindow({
    width: 1400,
    height: 900,
    title: '客源 Keyuan',
    webPreferences: secureWebPreferences(path.join(__dirname, '../preload/index.js')),
  })
  win.webContents.setWindowOpenHandler(() => ({ action: 'deny' }))
  win.webContents.on('will-navigate', (e, url) => {
    if (!isAllowedNavigation(url, hostUrl)) e.preventDefault()
  })
  void win.loadURL(hostUrl)
  // the reader belongs to this PC: main reads it and forwards swipes to this window
  void startCardReaderBridge({
    backend: new NodeHidBackend(),
    profileFiles: profileFiles(app.getPath('userData'), app.isPackaged ? process.resourcesPath : path.join(__dirname, '../../resources')),
    platform: process.platform,
    send: (channel, payload) => {
      if (!win.isDestroyed()) win.webContents.send(channel, payload)
    },
  })
    .then((stop) => app.on('will-quit', () => void stop()))
    .catch((err: unknown) => console.error('card reader unavailable:', err))
}

app.on('web-contents-created', (_e, contents) => {
  contents.on('will-attach-webview', (e) => e.preventDefault())
})

void app.whenReady().then(async () => {
  session.defaultSession.setPermissionRequestHandler((_wc, _perm, cb) => cb(false))
  ipcMain.handle('os:notify', (_e, raw: unknown) => {
    const n = NoticeSchema.parse(raw)
    new Notification({ title: n.title, body: n.body }).show()
  })
  ipcMain.handle('app:version', () => app.getVersion())
  try {
    openWindow(terminalUrl ?? (await startHostService()))
  } catch (err) {
    console.error('Keyuan could not start:', err)
    app.exit(1)
  }
})

app.on('window-all-closed', () => app.quit())
