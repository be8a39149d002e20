import { desktopBridge } from '../../app/desktop'

/** Shows an OS notification on the desktop app (clicking it opens `link`, a hash path); does nothing in a browser. */
export function notifyDesktop(title: string, body: string, link: string | null = null): void {
  void desktopBridge()
    ?.notify({ title, body, ...(link ? { link } : {}) })
    .catch(() => undefined)
}
