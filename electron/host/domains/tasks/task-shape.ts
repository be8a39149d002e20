import { textOf } from '../../db/stored-text'
import type { TaskRow } from './tasks.repository'

/** A task as the API shows it; overdue when open past its due time. */
export function toTask(r: TaskRow, nowIso: string) {
  return {
    id: r.id,
    staffId: r.staff_id,
    clientId: r.client_id,
    clientName: r.client_name,
    clientCode: r.client_code,
    rule: r.rule,
    title: textOf(r.text_key, r.text_params),
    detail: r.detail,
    dueAt: r.due_at,
    status: r.status as 'open',
    overdue: r.status === 'open' && r.due_at < nowIso,
    createdAt: r.created_at,
  }
}
