import { z } from 'zod'

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

const FirstAdminCredentials = z.object({
  username: z.string().min(1).max(64),
  password: z.string().min(1).max(200),
  /** the new database's recovery key, for the printable sheet (shown with the sign-in, once) */
  recoveryKey: z.string().max(100).nullable().optional(),
})
/** The first admin's one-time sign-in (and the recovery key), made on the very first start of an empty database. */
export type FirstAdminCredentials = z.infer<typeof FirstAdminCredentials>

const HostReadyMessage = z.object({
  type: z.literal('ready'),
  url: z
    .string()
    .max(200)
    .refine((u) => URL.canParse(u) && /^https?:$/.test(new URL(u).protocol)),
  // absent from hosts that predate it, null on every start but the first
  firstAdmin: FirstAdminCredentials.nullable().optional(),
  recoveryKey: z.string().max(100).nullable().optional(),
})

/** What the host utility process says once it serves. */
export interface HostReady {
  url: string
  firstAdmin: FirstAdminCredentials | null
}

/** Reads a ready message from the host utility process; null for anything else. */
export function parseHostReady(message: unknown): HostReady | null {
  const r = HostReadyMessage.safeParse(message)
  if (!r.success) return null
  const { firstAdmin, recoveryKey } = r.data
  return { url: r.data.url, firstAdmin: firstAdmin ? { ...firstAdmin, ...(recoveryKey ? { recoveryKey } : {}) } : null }
}
