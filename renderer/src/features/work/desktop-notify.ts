/** The part of the Electron preload bridge the follow-up areas use (absent in a plain browser). */
interface NotifyBridge {
  notify?(n: { title: string; body: string }): Promise<void>
}

/** Shows an OS notification on the desktop app; does nothing in a browser. */
export function notifyDesktop(title: string, body: string): void {
  const bridge = (window as unknown as { desktop?: NotifyBridge }).desktop
  void bridge?.notify?.({ title, body }).catch(() => undefined)
}
