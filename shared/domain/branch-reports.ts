/**
 * Pure rules behind the branch reports of issue #19 item 2 that the host cannot say in SQL alone:
 * the response-time buckets and percentiles, and which scheduled payments are paid, due or overdue.
 * Definitions in docs/usage.md "报表".
 */

/** Response-time buckets, by their upper bound in hours (the last is open); unanswered apart. */
export const RESPONSE_BUCKETS = [
  { key: 'h1', upTo: 1 },
  { key: 'h2', upTo: 2 },
  { key: 'h4', upTo: 4 },
  { key: 'h24', upTo: 24 },
  { key: 'd3', upTo: 72 },
  { key: 'more', upTo: Infinity },
] as const
export type ResponseBucket = (typeof RESPONSE_BUCKETS)[number]['key'] | 'unanswered'
export const RESPONSE_BUCKET_KEYS: readonly ResponseBucket[] = [...RESPONSE_BUCKETS.map((b) => b.key), 'unanswered']

/** The bucket of one response: the first whose bound it does not pass (2 h exactly is "within 2 h"); null hours is unanswered. */
export function responseBucket(hours: number | null): ResponseBucket {
  if (hours === null) return 'unanswered'
  return RESPONSE_BUCKETS.find((b) => hours <= b.upTo)!.key
}

/**
 * The q-quantile (0–1) of some values by the nearest-rank method: the smallest value with at
 * least q of the values at or below it (the median of 1, 2, 3, 4 is 2). Null for no values.
 */
export function quantile(values: readonly number[], q: number): number | null {
  if (values.length === 0) return null
  const sorted = [...values].sort((a, b) => a - b)
  const rank = Math.max(1, Math.ceil(q * sorted.length))
  return sorted[rank - 1]!
}

/** One agent's (or the branch's) response figures: counts per bucket, the median and the 90th percentile of the answered. */
export function responseSummary(hours: ReadonlyArray<number | null>) {
  const buckets = Object.fromEntries(RESPONSE_BUCKET_KEYS.map((k) => [k, 0])) as Record<ResponseBucket, number>
  const answered: number[] = []
  for (const h of hours) {
    buckets[responseBucket(h)]++
    if (h !== null) answered.push(h)
  }
  return { starts: hours.length, answered: answered.length, median: quantile(answered, 0.5), p90: quantile(answered, 0.9), buckets }
}

/** Whether one instalment is settled, due (not yet late) or overdue. */
export type InstalmentState = 'paid' | 'due' | 'overdue'

/**
 * The state of each scheduled instalment of one deal: what was paid on the deal settles the
 * instalments in due-date order (earliest first); an unsettled one is overdue once its day
 * (a branch day, YYYY-MM-DD) is before `today`. Returns, per instalment in the given order, its
 * state and the part of it paid (fen).
 */
export function instalmentStates(
  schedule: ReadonlyArray<{ dueDate: string; amount: number }>,
  paidTotal: number,
  today: string,
): Array<{ state: InstalmentState; paid: number }> {
  const order = schedule.map((s, i) => ({ ...s, i })).sort((a, b) => (a.dueDate < b.dueDate ? -1 : a.dueDate > b.dueDate ? 1 : a.i - b.i))
  const out = new Array<{ state: InstalmentState; paid: number }>(schedule.length)
  let left = Math.max(0, paidTotal)
  for (const s of order) {
    const paid = Math.min(left, s.amount)
    left -= paid
    out[s.i] = { paid, state: paid >= s.amount ? 'paid' : s.dueDate < today ? 'overdue' : 'due' }
  }
  return out
}
