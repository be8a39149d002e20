import type { PairingState } from '@shared/contract/devices'
import type { ApiErrorShape } from '@shared/contract/common'
import type { Clock } from '../clock'
import { newPairingCode } from './pairing-code'

/** How long an opened code can be typed: long enough to walk to the terminal, short enough to be forgotten. */
export const CODE_VALID_MS = 10 * 60 * 1000
/** Wrong tries one code allows; then it is burnt. 5 tries of a 50-bit code is no real chance. */
export const MAX_WRONG_TRIES = 5
/** After a code is burnt, every try is refused this long (or until the admin opens a new code). */
export const LOCK_MS = 5 * 60 * 1000

/** What checking a try says: the code (for the proofs) when it may be tried, else the refusal. */
export type TryGate = { ok: true; code: string } | { ok: false; error: ApiErrorShape }

/**
 * The one pairing code the admin opened, kept in memory only (a restart withdraws it). One code
 * pairs one device. Wrong tries count against the code whoever sends them (an attacker can change
 * address): the fifth burns it and locks pairing for LOCK_MS.
 */
export class PairingWindow {
  private code: string | null = null
  private expiresAt = 0
  private wrongLeft = MAX_WRONG_TRIES
  private lockedUntil = 0

  constructor(private readonly clock: Clock) {}

  /** Opens a new code (replacing an open one) and ends a lock: the admin is at the host. */
  open(): PairingState {
    this.code = newPairingCode()
    this.expiresAt = this.now() + CODE_VALID_MS
    this.wrongLeft = MAX_WRONG_TRIES
    this.lockedUntil = 0
    return this.state()
  }

  /** Withdraws the open code. */
  close(): PairingState {
    this.code = null
    return this.state()
  }

  /** What the admin page shows. */
  state(): PairingState {
    const now = this.now()
    const open = this.code !== null && now < this.expiresAt
    return {
      code: open ? this.code : null,
      expiresAt: open ? new Date(this.expiresAt).toISOString() : null,
      attemptsLeft: open ? this.wrongLeft : 0,
      lockedUntil: now < this.lockedUntil ? new Date(this.lockedUntil).toISOString() : null,
    }
  }

  /** Whether a try may be judged now; the caller then calls `right()` or `wrong()`. */
  gate(): TryGate {
    const now = this.now()
    if (now < this.lockedUntil) {
      const seconds = Math.ceil((this.lockedUntil - now) / 1000)
      return { ok: false, error: { code: 'RATE_LIMITED', reason: 'pairing_locked', params: { seconds }, message: `too many wrong pairing codes: pairing is locked for ${seconds} s` } }
    }
    if (this.code === null || now >= this.expiresAt) {
      this.code = null
      return { ok: false, error: { code: 'CONFLICT', reason: 'pairing_closed', message: 'no pairing code is open on the host: ask the admin to open one (设置 › 终端配对)' } }
    }
    return { ok: true, code: this.code }
  }

  /** The try was right: the code is used up. */
  right(): void {
    this.code = null
  }

  /** The try was wrong; returns the refusal to answer (wrong, or now locked). */
  wrong(): ApiErrorShape {
    this.wrongLeft = Math.max(0, this.wrongLeft - 1)
    if (this.wrongLeft > 0) {
      return { code: 'BAD_CREDENTIALS', reason: 'pairing_code_wrong', params: { attemptsLeft: this.wrongLeft }, message: `wrong pairing code (or the connection to the host is intercepted); ${this.wrongLeft} tries left` }
    }
    this.code = null
    this.lockedUntil = this.now() + LOCK_MS
    const seconds = Math.ceil(LOCK_MS / 1000)
    return { code: 'RATE_LIMITED', reason: 'pairing_locked', params: { seconds }, message: `too many wrong pairing codes: the code is withdrawn and pairing is locked for ${seconds} s` }
  }

  private now(): number {
    return this.clock.now().getTime()
  }
}
