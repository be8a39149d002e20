import type { ApiErrorShape } from '@shared/contract/common'
import type { FollowUpRowCheck } from '@shared/domain/follow-up-import-row'
import type { ColumnMapping, ImportKind } from '@shared/domain/import-columns'
import type { RowCheck } from '@shared/domain/import-row'

/** A colleague a row may name (经纪人 of a client, 跟进人 of a follow-up): by name or sign-in name. */
export interface NamedStaff {
  id: number
  name: string
  username: string
}

/** The check a thread makes (its first message). */
export interface CheckThreadSetup {
  file: Uint8Array
  kind: ImportKind
  mapping: ColumnMapping
  /** the dry run's "now" (UTC ISO): a client's dates and a follow-up's time are judged against it */
  now: string
  /** whom the 经纪人 (clients) or 跟进人 (follow-ups) cells may name */
  staff: NamedStaff[]
  /** rows a message carries */
  batchRows: number
  /** messages the thread may send before the host has taken any (the host returns one a message taken) */
  credits: number
}

/** A client row as the thread checked it: the row as read (JSON of its cells) and its values as JSON when good. */
export interface CheckedClientRow {
  rowNo: number
  raw: string
  check: RowCheck
  valueJson: string | null
}

/** A follow-up row as the thread checked it, with its 客户电话 cell as typed (named in a refusal). */
export interface CheckedFollowUpRow {
  rowNo: number
  raw: string
  check: FollowUpRowCheck
  phoneCell: string
}

/** From the thread: rows checked (in file order), the end of the file, or why it stopped. */
export type FromCheckThread =
  | { type: 'clients'; rows: CheckedClientRow[] }
  | { type: 'followUps'; rows: CheckedFollowUpRow[] }
  | { type: 'end' }
  | { type: 'failed'; error: ApiErrorShape }

/**
 * To the thread: the check to make (a thread may be started ahead, before its file is known, and
 * takes another check once it sent the end of one), each time it may send one more message, and
 * (a spare) that an xlsx is coming, so it loads the workbook reader meanwhile.
 */
export type ToCheckThread = { type: 'start'; setup: CheckThreadSetup } | { type: 'more' } | { type: 'warm' }
