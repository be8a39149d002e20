import type { z } from 'zod'
import type { BoardExportQuery } from '@shared/contract/export'
import type { Unit } from '@shared/contract/units'
import { formatBranchTime } from '@shared/domain/branch-time'
import type { UnitStatus } from '@shared/domain/unit-status'
import { ApiFailure } from '../../api/api-failure'
import { buildingsOf } from '../board/board.repository'
import { findProject } from '../projects/projects.repository'
import { toUnit } from '../units/unit-shape'
import { unitRecords } from '../units/units.repository'
import { sliceOfList, type ExportColumn, type GridSource } from './export-sheet'

type Query = z.output<typeof BoardExportQuery>
/** A unit as the exporter's board shows it, with its building's name. */
type Row = z.infer<typeof Unit> & { building: string }

/** The unit statuses in the board's words (renderer board texts). */
const STATUS: Record<UnitStatus, readonly [string, string]> = {
  available: ['可售', 'Available'],
  hold: ['预留/控房', 'Held'],
  small_deposit: ['小订', 'Small deposit'],
  pledge: ['认筹', 'Pledged'],
  subscribe: ['认购', 'Subscribed'],
  sign: ['签约', 'Signed'],
  sold: ['已售', 'Sold'],
  withheld: ['不售', 'Not for sale'],
}

// money in fen and areas in 0.01 m² as stored: the sheet shows yuan and m², as numbers Excel can add up
const COLUMNS: readonly ExportColumn<Row>[] = [
  { zh: '楼栋', en: 'Building', cell: (u) => u.building },
  { zh: '楼层', en: 'Floor', cell: (u) => u.floor },
  { zh: '房号', en: 'Unit', cell: (u) => u.number },
  { zh: '户型', en: 'Layout', cell: (u) => u.layout ?? '' },
  { zh: '面积（㎡）', en: 'Area (m²)', cell: (u) => u.area / 100 },
  { zh: '朝向', en: 'Orientation', cell: (u) => u.orientation ?? '' },
  { zh: '表价（元）', en: 'List price (yuan)', cell: (u) => u.listPrice / 100 },
  { zh: '单价（元/㎡）', en: 'Price per m² (yuan)', cell: (u) => u.unitPrice / 100 },
  { zh: '状态', en: 'Status', cell: (u, l) => STATUS[u.status][l === 'zh' ? 0 : 1] },
  // the buyer and the money only where the exporter's board shows them (seesDeal): blank otherwise
  { zh: '客户', en: 'Buyer', cell: (u) => u.tx?.clientName ?? '' },
  { zh: '经纪人', en: 'Agent', cell: (u) => u.tx?.agentName ?? '' },
  { zh: '成交价（元）', en: 'Deal price (yuan)', cell: (u) => (u.tx && u.tx.price > 0 ? u.tx.price / 100 : '') },
  { zh: '已收（元）', en: 'Paid (yuan)', cell: (u) => (u.tx && u.tx.price > 0 ? u.tx.paid / 100 : '') },
  { zh: '保留到期', en: 'Hold ends', cell: (u) => formatBranchTime(u.tx?.expiresAt ?? null) },
]

/** The sales-control board (销控表) of one project: board.get's units, each shaped for the exporter as the board shows it. */
export function boardSource(): GridSource<Query, Row> {
  const rowsOf: GridSource<Query, Row>['page'] = async (db, q, who, now, from, limit) => {
    if (!(await findProject(db, q.projectId))) throw new ApiFailure('NOT_FOUND', `no project ${q.projectId}`, 'query.projectId')
    const names = new Map((await buildingsOf(db, q.projectId)).map((b) => [b.id, b.name]))
    const { rows, read, last } = sliceOfList(await unitRecords(db, { projectId: q.projectId }), from, limit)
    return { rows: rows.map((r) => ({ ...toUnit(r, now.toISOString(), who), building: names.get(r.building_id) ?? '' })), read, last }
  }
  return {
    title: { zh: '销控表导出', en: 'Sales board export' },
    columns: COLUMNS,
    async count(db, q, who, now) {
      return (await rowsOf(db, q, who, now, { after: null, read: 0 }, Number.MAX_SAFE_INTEGER)).read
    },
    page: rowsOf,
  }
}
