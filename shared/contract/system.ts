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
  'system.standby': {
    input: Empty,
    output: z.object({
      /**
       * where the branch's standby PCs are (the address each pulls from, IPv6 in brackets): once
       * one is promoted it answers there, on the host's port, with a certificate from the same
       * branch CA. Empty without a standby (or without TLS).
       */
      addresses: z.array(z.string()),
    }),
    write: false,
    summary: "Where the standby hosts are, so that a terminal can go on there when the host is gone and a standby was promoted (same port, same pinned branch CA).",
  },
} as const satisfies ContractTable
