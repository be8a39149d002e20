/**
 * Branch time (STYLE §8): times are stored as UTC ISO strings and read on the branch's clock,
 * Asia/Shanghai, whatever zone the PC showing them is set to. Every screen formats times here,
 * and date pickers (which work in the PC's own zone) trade wall-clock strings with it.
 */

/** The branch's time zone. */
const BRANCH_TZ = 'Asia/Shanghai'

// one formatter for every call (building an Intl formatter costs far more than using one); parts
// are read by their type, so the locale's own order and punctuation never matter
const CLOCK = new Intl.DateTimeFormat('en-US', {
  timeZone: BRANCH_TZ,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
})

/** What the branch clock reads at an instant, field by field (zero-padded). */
interface WallClock {
  year: string
  month: string
  day: string
  hour: string
  minute: string
  second: string
}

/** The branch clock at an instant, or null for a time that is no time. */
function wallClock(at: string | Date): WallClock | null {
  const d = typeof at === 'string' ? new Date(at) : at
  if (Number.isNaN(d.getTime())) return null
  const p: Partial<Record<Intl.DateTimeFormatPartTypes, string>> = {}
  for (const part of CLOCK.formatToParts(d)) p[part.type] = part.value
  return { year: p.year ?? '', month: p.month ?? '', day: p.day ?? '', hour: p.hour ?? '', minute: p.minute ?? '', second: p.second ?? '' }
}

/** A stored time as the branch reads it, e.g. 2026-11-25 10:00; '' for none (an unreadable one is shown as it is). */
export function formatBranchTime(iso: string | null | undefined): string {
  if (!iso) return ''
  const w = wallClock(iso)
  return w ? `${w.year}-${w.month}-${w.day} ${w.hour}:${w.minute}` : iso
}

/** The branch's calendar day of a time, e.g. 2026-11-25. */
export function formatBranchDate(at: string | Date): string {
  const w = wallClock(at)
  return w ? `${w.year}-${w.month}-${w.day}` : String(at)
}

/** Time of day in the branch, e.g. 14:30. */
export function formatBranchClock(iso: string): string {
  const w = wallClock(iso)
  return w ? `${w.hour}:${w.minute}` : iso
}

/** A time in the branch, short when it is today: "14:30", "11-27 14:30" this year, else the full time. */
export function formatBranchShort(iso: string, now: Date = new Date()): string {
  const w = wallClock(iso)
  const today = wallClock(now)
  if (!w || !today) return iso
  if (w.year === today.year && w.month === today.month && w.day === today.day) return `${w.hour}:${w.minute}`
  return w.year === today.year ? `${w.month}-${w.day} ${w.hour}:${w.minute}` : formatBranchTime(iso)
}

/** A span of time in the branch: "2026-11-25 10:00–11:00", with the end's date when it is another day. */
export function formatBranchRange(startIso: string, endIso: string): string {
  const sameDay = formatBranchDate(startIso) === formatBranchDate(endIso)
  return `${formatBranchTime(startIso)}–${sameDay ? formatBranchClock(endIso) : formatBranchTime(endIso)}`
}

/** A stored time as the branch's wall-clock time, YYYY-MM-DDTHH:mm:ss (what a date picker shows). */
export function toBranchWallTime(iso: string): string {
  const w = wallClock(iso)
  return w ? `${w.year}-${w.month}-${w.day}T${w.hour}:${w.minute}:${w.second}` : iso
}

/** A wall-clock time on the branch clock (YYYY-MM-DDTHH:mm[:ss], as a picker gives it) as the UTC ISO string stored. */
export function fromBranchWallTime(wall: string): string {
  const asIfUtc = Date.parse(`${wall}Z`)
  if (Number.isNaN(asIfUtc)) throw new RangeError(`not a wall-clock time: ${wall}`)
  // the zone's offset then: what the branch clock reads at that instant, less the instant (whole seconds: the clock shows no more)
  const whole = asIfUtc - (((asIfUtc % 1000) + 1000) % 1000)
  const read = wallClock(new Date(whole))
  const offset = read ? Date.parse(`${read.year}-${read.month}-${read.day}T${read.hour}:${read.minute}:${read.second}Z`) - whole : 0
  return new Date(asIfUtc - offset).toISOString()
}
