import type { ReaderAdminBridge } from '@shared/contract/reader-admin-bridge'

/** Every IPC channel the renderer may use; the preload exposes named calls for these only. */
export const INVOKE_CHANNELS = ['os:notify', 'app:version', 'app:first-run'] as const
export const EVENT_CHANNELS = ['card:swipe', 'card:status', 'card:rejected', 'card:learn', 'notice:open'] as const
/** The admin's reader calls (读卡器 screen); main checks each caller's session is an admin's. */
export const READER_CHANNELS = [
  'readers:list',
  'readers:learn-start',
  'readers:learn-reset',
  'readers:learn-propose',
  'readers:learn-save',
  'readers:learn-cancel',
] as const

export type InvokeChannel = (typeof INVOKE_CHANNELS)[number]
export type EventChannel = (typeof EVENT_CHANNELS)[number]
export type ReaderChannel = (typeof READER_CHANNELS)[number]

/** An OS notification; main validates it again (the renderer is not trusted). */
export interface Notice {
  title: string
  body: string
  /** the page's hash path to open when the notification is clicked */
  link?: string
}

/** The first admin's one-time sign-in on a new database. */
export interface FirstRun {
  username: string
  password: string
  /** the new database's recovery key, shown once as a printable sheet (null: none was made) */
  recoveryKey?: string | null
}

/** The surface `window.desktop` offers the renderer (absent in a plain browser). */
export interface DesktopBridge {
  notify(n: Notice): Promise<void>
  version(): Promise<string>
  /** the first admin's sign-in on the very first start, once; null ever after (and on terminals). */
  firstRun(): Promise<FirstRun | null>
  onCardSwipe(cb: (uid: string) => void): () => void
  /** the reader status light: none | connected | keyboard-wedge | error. */
  onCardStatus(cb: (status: { state: string; detail: string | null; uidFormat: string | null }) => void): () => void
  /** a read the reader could not make sense of: ask for the card again. */
  onCardRejected(cb: (reason: string) => void): () => void
  /** an OS notification was clicked: open this hash path. */
  onNoticeOpen(cb: (link: string) => void): () => void
  /** the 读卡器 admin screen */
  readers: ReaderAdminBridge
}

export function isInvokeChannel(c: string): c is InvokeChannel {
  return (INVOKE_CHANNELS as readonly string[]).includes(c)
}
