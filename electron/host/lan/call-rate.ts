import type { ApiErrorShape } from '@shared/contract/common'
import { hashToken } from '../domains/auth/sessions.repository'
import { signInSource } from '../domains/auth/sign-in-guard'

/** A token bucket: `perSecond` calls a second on average, up to `burst` at once. */
interface Bucket {
  tokens: number
  at: number
}

// buckets kept at most; a full bucket is the same as none, so those go first when there are more
const MAX_BUCKETS = 10_000

/**
 * Calls per session (or per socket before sign-in), so one terminal's flood cannot starve the
 * other terminals of the one writer and the readers. Times come from the host clock.
 */
export class CallRate {
  private readonly buckets = new Map<string, Bucket>()

  constructor(
    private readonly perSecond: number,
    private readonly burst: number,
  ) {}

  /** Takes one call from `key`'s bucket; returns 0 when allowed, else the whole seconds until one is. */
  take(key: string, nowMs: number): number {
    let b = this.buckets.get(key)
    if (!b) {
      if (this.buckets.size >= MAX_BUCKETS) this.dropFull(nowMs)
      b = { tokens: this.burst, at: nowMs }
      this.buckets.set(key, b)
    }
    b.tokens = Math.min(this.burst, b.tokens + ((nowMs - b.at) / 1000) * this.perSecond)
    b.at = nowMs
    if (b.tokens >= 1) {
      b.tokens -= 1
      return 0
    }
    return Math.max(1, Math.ceil((1 - b.tokens) / this.perSecond))
  }

  /** Forgets a socket's own bucket when it closes. */
  forget(key: string): void {
    this.buckets.delete(key)
  }

  private dropFull(nowMs: number): void {
    for (const [key, b] of this.buckets) {
      if (b.tokens + ((nowMs - b.at) / 1000) * this.perSecond >= this.burst) this.buckets.delete(key)
    }
    // all busy (a flood of invented tokens): start over rather than grow without bound
    if (this.buckets.size >= MAX_BUCKETS) this.buckets.clear()
  }
}

/**
 * The bucket a call counts against, the same rule over HTTP and WebSocket: its session when it
 * carries a token (every tab and socket of it); a sign-in by where it comes from and the account
 * it tries (signInSource, the unit SignInGuard counts by), so one clerk's burst of sign-ins does
 * not hold back another clerk behind the same office address (a NAT, a terminal server), and
 * opening more sockets buys no more tries at an account; any other call without a token, `own`
 * (the socket, or over HTTP the address, where it is refused UNAUTHENTICATED anyway). Inventing
 * usernames buys no passwords: SignInGuard locks the address at its ceiling of failures.
 */
export function rateKey(call: { token: string | undefined; address: string; method: string; input: unknown }, own: string): string {
  if (call.token) return `t:${hashToken(call.token)}`
  const username = call.method === 'auth.login' && call.input !== null && typeof call.input === 'object' ? (call.input as { username?: unknown }).username : undefined
  return typeof username === 'string' ? `si:${signInSource(call.address, username)}` : own
}

/** The answer to a call over the rate: when to try again, in the caller's words (RATE_LIMITED_calls). */
export function rateRefusal(seconds: number): ApiErrorShape {
  return { code: 'RATE_LIMITED', reason: 'calls', params: { seconds }, message: `too many calls from this session; try again in ${seconds} s` }
}
