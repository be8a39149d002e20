import type { Updateable } from 'kysely'
import type { HostText } from '@shared/contract/host-text'
import type { WriterProcedure } from '../../db/procedures'
import type { ClientsTable } from '../../db/schema'
import { refreshDerived } from '../clients/client-derived'
import { snapshotFresh } from '../clients/client-history'
import { updateClient } from '../clients/clients.repository'
import { insertTask } from '../tasks/tasks.repository'
import { findFollowUp, insertFollowUp, type FollowUpRow, type NewFollowUp } from './followups.repository'
import { rulesForClient, type ClientRulesDone } from './rules/evaluate'

/** What followups.create writes once its checks have passed (all decided on the event loop). */
export interface FollowUpWrite {
  entry: NewFollowUp
  /** the client's columns the entry changes (updated_at included) */
  cols: Updateable<ClientsTable>
  /** the next action's task, when one was set: its event key names the entry */
  task: { staffId: number; title: HostText; detail: string; dueAt: string } | null
  /** who wrote it, for the client's history */
  by: number | null
  /** the time of the history snapshot and of the rules' pass */
  at: string
}

/** What it did: the entry as stored, and what the rules left for the caller (audit rows, notices). */
export interface FollowUpWritten extends ClientRulesDone {
  row: FollowUpRow
}

/**
 * The statements of a follow-up in one go: the entry, the client's columns, the next task, the
 * derived columns and search terms, the history snapshot, the rules for the client, the entry
 * read back. The same repository calls as before, in the writer's thread (one message instead of
 * about 40, each a turn of the event loop while the write held the writer).
 */
export async function writeFollowUp(db: Parameters<typeof insertFollowUp>[0], w: FollowUpWrite): Promise<FollowUpWritten> {
  const clientId = w.entry.clientId
  const id = await insertFollowUp(db, w.entry)
  await updateClient(db, clientId, w.cols)
  if (w.task) await insertTask(db, { staffId: w.task.staffId, clientId, rule: 'next', title: w.task.title, detail: w.task.detail, dueAt: w.task.dueAt, eventKey: `next:${id}`, at: w.entry.at })
  await snapshotFresh(db, clientId, await refreshDerived(db, clientId), w.by, w.at)
  const done = await rulesForClient(db, clientId, w.at)
  return { ...done, row: await findFollowUp(db, id) }
}

/** writeFollowUp whole in the writer's thread (see WriterProcedure). */
export const followUpWriteProcedure: WriterProcedure<FollowUpWrite, FollowUpWritten> = {
  name: 'followups.write',
  writes: true,
  run: (ctx, w) => writeFollowUp(ctx.db, w),
}
