import type { z } from 'zod'
import type { FinanceExportQuery } from '@shared/contract/export'
import { formatBranchTime } from '@shared/domain/branch-time'
import { ApiFailure } from '../../api/api-failure'
import { storedText } from '../../db/stored-text'
import { financeTodos, type FinanceTodoRow } from '../finance/finance.repository'
import { unitLabel } from '../units/unit-shape'
import { hostWords } from './export-enums'
import { sliceOfList, type ExportColumn, type Exporter, type GridSource } from './export-sheet'

type Query = z.output<typeof FinanceExportQuery>

/** The finance list is the desk's and the manager's; the desk never exports (DESIGN §1): the manager does. */
function mustBeManager(who: Exporter): void {
  if (who.role !== 'manager') throw new ApiFailure('FORBIDDEN', 'only a manager exports the finance list', 'grid')
}

const KIND: Record<string, readonly [string, string]> = { refund: ['退款', 'Refund'], reinvoice: ['重开票据', 'Reissue invoice'] }

const COLUMNS: readonly ExportColumn<FinanceTodoRow>[] = [
  { zh: '类型', en: 'Kind', cell: (r, l) => KIND[r.kind]?.[l === 'zh' ? 0 : 1] ?? r.kind },
  { zh: '房源', en: 'Unit', cell: (r) => (r.building !== null && r.number !== null ? unitLabel(r.building, r.number) : '') },
  // money is stored in fen: the sheet shows yuan, as a number Excel can add up
  { zh: '金额（元）', en: 'Amount (yuan)', cell: (r) => r.amount / 100 },
  { zh: '说明', en: 'Note', cell: (r, l) => hostWords(storedText(r.note), l) },
  { zh: '创建时间', en: 'Created', cell: (r) => formatBranchTime(r.created_at) },
  { zh: '办理人', en: 'Done by', cell: (r) => r.done_by_name ?? '' },
  { zh: '办理时间', en: 'Done at', cell: (r) => formatBranchTime(r.done_at) },
  { zh: '凭证号', en: 'Reference', cell: (r) => r.reference ?? '' },
]

/** The finance to-do list (财务待办): finance.todos' own query (newest first, the 500 it shows). */
export function financeSource(): GridSource<Query, FinanceTodoRow> {
  return {
    title: { zh: '财务待办导出', en: 'Finance to-dos export' },
    columns: COLUMNS,
    async count(db, q, who) {
      mustBeManager(who)
      return (await financeTodos(db, q.status)).length
    },
    async page(db, q, who, _now, from, limit) {
      mustBeManager(who)
      return sliceOfList(await financeTodos(db, q.status), from, limit)
    },
  }
}
