import { z } from 'zod'
import { Empty, IsoTime, type ContractTable } from './common'

export const systemContract = {
  'system.ping': {
    input: Empty,
    output: z.object({ pong: z.literal(true), at: IsoTime }),
    write: false,
    summary: 'A trivial round trip, for health checks and latency measurement.',
  },
  'system.tls': {
    input: Empty,
    output: z.object({
      /** false when the host serves loopback only, in plain HTTP */
      enabled: z.boolean(),
      /** the branch CA's SHA-256 fingerprint, colon hex, and its first half as 8 groups of 4 hex for comparing by eye */
      fingerprint: z.string().nullable(),
      shortCode: z.string().nullable(),
      caExpiresAt: IsoTime.nullable(),
      serverExpiresAt: IsoTime.nullable(),
      /** what the server certificate names (DNS:… and IP Address:…) */
      serverNames: z.array(z.string()),
    }),
    write: false,
    summary: "The host's TLS: the branch CA fingerprint terminals and browsers compare, and when the certificates end. The CA itself is downloadable at /tls.",
  },
} as const satisfies ContractTable
