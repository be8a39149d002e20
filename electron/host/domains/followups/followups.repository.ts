import type { Kysely } from 'kysely'
import type { HostText } from '@shared/contract/host-text'
import type { DB } from '../../db/schema'
import { paramsJson } from '../../db/stored-text'

/** One contact or note in a client's log, as stored. */
export interface NewFollowUp {
  clientId: number
  staffId: number
  channel: string
  content: string
  intention?: string | null
  stageTo?: string | null
  nextAction?: string | null
  nextDueAt?: string | null
  /** the questionnaire answered with it, as JSON */
  answers?: string | null
  /** the system's words about the entry (why a client was marked lost) */
  text?: HostText | null
  at: string
  /** the campaign this contact came from */
  campaignId?: number | undefined
}

/** Adds to a client's log; returns the entry's id. */
export async function insertFollowUp(db: Kysely<DB>, f: NewFollowUp): Promise<number> {
  const row = await db
    .insertInto('follow_ups')
    .values({
      client_id: f.clientId,
      staff_id: f.staffId,
      channel: f.channel,
      content: f.content,
      intention: f.intention ?? null,
      stage_to: f.stageTo ?? null,
      next_action: f.nextAction ?? null,
      next_due_at: f.nextDueAt ?? null,
      answers: f.answers ?? null,
      text_key: f.text?.key ?? null,
      text_params: f.text ? paramsJson(f.text) : null,
      created_at: f.at,
      campaign_id: f.campaignId ?? null,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

/** Follow-ups with the name of who made them. */
function selectFollowUps(db: Kysely<DB>) {
  return db.selectFrom('follow_ups as f').leftJoin('staff as s', 's.id', 'f.staff_id').selectAll('f').select('s.name as staff_name')
}
export type FollowUpRow = Awaited<ReturnType<ReturnType<typeof selectFollowUps>['executeTakeFirstOrThrow']>>

export async function findFollowUp(db: Kysely<DB>, id: number): Promise<FollowUpRow> {
  return selectFollowUps(db).where('f.id', '=', id).executeTakeFirstOrThrow()
}

/** One page of a client's log, newest first, and its length. */
export async function followUpsPage(db: Kysely<DB>, clientId: number, offset: number, limit: number) {
  const [rows, total] = await Promise.all([
    selectFollowUps(db).where('f.client_id', '=', clientId).orderBy('f.created_at', 'desc').orderBy('f.id', 'desc').offset(offset).limit(limit).execute(),
    db.selectFrom('follow_ups as f').where('f.client_id', '=', clientId).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ])
  return { rows, total: total.n }
}
