import dayjs, { type Dayjs } from 'dayjs'
import { BRANCH_TZ } from '../../app/format-time'

const WALL = 'YYYY-MM-DDTHH:mm:ss'

/** A picker value (what the office clock in Asia/Shanghai reads) as the UTC ISO string the host stores. */
export function fromBranchPicker(d: Dayjs): string {
  return dayjs.tz(d.format(WALL), BRANCH_TZ).toISOString()
}

/** Now plus some days, at a given hour, as a picker value in branch time. */
export function branchPickerAt(daysFromNow: number, hour: number): Dayjs {
  const wall = dayjs().tz(BRANCH_TZ).add(daysFromNow, 'day').format('YYYY-MM-DD')
  return dayjs(`${wall}T${String(hour).padStart(2, '0')}:00:00`)
}
