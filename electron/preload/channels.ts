/** Every IPC channel the renderer may use; the preload exposes named calls for these only. */
export const INVOKE_CHANNELS = ['os:notify', 'app:version'] as const
export const EVENT_CHANNELS = ['card:swipe'] as const

export type InvokeChannel = (typeof INVOKE_CHANNELS)[number]
export type EventChannel = (typeof EVENT_CHANNELS)[number]

/** An OS notification; main validates it again (the renderer is not trusted). */
export interface Notice {
  title: string
  body: string
}

/** The surface `window.desktop` offers the renderer (absent in a plain browser). */
export interface DesktopBridge {
  notify(n: Notice): Promise<void>
  version(): Promise<string>
  onCardSwipe(cb: (uid: string) => void): () => void
}

export function isInvokeChannel(c: string): c is InvokeChannel {
  return (INVOKE_CHANNELS as readonly string[]).includes(c)
}
