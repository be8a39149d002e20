import type { z } from 'zod'
import type { Kysely } from 'kysely'
import type { subscriptionContract } from '@shared/contract/subscription'
import { amountDue, isVilla } from '@shared/domain/subscription-agreement'
import { ApiFailure } from '../../api/api-failure'
import type { HandlerContext } from '../../api/handler'
import { requireSession } from '../../api/require-session'
import type { DB } from '../../db/schema'
import { mustHaveFullAccess } from '../clients/client-guards'
import { mustFindClient } from '../clients/client-lookup'
import { unitLabel } from '../units/unit-shape'
import type { EventRecord } from './subscription.repository'

type Agreement = z.infer<(typeof subscriptionContract)['subscription.agreement']['output']>

/** A picked card's line with its unit, the priced 认购 and the project. */
async function pickOf(db: Kysely<DB>, eventId: number, cardNo: number) {
  return db
    .selectFrom('subscription_queue as q')
    .innerJoin('subscription_events as e', 'e.id', 'q.event_id')
    .innerJoin('projects as p', 'p.id', 'e.project_id')
    .innerJoin('vip_cards as v', 'v.id', 'q.card_id')
    .innerJoin('units as u', 'u.id', 'q.unit_id')
    .innerJoin('buildings as b', 'b.id', 'u.building_id')
    .innerJoin('unit_transactions as t', 't.id', 'q.tx_id')
    .select(['p.name as project_name', 'v.card_no', 'v.receipt_no', 'v.deposit', 'v.client_id', 'b.name as building', 'u.number', 'u.layout', 'u.area', 'u.tags', 'u.list_price', 't.priced_list_price', 't.member_level', 't.member_discount', 't.price', 't.created_by', 'q.decided_at'])
    .where('q.event_id', '=', eventId)
    .where('v.card_no', '=', cardNo)
    .where('q.state', '=', 'picked')
    .executeTakeFirst()
}

/**
 * The 认购书 of a pick; NOT_FOUND on cardNo when the card has not picked. For whoever made the pick
 * at the desk (its 认购 is theirs: they print it for the buyer in front of them) and whoever works
 * the holder in full; any other agent is refused.
 */
export async function agreementOf(ctx: HandlerContext, e: EventRecord, cardNo: number): Promise<Agreement> {
  const r = await pickOf(ctx.db, e.id, cardNo)
  // a rehearsal's card has no client and its pick no 认购 transaction: nothing to print
  if (!r || r.client_id === null) throw new ApiFailure('NOT_FOUND', `card ${cardNo} has no pick in this event`, 'cardNo', 'no_pick')
  const client = await mustFindClient(ctx.db, r.client_id, 'cardNo')
  const s = requireSession(ctx)
  if (r.created_by !== s.staffId) mustHaveFullAccess(s, client, 'cardNo')
  return {
    eventName: e.name,
    projectName: r.project_name,
    cardNo: r.card_no,
    receiptNo: r.receipt_no,
    buyer: client.name,
    unitLabel: unitLabel(r.building, r.number),
    layout: r.layout,
    area: r.area,
    listPrice: r.priced_list_price ?? r.list_price,
    memberLevel: r.member_level,
    memberDiscount: r.member_discount,
    dealPrice: r.price,
    deposit: r.deposit,
    due: amountDue(r.price, r.deposit),
    pickedAt: r.decided_at!,
    villa: isVilla(JSON.parse(r.tags) as string[], r.layout),
  }
}
