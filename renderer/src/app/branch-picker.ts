import dayjs, { type Dayjs } from 'dayjs'
import { formatBranchDate, fromBranchWallTime, toBranchWallTime } from '@shared/domain/branch-time'

const WALL = 'YYYY-MM-DDTHH:mm:ss'

/**
 * A stored UTC time as a date-picker value: antd pickers work in the PC's own zone, so the value
 * carries the branch's wall-clock time (what the office clock reads).
 */
export function toPicker(iso: string): Dayjs {
  return dayjs(toBranchWallTime(iso))
}

/** A picker value (branch wall-clock time) as the UTC ISO string the host stores. */
export function fromPicker(d: Dayjs): string {
  return fromBranchWallTime(d.format(WALL))
}

/** The instant a picked calendar day starts in the branch (00:00 in Asia/Shanghai), as UTC ISO. */
export function pickerDayStart(d: Dayjs): string {
  return fromBranchWallTime(`${d.format('YYYY-MM-DD')}T00:00:00`)
}

/** Now, as a picker value in branch time. */
export function branchNowPicker(): Dayjs {
  return toPicker(new Date().toISOString())
}

/** Now plus some days, at a given hour, as a picker value in branch time. */
export function branchPickerAt(daysFromNow: number, hour: number): Dayjs {
  const day = formatBranchDate(new Date(Date.now() + daysFromNow * 86_400_000))
  return dayjs(`${day}T${String(hour).padStart(2, '0')}:00:00`)
}
