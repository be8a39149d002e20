import type { z } from 'zod'
import type { ApprovalsExportQuery } from '@shared/contract/export'
import type { ChangeKind } from '@shared/domain/approval-steps'
import { formatBranchTime } from '@shared/domain/branch-time'
import { listRequests, staffNames, unitNames, type ChangeRecord } from '../changes/changes.repository'
import { unitLabel } from '../units/unit-shape'
import { sliceOfList, type ExportColumn, type Exporter, type GridSource } from './export-sheet'
import type { Kysely } from 'kysely'
import type { DB } from '../../db/schema'

type Query = z.output<typeof ApprovalsExportQuery>
/** A change request as the approvals list names it: its unit and the people by name. */
type Row = ChangeRecord & { unit: string; requester: string; decider: string }

/** The words of the request kinds and states (renderer board texts). */
const KIND: Record<ChangeKind, readonly [string, string]> = {
  rename: ['更名', 'Rename'],
  swap: ['换房', 'Swap'],
  cancel: ['退房', 'Cancel'],
  price: ['调价', 'Price'],
  discount: ['折扣', 'Discount'],
  bulkPrice: ['批量调价', 'Bulk price'],
}
const STATUS: Record<string, readonly [string, string]> = {
  pending: ['待审批', 'Pending'],
  approved: ['已批准', 'Approved'],
  rejected: ['已驳回', 'Rejected'],
  withdrawn: ['已撤回', 'Withdrawn'],
}
const words = (table: Record<string, readonly [string, string]>, key: string, l: 'zh' | 'en') => table[key]?.[l === 'zh' ? 0 : 1] ?? key

// the list's columns only: a request's payload (buyer, prices) stays on screen, where the deal's own rules show it
const COLUMNS: readonly ExportColumn<Row>[] = [
  { zh: '编号', en: 'No.', cell: (r) => r.id },
  { zh: '类型', en: 'Kind', cell: (r, l) => words(KIND, r.kind, l) },
  { zh: '房源', en: 'Unit', cell: (r) => r.unit },
  { zh: '状态', en: 'Status', cell: (r, l) => words(STATUS, r.status, l) },
  { zh: '轮次', en: 'Round', cell: (r) => r.round },
  { zh: '申请人', en: 'Requested by', cell: (r) => r.requester },
  { zh: '申请时间', en: 'Requested at', cell: (r) => formatBranchTime(r.created_at) },
  { zh: '审批人', en: 'Decided by', cell: (r) => r.decider },
  { zh: '审批时间', en: 'Decided at', cell: (r) => formatBranchTime(r.decided_at) },
]

/**
 * The requests the exporter's approvals list shows (changes.list: managers and admins all; others
 * theirs, their deals', their role's steps); for 审批历史 (`decided`) the list's requests that are
 * not pending, as that tab filters them.
 */
async function visible(db: Kysely<DB>, { status, ...q }: Query, who: Exporter): Promise<ChangeRecord[]> {
  const rows = await listRequests(db, { ...q, ...(status === 'decided' ? {} : { status }) }, who.role !== 'manager' && who.role !== 'admin' ? who : null)
  return status === 'decided' ? rows.filter((r) => r.status !== 'pending') : rows
}

/** The approvals list (审批): changes.list's own query and visibility, newest first (the 500 it shows). */
export function approvalsSource(): GridSource<Query, Row> {
  return {
    title: { zh: '审批列表导出', en: 'Approvals export' },
    columns: COLUMNS,
    async count(db, q, who) {
      return (await visible(db, q, who)).length
    },
    async page(db, q, who, _now, from, limit) {
      const { rows, read, last } = sliceOfList(await visible(db, q, who), from, limit)
      const known = (v: number | null): v is number => v !== null
      const units = new Map((await unitNames(db, [...new Set(rows.map((r) => r.unit_id).filter(known))])).map((u) => [u.id, unitLabel(u.name, u.number)]))
      const people = new Map((await staffNames(db, [...new Set(rows.flatMap((r) => [r.requested_by, r.decided_by]).filter(known))])).map((s) => [s.id, s.name]))
      return {
        rows: rows.map((r) => ({ ...r, unit: r.unit_id === null ? '' : (units.get(r.unit_id) ?? ''), requester: people.get(r.requested_by) ?? '', decider: r.decided_by === null ? '' : (people.get(r.decided_by) ?? '') })),
        read,
        last,
      }
    },
  }
}
