const KEY = 'keyuan.session'

/** The session token of this browser tab (sessionStorage: gone when the tab closes). */
export function loadToken(): string | undefined {
  return sessionStorage.getItem(KEY) ?? undefined
}

/** Remembers the session token for reloads of this tab. */
export function saveToken(token: string): void {
  sessionStorage.setItem(KEY, token)
}

/** Forgets the session token (sign-out or a session the host ended). */
export function clearToken(): void {
  sessionStorage.removeItem(KEY)
}
