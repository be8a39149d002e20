import type { z } from 'zod'
import type { TasksExportQuery } from '@shared/contract/export'
import { formatBranchTime } from '@shared/domain/branch-time'
import { ApiFailure } from '../../api/api-failure'
import { toTask } from '../tasks/task-shape'
import { taskKey, tasksAfter, tasksPage } from '../tasks/tasks.repository'
import { hostWords } from './export-enums'
import type { ExportColumn, Exporter, GridSource } from './export-sheet'

type Query = z.output<typeof TasksExportQuery>
type Task = ReturnType<typeof toTask>

/** Whose tasks: one's own, or (a manager) anyone's, as tasks.list decides. */
function whose(q: Query, who: Exporter): number {
  const staffId = q.staffId ?? who.staffId
  if (staffId !== who.staffId && who.role !== 'manager') throw new ApiFailure('FORBIDDEN', 'only a manager sees other people’s tasks', 'query.staffId')
  return staffId
}

const COLUMNS: readonly ExportColumn<Task>[] = [
  { zh: '任务', en: 'Task', cell: (t, l) => hostWords(t.title, l) },
  { zh: '客户编号', en: 'Client code', cell: (t) => t.clientCode ?? '' },
  { zh: '客户', en: 'Client', cell: (t) => t.clientName ?? '' },
  { zh: '说明', en: 'Detail', cell: (t) => t.detail ?? '' },
  { zh: '截止时间', en: 'Due', cell: (t) => formatBranchTime(t.dueAt) },
  { zh: '已逾期', en: 'Overdue', cell: (t, l) => (t.overdue ? (l === 'zh' ? '是' : 'yes') : '') },
  { zh: '创建时间', en: 'Created', cell: (t) => formatBranchTime(t.createdAt) },
]

/** The task list (任务): tasks.list's own filter, order and row shape, read by keyset. */
export function tasksSource(): GridSource<Query, Task> {
  return {
    title: { zh: '任务导出', en: 'Tasks export' },
    columns: COLUMNS,
    async count(db, q, who) {
      return (await tasksPage(db, whose(q, who), q.status, 0, 1)).total
    },
    async page(db, q, who, now, from, limit) {
      const rows = await tasksAfter(db, whose(q, who), q.status, from.after, limit)
      const end = rows.at(-1)
      return { rows: rows.map((t) => toTask(t, now.toISOString())), read: rows.length, last: end ? taskKey(end) : null }
    },
  }
}
