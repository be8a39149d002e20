import { sql, type Kysely } from 'kysely'
import { CLUB_POINTS } from '@shared/domain/club'
import { hostTextOf, type HostTextKey } from '@shared/domain/host-text-keys'
import type { DB } from '../../db/schema'
import { jsonObject } from '../../db/sqlite-sql'
import { textJson } from '../../db/stored-text'
import { inScope, type ClientScope } from '../clients/client-scope'

/**
 * Club points that follow from the book, for the clients in scope: a member who signed earns the
 * purchase points, and whoever referred a client who signed earns the referral points. Once each
 * (the ledger's `ref` is unique), however often it runs; the rules' runner calls it on every pass.
 */
export async function awardBookPoints(db: Kysely<DB>, at: string, scope: ClientScope): Promise<void> {
  await sql`
    INSERT INTO points_ledger (client_id, delta, kind, reason, ref, at)
    SELECT c.id, ${CLUB_POINTS.purchase}, 'purchase', ${textJson(hostTextOf('points.purchase'))}, 'purchase:' || c.id, ${at}
    FROM clients c
    WHERE c.stage = 'closed' AND c.merged_into IS NULL ${inScope(scope, 'c.id')}
      AND EXISTS (SELECT 1 FROM member_cards m WHERE m.client_id = c.id)
    ON CONFLICT (ref) DO NOTHING`.execute(db)
  await sql`
    INSERT INTO points_ledger (client_id, delta, kind, reason, ref, at)
    SELECT r.referrer_id, ${CLUB_POINTS.referral}, 'referral', ${jsonObject({ key: 'points.referral' satisfies HostTextKey, params: jsonObject({ client: sql.ref('c.name') }) })},
      'referral:' || r.id, ${at}
    FROM referrals r JOIN clients c ON c.id = r.referred_id
    WHERE c.stage = 'closed' AND r.rewarded_at IS NULL ${inScope(scope, 'c.id')}
    ON CONFLICT (ref) DO NOTHING`.execute(db)
  await sql`
    UPDATE referrals SET rewarded_at = ${at}
    WHERE rewarded_at IS NULL AND EXISTS (SELECT 1 FROM points_ledger l WHERE l.ref = 'referral:' || referrals.id)`.execute(db)
}
