import type { FirstAdminCredentials } from './window-policy'

/**
 * The first admin's one-time sign-in, kept in main's memory until the window asks for it once;
 * then forgotten, so no later page (or a reload) can read it again.
 */
export class FirstRunSecret {
  private value: FirstAdminCredentials | null = null

  keep(credentials: FirstAdminCredentials | null): void {
    if (credentials) this.value = { ...credentials }
  }

  take(): FirstAdminCredentials | null {
    const v = this.value
    this.value = null
    return v
  }
}
