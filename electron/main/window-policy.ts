/** The renderer's web preferences: isolated, sandboxed, no Node. */
export function secureWebPreferences(preloadPath: string) {
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    spellcheck: false,
  } as const
}

/** The window may only ever show pages of the host it was opened on. */
export function isAllowedNavigation(target: string, hostUrl: string): boolean {
  try {
    return new URL(target).origin === new URL(hostUrl).origin
  } catch {
    return false
  }
}

/** What a ready message from the host utility process looks like. */
export function parseHostReady(message: unknown): string | null {
  if (!message || typeof message !== 'object') return null
  const m = message as { type?: unknown; url?: unknown }
  return m.type === 'ready' && typeof m.url === 'string' && /^https?:\/\//.test(m.url) ? m.url : null
}
