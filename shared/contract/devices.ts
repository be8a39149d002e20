import { z } from 'zod'
import { Empty, Id, IsoTime, type ContractTable } from './common'

/** A paired terminal or browser as the admin sees it (设置 › 终端配对). */
export const PairedDevice = z.object({
  id: Id,
  name: z.string(),
  kind: z.enum(['terminal', 'browser']),
  /** the address it last called from */
  address: z.string().nullable(),
  pairedAt: IsoTime,
  lastSeenAt: IsoTime.nullable(),
  /** who is signed in there now: the newest live session from its address (null: nobody) */
  signedIn: z.string().nullable(),
  revokedAt: IsoTime.nullable(),
  /** set when the admin made it a standby host: the last change it applied and when it last pulled */
  standby: z.object({ ackedSeq: z.number().int().min(0), lastPullAt: IsoTime.nullable() }).nullable(),
})
export type PairedDevice = z.infer<typeof PairedDevice>

/** The pairing code the admin opened, if one is open, and whether wrong codes locked pairing. */
export const PairingState = z.object({
  /** the code a terminal or browser types, `XXXXX-XXXXX`; null when none is open */
  code: z.string().nullable(),
  expiresAt: IsoTime.nullable(),
  /** wrong tries left before the code is burnt and pairing locks */
  attemptsLeft: z.number().int().min(0),
  /** pairing refuses every code until then (after too many wrong ones); opening a new code ends it */
  lockedUntil: IsoTime.nullable(),
})
export type PairingState = z.infer<typeof PairingState>

export const DevicesOverview = z.object({
  devices: z.array(PairedDevice),
  pairing: PairingState,
  /** false when the host serves loopback only: nothing can pair */
  lan: z.boolean(),
  /** the newest change a standby can pull (a standby's lag is this minus its ackedSeq) */
  feedHead: z.number().int().min(0),
})
export type DevicesOverview = z.infer<typeof DevicesOverview>

export const devicesContract = {
  'devices.list': {
    input: Empty,
    output: DevicesOverview,
    write: false,
    summary: 'Paired terminals and browsers (name, address, last seen, who is signed in), and the pairing code open now.',
  },
  'devices.openPairing': {
    input: Empty,
    output: PairingState,
    write: true,
    summary: 'Opens a one-time pairing code (10 minutes, 5 wrong tries) for one new terminal or browser; replaces an open one and ends a lock.',
  },
  'devices.closePairing': {
    input: Empty,
    output: PairingState,
    write: true,
    summary: 'Withdraws the open pairing code.',
  },
  'devices.revoke': {
    input: z.strictObject({ id: Id }),
    output: PairedDevice,
    write: true,
    summary: "Revokes a paired device: its connections close at once and every later call from it is refused; it must pair again.",
  },
  'devices.setStandby': {
    input: z.strictObject({ id: Id, standby: z.boolean() }),
    output: PairedDevice,
    write: true,
    summary: 'Makes a paired terminal a standby host (it may then copy the whole encrypted database and follow its changes over the pinned link), or stops that.',
  },
} as const satisfies ContractTable
