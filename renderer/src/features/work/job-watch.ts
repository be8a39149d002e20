import type { ErrorCode, Result } from '@shared/contract/common'
import type { JobView } from '@shared/contract/jobs'

/** A running job whose count has not moved for this long is said to be stalled (the host busy, or its worker stopped). */
export const STALL_MS = 20_000
/** Errors that say nothing about the job: the host is away or busy for a moment, so keep asking. */
const PASSING: readonly ErrorCode[] = ['OFFLINE', 'BUSY', 'DB_BUSY', 'DB_LOCKED']

/** A watched job: the host's last word on it, and whether that word is getting old. */
export interface JobWatch {
  job: JobView | null
  /** the last question did not reach the host (it is restarting, or the network is down); still asking */
  offline: boolean
  /** seconds since the job last moved, once that is STALL_MS or more while it runs; else null */
  stalledSeconds: number | null
  /** when the job's count or status last changed (ms) */
  movedAt: number
}

/** Nothing heard yet, watching since `now`. */
export function startWatch(now: number): JobWatch {
  return { job: null, offline: false, stalledSeconds: null, movedAt: now }
}

/**
 * What one answer to jobs.get makes of the watch at `now`, and what comes next: ask again, or stop
 * because the job finished, failed, or can no longer be asked about (gone, not allowed).
 */
export function jobAnswered(
  w: JobWatch,
  answer: Result<JobView>,
  now: number,
): { watch: JobWatch; next: 'ask' | 'finished' | 'failed' | 'lost' } {
  if (!answer.ok && !PASSING.includes(answer.error.code)) return { watch: w, next: 'lost' }
  const job = answer.ok ? answer.value : w.job
  const moved = answer.ok && (w.job === null || answer.value.done !== w.job.done || answer.value.status !== w.job.status)
  const movedAt = moved ? now : w.movedAt
  const still = now - movedAt
  const watch: JobWatch = { job, offline: !answer.ok, stalledSeconds: job?.status !== 'done' && still >= STALL_MS ? Math.floor(still / 1000) : null, movedAt }
  if (answer.ok && answer.value.status === 'done') return { watch, next: 'finished' }
  if (answer.ok && answer.value.status === 'failed') return { watch, next: 'failed' }
  return { watch, next: 'ask' }
}
