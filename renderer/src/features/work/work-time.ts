import dayjs, { type Dayjs } from 'dayjs'
import type { TFunction } from 'i18next'
import { BRANCH_TZ, formatBranchTime } from '../../app/format-time'

const WALL = 'YYYY-MM-DDTHH:mm:ss'

/**
 * A stored UTC time as a picker value: antd pickers work in the PC's own zone, so the value
 * carries the branch's wall-clock time (what the agent reads on the office clock).
 */
export function toPicker(iso: string): Dayjs {
  return dayjs(dayjs(iso).tz(BRANCH_TZ).format(WALL))
}

/** A picker value (branch wall-clock time) as the UTC ISO string the host stores. */
export function fromPicker(d: Dayjs): string {
  return dayjs.tz(d.format(WALL), BRANCH_TZ).toISOString()
}

/** Now, as a picker value in branch time. */
export function branchNowPicker(): Dayjs {
  return toPicker(new Date().toISOString())
}

/** Time of day in the branch, e.g. 14:30. */
export function formatBranchClock(iso: string): string {
  return dayjs(iso).tz(BRANCH_TZ).format('HH:mm')
}

/** A viewing's time span in the branch: "2026-11-25 10:00–11:00", with the end's date when it is another day. */
export function formatBranchRange(startIso: string, endIso: string): string {
  const sameDay = dayjs(startIso).tz(BRANCH_TZ).format('YYYY-MM-DD') === dayjs(endIso).tz(BRANCH_TZ).format('YYYY-MM-DD')
  return `${formatBranchTime(startIso)}–${sameDay ? formatBranchClock(endIso) : formatBranchTime(endIso)}`
}

/** A time in the branch, short when it is today: "14:30" or "11-27 14:30". */
export function formatBranchShort(iso: string, now: Date = new Date()): string {
  const d = dayjs(iso).tz(BRANCH_TZ)
  if (d.format('YYYY-MM-DD') === dayjs(now).tz(BRANCH_TZ).format('YYYY-MM-DD')) return d.format('HH:mm')
  return d.year() === dayjs(now).tz(BRANCH_TZ).year() ? d.format('MM-DD HH:mm') : formatBranchTime(iso)
}

/** How long ago a time was, in days, hours or minutes: "3 天", "5 小时". */
export function agoText(t: TFunction, iso: string, now: Date = new Date()): string {
  const minutes = Math.max(0, Math.floor((now.getTime() - Date.parse(iso)) / 60_000))
  if (minutes >= 24 * 60) return `${Math.floor(minutes / (24 * 60))} ${t('work.common.days')}`
  if (minutes >= 60) return `${Math.floor(minutes / 60)} ${t('work.common.hours')}`
  return `${minutes} ${t('work.common.minutes')}`
}
