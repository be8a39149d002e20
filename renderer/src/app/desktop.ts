import type { ReaderAdminBridge } from '@shared/contract/reader-admin-bridge'

/**
 * The shape of `window.desktop`, the Electron preload bridge (electron/preload/channels.ts).
 * Copied, not imported: the renderer is a browser page and may not import electron/**.
 * Absent in a plain browser on the LAN.
 */
export interface DesktopBridge {
  notify(n: { title: string; body: string; link?: string }): Promise<void>
  version(): Promise<string>
  /** the first admin's sign-in on the very first start, once; null ever after (and on terminals). */
  firstRun(): Promise<FirstRun | null>
  onCardSwipe(cb: (uid: string) => void): () => void
  /** the reader status light: none | connected | keyboard-wedge | error. */
  onCardStatus(cb: (status: { state: string; detail: string | null; uidFormat: string | null }) => void): () => void
  /** a read the reader could not make sense of: ask for the card again. */
  onCardRejected(cb: (reason: string) => void): () => void
  /** an OS notification was clicked: open this hash path. */
  onNoticeOpen?(cb: (link: string) => void): () => void
  /** the 读卡器 admin screen's calls (answers parsed in features/readers/reader-bridge.ts). */
  readers?: ReaderAdminBridge
}

/** The first admin's one-time sign-in on a new database. */
export interface FirstRun {
  username: string
  password: string
  /** the new database's recovery key, shown once as a printable sheet (null: none was made) */
  recoveryKey?: string | null
}

/** The desktop bridge when running inside the Electron app, else undefined. */
export function desktopBridge(): DesktopBridge | undefined {
  return (window as unknown as { desktop?: DesktopBridge }).desktop
}
