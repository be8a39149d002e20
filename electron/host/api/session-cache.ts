import type { SessionRow } from '../domains/auth/sessions.repository'
import type { SessionInfo } from './handler'

/** Sessions kept at most: far above a branch's signed-in staff; past it the cache starts again. */
const MAX_SESSIONS = 4_096

/**
 * Sessions as last read, kept between calls while nothing that could change them has been
 * written: each call of a signed-in terminal used to read its session on a reader first, a
 * round trip to a worker as long as many of the calls themselves. Entries are good for one
 * generation of the writer's changes to staff and sessions (SqliteWorkerPool.signInGeneration):
 * a sign-out, a revoked or departed session, a changed role or a deactivated account bumps it,
 * before the call that changed it is answered, and every entry goes. Expiry is still checked on
 * every call (the row holds expiresAt).
 */
/** A session as kept: its row, what a handler hears of it (one object for all its calls), and its expiry in ms. */
export interface KeptSession {
  row: SessionRow
  info: SessionInfo
  /** Date.parse(row.expiresAt), or -Infinity when that text is not as toISOString writes it (then only the text is compared). */
  expiresMs: number
}

/** What a handler hears of a session row. */
export function sessionInfoOf(row: SessionRow): SessionInfo {
  return { tokenHash: row.tokenHash, staffId: row.staffId, username: row.username, name: row.name, role: row.role, team: row.team, expiresAt: row.expiresAt }
}

export class SessionCache {
  private readonly rows = new Map<string, KeptSession>()
  /** the hash of each token a session was found for: a SHA-256 per call cost more than the rest of a small call's checks */
  private readonly hashes = new Map<string, string>()
  private generation = -1

  /** The hash of a token that found its session before (hashes never change, whatever the generation). */
  hashOf(token: string): string | undefined {
    return this.hashes.get(token)
  }

  /** Remembers the hash of a token that found its session (junk tokens are never kept: they find none). */
  keepHash(token: string, tokenHash: string): void {
    if (this.hashes.size >= MAX_SESSIONS) this.hashes.clear()
    this.hashes.set(token, tokenHash)
  }

  /** The session of `tokenHash` if it was read in this generation. */
  get(tokenHash: string, generation: number): SessionRow | undefined {
    return this.kept(tokenHash, generation)?.row
  }

  /** The session of `tokenHash` as kept, if it was read in this generation. */
  kept(tokenHash: string, generation: number): KeptSession | undefined {
    if (generation !== this.generation) {
      this.rows.clear()
      this.generation = generation
      return undefined
    }
    return this.rows.get(tokenHash)
  }

  /** Keeps a session read while `generation` stood from start to end (else it may be stale already). */
  set(tokenHash: string, row: SessionRow, generation: number): void {
    if (generation !== this.generation) return
    if (this.rows.size >= MAX_SESSIONS) this.rows.clear()
    const ms = Date.parse(row.expiresAt)
    // a number compares as the text does only for the text toISOString writes (the host writes no other)
    const expiresMs = Number.isFinite(ms) && new Date(ms).toISOString() === row.expiresAt ? ms : -Infinity
    this.rows.set(tokenHash, { row, info: Object.freeze(sessionInfoOf(row)), expiresMs })
  }
}
