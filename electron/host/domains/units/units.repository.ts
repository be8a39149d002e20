import { sql, type Insertable, type Kysely, type Selectable } from 'kysely'
import type { HostText } from '@shared/contract/host-text'
import type { MemberPricing } from '@shared/domain/member-price'
import type { DB, UnitsTable, UnitTransactionsTable } from '../../db/schema'
import { textJson } from '../../db/stored-text'

/**
 * `live = 1` as a literal, never a bound value: the one-live-transaction index is partial
 * (WHERE live = 1) and SQLite uses a partial index only where the query says so in constants.
 */
const LIVE = sql.lit(1)

/** A unit with its live transaction (the status source), its buyer's owner (who sees the deal) and money paid. */
export interface UnitRecord {
  id: number
  building_id: number
  project_id: number
  floor: number
  number: string
  layout: string | null
  area: number
  orientation: string | null
  list_price: number
  tags: string
  version: number
  tx_id: number | null
  tx_status: string | null
  tx_client_id: number | null
  tx_agent_id: number | null
  client_name: string | null
  client_owner_id: number | null
  client_owner_team: string | null
  agent_name: string | null
  tx_price: number | null
  tx_expires_at: string | null
  tx_updated_at: string | null
  tx_reason: string | null
  tx_priced_list_price: number | null
  tx_member_level: string | null
  tx_member_discount_permille: number | null
  tx_member_discount: number | null
  paid: number | null
}

/** Units with their live transaction and money paid, for a project or some units, in board order. */
export async function unitRecords(db: Kysely<DB>, where: { projectId?: number; unitIds?: readonly number[] }): Promise<UnitRecord[]> {
  let q = db
    .selectFrom('units as u')
    .innerJoin('buildings as b', 'b.id', 'u.building_id')
    .leftJoin('unit_transactions as t', (j) => j.onRef('t.unit_id', '=', 'u.id').on('t.live', '=', LIVE))
    .leftJoin('clients as c', 'c.id', 't.client_id')
    .leftJoin('staff as o', 'o.id', 'c.owner_id')
    .leftJoin('staff as a', 'a.id', 't.agent_id')
    .select((eb) => [
      'u.id',
      'u.building_id',
      'b.project_id',
      'u.floor',
      'u.number',
      'u.layout',
      'u.area',
      'u.orientation',
      'u.list_price',
      'u.tags',
      'u.version',
      't.id as tx_id',
      't.status as tx_status',
      't.client_id as tx_client_id',
      't.agent_id as tx_agent_id',
      'c.name as client_name',
      'c.owner_id as client_owner_id',
      'o.team as client_owner_team',
      'a.name as agent_name',
      't.price as tx_price',
      't.expires_at as tx_expires_at',
      't.updated_at as tx_updated_at',
      't.reason as tx_reason',
      't.priced_list_price as tx_priced_list_price',
      't.member_level as tx_member_level',
      't.member_discount_permille as tx_member_discount_permille',
      't.member_discount as tx_member_discount',
      eb.selectFrom('payments as p').select((x) => x.fn.sum<number>('p.amount').as('s')).whereRef('p.tx_id', '=', 't.id').as('paid'),
    ])
  q = where.projectId !== undefined ? q.where('b.project_id', '=', where.projectId) : q.where('u.id', 'in', where.unitIds?.length ? where.unitIds : [0])
  const rows = await q.orderBy('b.id').orderBy('u.floor', 'desc').orderBy('u.number').execute()
  return rows.map((r) => ({ ...r, paid: r.paid === null ? null : Number(r.paid) }))
}

/** Closes live holds and 小订 whose time ran out; returns the units that became available, with their project. */
export async function expireHolds(db: Kysely<DB>, nowIso: string): Promise<Array<{ unit_id: number; project_id: number }>> {
  return db
    .updateTable('unit_transactions')
    .set({ live: 0, closed_reason: 'expired', closed_at: nowIso, updated_at: nowIso })
    .where('live', '=', LIVE)
    .where('expires_at', 'is not', null)
    .where('expires_at', '<=', nowIso)
    .returning((eb) => [
      'unit_id',
      eb
        .selectFrom('units as u')
        .innerJoin('buildings as b', 'b.id', 'u.building_id')
        .select('b.project_id')
        .whereRef('u.id', '=', 'unit_transactions.unit_id')
        .$asScalar()
        .$notNull()
        .as('project_id'),
    ])
    .execute()
}

export async function projectOfUnit(db: Kysely<DB>, unitId: number): Promise<number | undefined> {
  const r = await db.selectFrom('units as u').innerJoin('buildings as b', 'b.id', 'u.building_id').select('b.project_id').where('u.id', '=', unitId).executeTakeFirst()
  return r?.project_id
}

export async function findUnit(db: Kysely<DB>, unitId: number): Promise<Selectable<UnitsTable> | undefined> {
  return db.selectFrom('units').selectAll().where('id', '=', unitId).executeTakeFirst()
}

/** The unit's live transaction (after closing an expired hold), with its buyer's owner and the agent's name; or undefined: for writes. */
export async function liveTx(db: Kysely<DB>, unitId: number, nowIso: string) {
  await db
    .updateTable('unit_transactions')
    .set({ live: 0, closed_reason: 'expired', closed_at: nowIso, updated_at: nowIso })
    .where('unit_id', '=', unitId)
    .where('live', '=', LIVE)
    .where('expires_at', '<=', nowIso)
    .execute()
  return liveTxQuery(db, unitId).executeTakeFirst()
}

/**
 * The unit's live transaction as a read sees it, or undefined: a hold whose time ran out counts as
 * over without being closed here (reads run on a query-only connection; the next write or the scheduler closes it).
 */
export async function liveTxForRead(db: Kysely<DB>, unitId: number, nowIso: string) {
  return liveTxQuery(db, unitId)
    .where((eb) => eb.or([eb('t.expires_at', 'is', null), eb('t.expires_at', '>', nowIso)]))
    .executeTakeFirst()
}

function liveTxQuery(db: Kysely<DB>, unitId: number) {
  return db
    .selectFrom('unit_transactions as t')
    .leftJoin('clients as c', 'c.id', 't.client_id')
    .leftJoin('staff as o', 'o.id', 'c.owner_id')
    .leftJoin('staff as a', 'a.id', 't.agent_id')
    .selectAll('t')
    .select(['c.owner_id as client_owner_id', 'o.team as client_owner_team', 'a.name as agent_name'])
    .where('t.unit_id', '=', unitId)
    .where('t.live', '=', LIVE)
}

/** Opens a transaction on a unit (a hold, 不售, a 小订, a swap's new unit); returns its id. */
export async function insertTx(db: Kysely<DB>, tx: Insertable<UnitTransactionsTable>): Promise<number> {
  return (await db.insertInto('unit_transactions').values(tx).returning('id').executeTakeFirstOrThrow()).id
}

/** What a step changes of a live transaction. */
export interface TxChange {
  status?: string
  clientId?: number
  agentId?: number
  price?: number
  expiresAt?: string | null
}

export async function updateTx(db: Kysely<DB>, txId: number, c: TxChange, at: string): Promise<void> {
  await db
    .updateTable('unit_transactions')
    .set({
      ...(c.status !== undefined ? { status: c.status } : {}),
      ...(c.clientId !== undefined ? { client_id: c.clientId } : {}),
      ...(c.agentId !== undefined ? { agent_id: c.agentId } : {}),
      ...(c.price !== undefined ? { price: c.price } : {}),
      ...(c.expiresAt !== undefined ? { expires_at: c.expiresAt } : {}),
      updated_at: at,
    })
    .where('id', '=', txId)
    .execute()
}

/** Records how a deal was priced for its buyer (the list price, their member level and its discount then): kept, whatever changes later. */
export async function setTxPricing(db: Kysely<DB>, txId: number, p: MemberPricing): Promise<void> {
  await db
    .updateTable('unit_transactions')
    .set({ priced_list_price: p.listPrice, member_level: p.level, member_discount_permille: p.discountPermille, member_discount: p.discount })
    .where('id', '=', txId)
    .execute()
}

/** Ends a live transaction: released, swapped or cancelled. */
export async function closeTx(db: Kysely<DB>, txId: number, reason: 'released' | 'swapped' | 'cancelled', at: string): Promise<void> {
  await db.updateTable('unit_transactions').set({ live: 0, closed_reason: reason, closed_at: at, updated_at: at }).where('id', '=', txId).execute()
}

/** One step in a transaction's history: who did what, when, for how much. */
export async function addStep(db: Kysely<DB>, txId: number, status: string, amount: number | null, note: HostText | null, staffId: number | null, at: string): Promise<void> {
  await db.insertInto('transaction_steps').values({ tx_id: txId, status, amount, note: note === null ? null : textJson(note), staff_id: staffId, at }).execute()
}

/** Units by id with their building's name and project (bulk price changes). */
export async function unitsWithBuilding(db: Kysely<DB>, unitIds: readonly number[]) {
  return db
    .selectFrom('units as u')
    .innerJoin('buildings as b', 'b.id', 'u.building_id')
    .select(['u.id', 'u.number', 'u.list_price', 'u.version', 'b.project_id', 'b.name as building'])
    .where('u.id', 'in', unitIds)
    .execute()
}

/** A new list price; with `version`, only if the unit is still at it. The unit moves to its next version. */
export async function setListPrice(db: Kysely<DB>, unitId: number, listPrice: number, version?: number): Promise<void> {
  let q = db
    .updateTable('units')
    .set((eb) => ({ list_price: listPrice, version: eb('version', '+', 1) }))
    .where('id', '=', unitId)
  if (version !== undefined) q = q.where('version', '=', version)
  await q.execute()
}

/** "1号楼 1201" pairs of a project's units (a unit list import refuses numbers already on file). */
export async function unitNumbersOf(db: Kysely<DB>, projectId: number) {
  return db.selectFrom('units as u').innerJoin('buildings as b', 'b.id', 'u.building_id').select(['b.name', 'u.number']).where('b.project_id', '=', projectId).execute()
}

/** A project's building of this name, made if it is new; returns its id. */
export async function buildingId(db: Kysely<DB>, projectId: number, name: string): Promise<number> {
  const b =
    (await db.selectFrom('buildings').select('id').where('project_id', '=', projectId).where('name', '=', name).executeTakeFirst()) ??
    (await db.insertInto('buildings').values({ project_id: projectId, name }).returning('id').executeTakeFirstOrThrow())
  return b.id
}

/** Stores imported units (500 rows a statement). */
export async function insertUnits(db: Kysely<DB>, units: ReadonlyArray<Insertable<UnitsTable>>): Promise<void> {
  for (let i = 0; i < units.length; i += 500) await db.insertInto('units').values(units.slice(i, i + 500)).execute()
}
