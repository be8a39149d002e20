import { sql, type Kysely } from 'kysely'
import { z } from 'zod'
import { BEHAVIOUR_TAG_RULES, behaviourTagsOf } from '@shared/domain/behaviour-tags'
import { DAY_MS } from '@shared/domain/rules'
import type { DB } from '../../db/schema'
import { inScope, type ClientScope } from './client-scope'

/** The follow-up channels that are a contact with the client (a note is the agent's own). */
const CONTACT_CHANNELS = ['phone', 'wechat', 'sms', 'visit', 'viewing'] as const

/** The part of a stored need the tags read; anything else in it is ignored. */
const NeedSignals = z.object({
  propertyType: z.string().nullish(),
  amenities: z.object({ school: z.boolean().optional(), metro: z.boolean().optional() }).partial().nullish(),
  totalPriceMax: z.number().nullish(),
})

interface Gathered {
  recentEnquiries: number
  lastContactAt: string | null
  preferences: string[]
  budgetMax: number | null
  viewedMaxPrice: number | null
}

const ago = (now: Date, days: number) => new Date(now.getTime() - days * DAY_MS).toISOString()

/**
 * Recomputes the behaviour tags of the clients in scope at `now` and stores those that changed, in
 * the caller's transaction: a fixed number of set-based statements whatever the scope's size (a
 * slice of the book or the one client a change was about). The tags are the host's own reading of
 * the client, so writing them bumps neither the client's version nor its updated_at: an agent's
 * open edit form is not made stale by them. Returns how many clients' tags changed.
 */
export async function writeBehaviourTags(db: Kysely<DB>, now: Date, scope: ClientScope): Promise<number> {
  const R = BEHAVIOUR_TAG_RULES
  const contactSince = ago(now, Math.max(R.enquiries.days, R.recentContact.days))
  const enquirySince = ago(now, R.enquiries.days)
  const recentSince = ago(now, R.recentContact.days)
  const viewedSince = ago(now, Math.max(R.budgetStretch.days, R.withinBudget.days))

  const clients = (
    await sql<{ id: number; behaviour_tags: string }>`
      SELECT c.id, c.behaviour_tags FROM clients c WHERE c.merged_into IS NULL ${inScope(scope, 'c.id')}`.execute(db)
  ).rows
  if (clients.length === 0) return 0
  const signals = new Map<number, Gathered>(clients.map((c) => [c.id, { recentEnquiries: 0, lastContactAt: null, preferences: [], budgetMax: null, viewedMaxPrice: null }]))

  // contacts: follow-ups with the client and front-desk arrivals, in the widest window. No upper
  // bound: a sliced pass evaluates at the time it was queued, and a contact logged since then must
  // not be taken off the tags it has just set.
  const contacts = await sql<{ client_id: number; enquiries: number; last_at: string }>`
    SELECT client_id, SUM(t.at >= ${enquirySince}) AS enquiries, MAX(t.at) AS last_at FROM (
      SELECT f.client_id, f.created_at AS at FROM follow_ups f
        WHERE f.created_at >= ${contactSince} AND f.channel IN (${sql.join([...CONTACT_CHANNELS])}) ${inScope(scope, 'f.client_id')}
      UNION ALL
      SELECT v.client_id, v.at FROM visits v WHERE v.at >= ${contactSince} ${inScope(scope, 'v.client_id')}
    ) t GROUP BY client_id`.execute(db)
  for (const r of contacts.rows) {
    const s = signals.get(r.client_id)
    if (!s) continue
    s.recentEnquiries = Number(r.enquiries)
    s.lastContactAt = r.last_at >= recentSince ? r.last_at : null
  }

  const needs = await sql<{ client_id: number; data: string }>`
    SELECT q.client_id, q.data FROM requirements q WHERE q.active = 1 ${inScope(scope, 'q.client_id')}`.execute(db)
  for (const r of needs.rows) {
    const s = signals.get(r.client_id)
    const parsed = NeedSignals.safeParse(JSON.parse(r.data))
    if (!s || !parsed.success) continue
    const n = parsed.data
    if (n.amenities?.school) s.preferences.push('school')
    if (n.amenities?.metro) s.preferences.push('metro')
    if (n.propertyType && n.propertyType !== 'other') s.preferences.push(n.propertyType)
    if (n.totalPriceMax != null && n.totalPriceMax > 0) s.budgetMax = Math.max(s.budgetMax ?? 0, n.totalPriceMax)
  }

  const viewed = await sql<{ client_id: number; max_price: number }>`
    SELECT v.client_id, MAX(u.list_price) AS max_price FROM viewings v JOIN units u ON u.id = v.unit_id
    WHERE v.unit_id IS NOT NULL AND v.status IN ('booked', 'done') AND v.starts_at >= ${viewedSince} ${inScope(scope, 'v.client_id')}
    GROUP BY v.client_id`.execute(db)
  for (const r of viewed.rows) {
    const s = signals.get(r.client_id)
    if (s) s.viewedMaxPrice = r.max_price
  }

  const changed: Array<{ id: number; t: string }> = []
  for (const c of clients) {
    const gathered = signals.get(c.id)
    if (!gathered) continue
    const tags = JSON.stringify(behaviourTagsOf(gathered))
    if (tags !== c.behaviour_tags) changed.push({ id: c.id, t: tags })
  }
  if (changed.length === 0) return 0
  // one statement for every changed client of the scope
  await sql`
    UPDATE clients SET behaviour_tags = json_extract(j.value, '$.t')
    FROM json_each(${JSON.stringify(changed)}) AS j WHERE clients.id = json_extract(j.value, '$.id')`.execute(db)
  return changed.length
}

/**
 * The clients whose stored tags can lapse with time alone (a window of contacts or viewings): the
 * same text as the WHERE of the partial index clients_lapsing_tags (migration 016), which the
 * planner uses only for a query repeating it. No tag appears with time alone (every contact,
 * viewing or need that sets one is a change, and a change re-reads its client at once).
 */
const LAPSING_TAGS_SQL = `instr(behaviour_tags, '"enquiries:') > 0 OR instr(behaviour_tags, '"recentContact"') > 0
        OR instr(behaviour_tags, '"budgetStretch"') > 0 OR instr(behaviour_tags, '"withinBudget"') > 0`

/** The live clients in scope whose tags can lapse with time (read from the partial index, never the whole book). */
export async function clientsWithLapsingTags(db: Kysely<DB>, scope: ClientScope): Promise<number[]> {
  const rows = await sql<{ id: number }>`
    SELECT id FROM clients INDEXED BY clients_lapsing_tags WHERE (${sql.raw(LAPSING_TAGS_SQL)}) AND merged_into IS NULL ${inScope(scope, 'id')}`.execute(db)
  return rows.rows.map((r) => r.id)
}

/**
 * The once-a-minute pass over the tags: re-reads only the clients in scope whose tags can lapse
 * (近3天咨询2次 three days after the second call), a few hundred in a branch, where reading the
 * whole book's contacts and needs every minute cost seconds at 100,000 clients.
 */
export async function writeLapsingBehaviourTags(db: Kysely<DB>, now: Date, scope: ClientScope): Promise<number> {
  const ids = await clientsWithLapsingTags(db, scope)
  return ids.length === 0 ? 0 : writeBehaviourTags(db, now, { clientIds: ids })
}

