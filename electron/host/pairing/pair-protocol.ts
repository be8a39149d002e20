import { z } from 'zod'

/** Where pairing is served (open to unpaired PCs: it is how they become paired). */
export const PAIR_PATHS = { page: '/pair', browser: '/pair/browser', terminal: '/pair/terminal' } as const

/** A device's name as the admin will see it listed. */
export const DeviceName = z.string().trim().min(1).max(60)

/** What a terminal sends to `POST /pair/terminal`: never the code itself, only a proof bound to the CA it saw. */
export const TerminalPairRequest = z.strictObject({
  name: DeviceName,
  /** 16 random bytes, hex, made by the terminal for this try */
  nonce: z.string().regex(/^[0-9a-f]{32}$/),
  /** terminalProof(code, CA SHA-256 as the terminal saw it, nonce) */
  proof: z.string().regex(/^[0-9a-f]{64}$/),
})
export type TerminalPairRequest = z.infer<typeof TerminalPairRequest>

/** The host's answer to a right proof: the device, its secret, and the host's own proof. */
export const TerminalPairAnswer = z.object({
  ok: z.literal(true),
  deviceId: z.number().int().positive(),
  token: z.string().regex(/^[A-Za-z0-9_-]{43}$/),
  hostProof: z.string().regex(/^[0-9a-f]{64}$/),
})
export type TerminalPairAnswer = z.infer<typeof TerminalPairAnswer>
