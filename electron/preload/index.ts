import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron'
import type { DesktopBridge, EventChannel } from './channels'

function subscribe<T>(channel: EventChannel, cb: (value: T) => void): () => void {
  const listener = (_e: IpcRendererEvent, value: T) => cb(value)
  ipcRenderer.on(channel, listener)
  return () => ipcRenderer.off(channel, listener)
}

// Named calls only: the page never sees ipcRenderer itself. No imports but electron:
// a sandboxed preload cannot require packages.
contextBridge.exposeInMainWorld('desktop', {
  notify: (n) => ipcRenderer.invoke('os:notify', { title: String(n.title), body: String(n.body), ...(n.link === undefined ? {} : { link: String(n.link) }) }),
  version: () => ipcRenderer.invoke('app:version'),
  firstRun: () => ipcRenderer.invoke('app:first-run'),
  onCardSwipe: (cb) => subscribe<string>('card:swipe', cb),
  onCardStatus: (cb) => subscribe('card:status', cb),
  onCardRejected: (cb) => subscribe<string>('card:rejected', cb),
  onNoticeOpen: (cb) => subscribe<string>('notice:open', cb),
  readers: {
    list: (token) => ipcRenderer.invoke('readers:list', { token }),
    learnStart: (token, path) => ipcRenderer.invoke('readers:learn-start', { token, path }),
    learnReset: (token) => ipcRenderer.invoke('readers:learn-reset', { token }),
    learnPropose: (token, printed, name) => ipcRenderer.invoke('readers:learn-propose', name === undefined ? { token, printed } : { token, printed, name }),
    learnSave: (token) => ipcRenderer.invoke('readers:learn-save', { token }),
    learnCancel: (token) => ipcRenderer.invoke('readers:learn-cancel', { token }),
    onLearn: (cb) => subscribe<unknown>('card:learn', cb),
  },
} satisfies DesktopBridge)
