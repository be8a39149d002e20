import type { SessionRow } from '../domains/auth/sessions.repository'

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
export class SessionCache {
  private readonly rows = new Map<string, SessionRow>()
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
    this.rows.set(tokenHash, row)
  }
}
