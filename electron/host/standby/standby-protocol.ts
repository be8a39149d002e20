/** The host's routes only a standby may use (electron/host/standby/standby-feed.ts). */
export const STANDBY_PATHS = { seed: '/standby/seed', recovery: '/standby/recovery', changes: '/standby/changes' } as const

/** How often a standby asks for the changes: the writes a promotion loses are those of about the last interval. */
export const STANDBY_PULL_MS = 2_000
