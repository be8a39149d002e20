import dayjs from 'dayjs'
import timezone from 'dayjs/plugin/timezone'
import utc from 'dayjs/plugin/utc'

dayjs.extend(utc)
dayjs.extend(timezone)

/** Branch time zone: every time is stored in UTC and shown in Asia/Shanghai. */
export const BRANCH_TZ = 'Asia/Shanghai'

/** A stored UTC time as the branch reads it, e.g. 2026-11-25 10:00. */
export function formatBranchTime(iso: string | null | undefined): string {
  return iso ? dayjs(iso).tz(BRANCH_TZ).format('YYYY-MM-DD HH:mm') : ''
}
