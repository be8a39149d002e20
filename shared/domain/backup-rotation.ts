import { branchDay } from './rules'

/** How many backups rotation keeps: the newest of each of the last days, weeks and months that have one. */
export const KEEP_DAILY = 7
export const KEEP_WEEKLY = 4
export const KEEP_MONTHLY = 12

/** The branch's ISO week of a branch day (YYYY-Www): Monday starts it. */
function weekOf(day: string): string {
  const d = new Date(`${day}T00:00:00.000Z`)
  const weekday = (d.getUTCDay() + 6) % 7
  // the Thursday of this week decides the ISO year
  const thursday = new Date(d.getTime() + (3 - weekday) * 86_400_000)
  const yearStart = Date.UTC(thursday.getUTCFullYear(), 0, 1)
  const week = 1 + Math.floor((thursday.getTime() - yearStart) / (7 * 86_400_000))
  return `${thursday.getUTCFullYear()}-W${String(week).padStart(2, '0')}`
}

/** The n of a name taken within the same second (keyuan-…-n.db), 0 for the first. */
function sameSecondNumber(name: string): number {
  const m = /-(\d{1,3})\.db$/.exec(name.replace(/^keyuan-\d{8}-\d{6}/, ''))
  return m ? Number(m[1]) : 0
}

/** Orders backups newest first: by time, then (taken in the same second) by the number of the name. */
export function newestFirst(a: { name: string; at: string }, b: { name: string; at: string }): number {
  if (a.at !== b.at) return a.at < b.at ? 1 : -1
  return sameSecondNumber(b.name) - sameSecondNumber(a.name)
}

/**
 * Which backups rotation keeps (grandfather-father-son): the newest backup of each of the 7 most
 * recent branch days that have one, of each of the 4 most recent weeks, of each of the 12 most
 * recent months. Returns the names kept; the others are deleted.
 */
export function backupsToKeep(backups: ReadonlyArray<{ name: string; at: string }>): Set<string> {
  const ordered = [...backups].sort(newestFirst)
  const keep = new Set<string>()
  const tiers: Array<[number, (day: string) => string]> = [
    [KEEP_DAILY, (day) => day],
    [KEEP_WEEKLY, weekOf],
    [KEEP_MONTHLY, (day) => day.slice(0, 7)],
  ]
  for (const [count, bucketOf] of tiers) {
    const seen = new Set<string>()
    for (const b of ordered) {
      const bucket = bucketOf(branchDay(new Date(b.at)))
      if (seen.has(bucket)) continue
      if (seen.size >= count) break
      seen.add(bucket)
      keep.add(b.name)
    }
  }
  return keep
}
