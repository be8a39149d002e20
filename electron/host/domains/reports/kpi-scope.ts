import type { KpiSubject } from '@shared/contract/reports'
import { ApiFailure } from '../../api/api-failure'
import type { Viewer } from '@shared/domain/client-access'

/** A staff member as the KPI tables see them. */
export interface KpiStaffRecord {
  id: number
  name: string
  role: string
  team: string | null
  active: number
}

const OWNER_ROLES = new Set(['agent', 'senior_agent'])
const WHOLE_BRANCH = new Set(['manager', 'admin'])

/** Whether the caller sees the whole branch's figures (managers and admins). */
export function seesBranch(viewer: Viewer): boolean {
  return WHOLE_BRANCH.has(viewer.role)
}

/** Whether the caller may see one staff member's figures: their own, their team's (a senior agent), anyone's (management). */
export function seesStaff(viewer: Viewer, s: Pick<KpiStaffRecord, 'id' | 'team'>): boolean {
  if (seesBranch(viewer) || s.id === viewer.staffId) return true
  return viewer.role === 'senior_agent' && viewer.team !== null && s.team === viewer.team
}

/**
 * The staff rows of the caller's KPI table: the agents they may see who are active or own
 * figures in the period (a departed agent's old period still shows them).
 */
export function visibleStaff(viewer: Viewer, staff: readonly KpiStaffRecord[], withFigures: ReadonlySet<number>): KpiStaffRecord[] {
  return staff.filter((s) => seesStaff(viewer, s) && ((OWNER_ROLES.has(s.role) && s.active === 1) || withFigures.has(s.id)))
}

/**
 * The staff ids behind a subject, checked against the caller: null means the whole branch.
 * Someone who may not see the subject gets the same FORBIDDEN whether or not it exists.
 */
export function subjectStaff(viewer: Viewer, subject: KpiSubject, staff: readonly KpiStaffRecord[]): number[] | null {
  const forbidden = () => new ApiFailure('FORBIDDEN', 'these figures are not yours to see', 'subject', 'kpi_subject')
  if (subject.kind === 'branch') {
    if (!seesBranch(viewer)) throw forbidden()
    return null
  }
  if (subject.kind === 'team') {
    if (!seesBranch(viewer) && !(viewer.role === 'senior_agent' && viewer.team === subject.team)) throw forbidden()
    return staff.filter((s) => s.team === subject.team).map((s) => s.id)
  }
  const s = staff.find((x) => x.id === subject.staffId)
  if (!s || !seesStaff(viewer, s)) {
    if (s || !seesBranch(viewer)) throw forbidden()
    throw new ApiFailure('NOT_FOUND', 'no such staff member', 'subject.staffId')
  }
  return [s.id]
}
