import net from 'node:net'
import { z } from 'zod'

/** What a standby keeps beside its database: the host it follows (its pinned CA and device secret). */
export const STANDBY_FILE = 'standby.json'
/** The same, renamed by a promotion: this PC no longer follows anyone (and serves with the certificate the old host's CA signed). */
export const PROMOTED_FILE = 'standby.promoted.json'

/** The host's routes only a standby may use (electron/host/standby/standby-feed.ts). */
export const STANDBY_PATHS = { seed: '/standby/seed', recovery: '/standby/recovery', changes: '/standby/changes', certificate: '/standby/certificate', where: '/standby/where' } as const

/** GET /standby/where, for any paired device (a terminal PC's main process holds no staff session): where the standbys are. */
export const StandbyWhereAnswer = z.strictObject({ addresses: z.array(z.string()).max(64) })
export type StandbyWhereAnswer = z.infer<typeof StandbyWhereAnswer>

/**
 * What a standby POSTs to /standby/certificate: a CSR for the key it made and keeps, and the names
 * and addresses it will serve under once promoted. The host signs for those names only (less the
 * host's own), with the branch CA terminals pin.
 */
export const StandbyCertificateRequest = z.strictObject({
  csr: z.string().min(1).max(8_000),
  dns: z.array(z.string().regex(/^[a-z0-9]([a-z0-9-]{0,62})(\.[a-z0-9]([a-z0-9-]{0,62}))*$/i, 'a host name')).max(16),
  ips: z.array(z.string().refine((ip) => net.isIP(ip) !== 0, 'an IP address')).max(32),
})
export type StandbyCertificateRequest = z.infer<typeof StandbyCertificateRequest>

/** The host's answer: the certificate (PEM), signed by the branch CA, and the names it covers. */
export const StandbyCertificateAnswer = z.strictObject({
  certPem: z.string(),
  dns: z.array(z.string()),
  ips: z.array(z.string()),
})
export type StandbyCertificateAnswer = z.infer<typeof StandbyCertificateAnswer>

/** How often a standby asks for the changes: the writes a promotion loses are those of about the last interval. */
export const STANDBY_PULL_MS = 2_000
