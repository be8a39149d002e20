import { sql, type RawBuilder } from 'kysely'
import { statusTotals } from '@shared/domain/board-totals'
import { mayAdvance, type UnitStatus } from '@shared/domain/unit-status'
import { HOUR_MS } from '@shared/domain/rules'
import { ApiFailure } from '../../api/api-failure'
import { requireSession } from '../../api/require-session'
import type { DomainHandlers, HandlerContext } from '../../api/handler'
import { clientAccess, seesDeal } from '@shared/domain/client-access'
import { mustHaveFullAccess } from '../clients/client-guards'
import { viewerOf } from '../clients/client-shape'
import { mustFindClient } from '../clients/clients.service'
import { getBoardPalette } from '../settings/board-palette.repository'
import { getRules } from '../settings/rules.repository'
import { toUnit, unitRecords } from './board.repository'
import { addStep, heldBy, liveTx, liveTxForRead, mustFindUnit, unitChanged } from './unit-tx'

/** How far below list price an agent may go without a discount approval (per mille). */
export const AGENT_DISCOUNT_LIMIT_PERMILLE = 20

async function palette(ctx: HandlerContext): Promise<Record<UnitStatus, string>> {
  return (await getBoardPalette(ctx.db)).palette
}

async function mustFindProject(ctx: HandlerContext, id: number) {
  const p = await ctx.db.selectFrom('projects').selectAll().where('id', '=', id).executeTakeFirst()
  if (!p) throw new ApiFailure('NOT_FOUND', `no project ${id}`, 'projectId')
  return p
}

async function buildingsOf(ctx: HandlerContext, projectId: number) {
  return (
    await sql<{ id: number; name: string; floors: number; per_floor: number }>`
      SELECT b.id, b.name, count(DISTINCT u.floor) AS floors,
        coalesce((SELECT max(n) FROM (SELECT count(*) AS n FROM units x WHERE x.building_id = b.id GROUP BY x.floor)), 0) AS per_floor
      FROM buildings b LEFT JOIN units u ON u.building_id = b.id
      WHERE b.project_id = ${projectId} GROUP BY b.id ORDER BY b.id`.execute(ctx.db)
  ).rows
}

/** The need fields matching reads (see shared/contract/needs.ts); an empty field rules nothing out. */
interface MatchedNeed {
  areaMin?: number | null
  areaMax?: number | null
  totalPriceMin?: number | null
  totalPriceMax?: number | null
  unitPriceMin?: number | null
  unitPriceMax?: number | null
  bedroomsMin?: number | null
  bedroomsMax?: number | null
  floorMin?: number | null
  floorMax?: number | null
  orientation?: keyof typeof ORIENTATION_WORDS | 'any' | null
  regions?: string[]
}

/** A need's orientation as the word a unit list writes (朝向 "南", "南北"); a unit whose 朝向 contains it fits. */
const ORIENTATION_WORDS = { south: '南', north: '北', east: '东', west: '西', south_north: '南北', east_west: '东西' } as const

function orientationWordSql(col: RawBuilder<unknown>) {
  return sql`CASE ${col} ${sql.join(
    Object.entries(ORIENTATION_WORDS).map(([k, w]) => sql`WHEN ${k} THEN ${w}`),
    sql` `,
  )} ELSE '' END`
}

export const boardHandlers: DomainHandlers<
  | 'projects.create'
  | 'projects.list'
  | 'board.get'
  | 'board.units'
  | 'board.publish'
  | 'board.published'
  | 'units.hold'
  | 'units.withhold'
  | 'units.reserve'
  | 'units.advance'
  | 'units.release'
  | 'payments.record'
  | 'payments.list'
  | 'payments.setSchedule'
  | 'payments.overdue'
  | 'finance.todos'
  | 'matching.unitsForClient'
  | 'matching.clientsForUnit'
> = {
  'projects.create': async ({ name, district }, ctx) => {
    const r = await ctx.db.insertInto('projects').values({ name, district: district ?? null, created_at: ctx.clock.now().toISOString() }).returning('id').executeTakeFirstOrThrow()
    ctx.auditTarget(`project:${r.id}`)
    return { id: r.id }
  },

  'projects.list': async (_input, ctx) => {
    const rows = await sql<{ id: number; name: string; district: string | null; units: number; published_at: string | null }>`
      SELECT p.id, p.name, p.district,
        (SELECT count(*) FROM units u JOIN buildings b ON b.id = u.building_id WHERE b.project_id = p.id) AS units,
        (SELECT max(published_at) FROM board_publications bp WHERE bp.project_id = p.id) AS published_at
      FROM projects p ORDER BY p.id`.execute(ctx.db)
    return { projects: rows.rows.map((r) => ({ id: r.id, name: r.name, district: r.district, units: r.units, publishedAt: r.published_at })) }
  },

  'board.get': async ({ projectId }, ctx) => {
    const p = await mustFindProject(ctx, projectId)
    const nowIso = ctx.clock.now().toISOString()
    const units = (await unitRecords(ctx.db, { projectId })).map((r) => toUnit(r, nowIso, ctx.session))
    const buildings = await buildingsOf(ctx, projectId)
    return {
      project: { id: p.id, name: p.name, district: p.district },
      buildings: buildings.map((b) => ({ id: b.id, name: b.name, floors: b.floors, unitsPerFloor: b.per_floor })),
      units,
      totals: statusTotals(units),
      palette: await palette(ctx),
      generatedAt: nowIso,
    }
  },

  'board.units': async ({ projectId, unitIds }, ctx) => {
    await mustFindProject(ctx, projectId)
    const nowIso = ctx.clock.now().toISOString()
    const records = await unitRecords(ctx.db, { unitIds: [...new Set(unitIds)] })
    // units of other projects are left out, not refused: a push may race a unit's move
    return { units: records.filter((r) => r.project_id === projectId).map((r) => toUnit(r, nowIso, ctx.session)), generatedAt: nowIso }
  },

  'board.publish': async ({ projectId }, ctx) => {
    const s = requireSession(ctx)
    const p = await mustFindProject(ctx, projectId)
    const nowIso = ctx.clock.now().toISOString()
    // the lobby screen is public: the snapshot keeps statuses, never clients
    const units = (await unitRecords(ctx.db, { projectId })).map((r) => toUnit(r, nowIso, null))
    const snapshot = {
      project: { id: p.id, name: p.name },
      units: units.map((u) => ({ id: u.id, buildingId: u.buildingId, floor: u.floor, number: u.number, layout: u.layout, area: u.area, listPrice: u.listPrice, status: u.status })),
      buildings: (await buildingsOf(ctx, projectId)).map((b) => ({ id: b.id, name: b.name })),
      totals: statusTotals(units),
      palette: await palette(ctx),
    }
    await ctx.db.insertInto('board_publications').values({ project_id: projectId, snapshot: JSON.stringify(snapshot), published_by: s.staffId, published_at: nowIso }).execute()
    ctx.auditTarget(`project:${projectId}`)
    return { publishedAt: nowIso }
  },

  'board.published': async ({ projectId }, ctx) => {
    const p = await mustFindProject(ctx, projectId)
    const last = await ctx.db
      .selectFrom('board_publications as bp')
      .innerJoin('staff as s', 's.id', 'bp.published_by')
      .select(['bp.snapshot', 'bp.published_at', 's.name'])
      .where('bp.project_id', '=', projectId)
      .orderBy('bp.id', 'desc')
      .limit(1)
      .executeTakeFirst()
    if (!last) return { project: { id: p.id, name: p.name }, publishedAt: null, publishedBy: null, units: [], buildings: [], totals: [], palette: await palette(ctx) }
    return { ...(JSON.parse(last.snapshot) as object), publishedAt: last.published_at, publishedBy: last.name } as never
  },

  'units.hold': async ({ unitId, reason, hours }, ctx) => {
    const s = requireSession(ctx)
    await mustFindUnit(ctx.db, unitId)
    const now = ctx.clock.now()
    const tx = await liveTx(ctx.db, unitId, now.toISOString())
    if (tx) throw heldBy(tx)
    const r = await ctx.db
      .insertInto('unit_transactions')
      .values({ unit_id: unitId, status: 'hold', reason, expires_at: hours ? new Date(now.getTime() + hours * HOUR_MS).toISOString() : null, created_by: s.staffId, created_at: now.toISOString(), updated_at: now.toISOString() })
      .returning('id')
      .executeTakeFirstOrThrow()
    await addStep(ctx.db, r.id, 'hold', null, reason, s.staffId, now.toISOString())
    ctx.auditTarget(`unit:${unitId}`)
    return unitChanged(ctx, [unitId])
  },

  'units.withhold': async ({ unitId, reason }, ctx) => {
    const s = requireSession(ctx)
    await mustFindUnit(ctx.db, unitId)
    const at = ctx.clock.now().toISOString()
    const tx = await liveTx(ctx.db, unitId, at)
    if (tx) throw heldBy(tx)
    const r = await ctx.db.insertInto('unit_transactions').values({ unit_id: unitId, status: 'withheld', reason, created_by: s.staffId, created_at: at, updated_at: at }).returning('id').executeTakeFirstOrThrow()
    await addStep(ctx.db, r.id, 'withheld', null, reason, s.staffId, at)
    ctx.auditTarget(`unit:${unitId}`)
    return unitChanged(ctx, [unitId])
  },

  'units.reserve': async ({ unitId, clientId, deposit, receiptNo, method }, ctx) => {
    const s = requireSession(ctx)
    const unit = await mustFindUnit(ctx.db, unitId)
    const client = await mustFindClient(ctx.db, clientId, 'clientId')
    // a reservation is made for a client the caller works in full: their own, a senior's team's, any for managers
    mustHaveFullAccess(s, client, 'clientId')
    if (client.blacklisted === 1) throw new ApiFailure('CONFLICT', `blacklisted client: ${client.blacklist_reason}`, 'clientId', 'blacklisted')
    const now = ctx.clock.now()
    const at = now.toISOString()
    const rules = await getRules(ctx.db)
    const expires = new Date(now.getTime() + rules.smallDepositHoldHours * HOUR_MS).toISOString()
    // transactions run one at a time on the host: this check and the insert cannot interleave
    const tx = await liveTx(ctx.db, unitId, at)
    let txId: number
    if (tx && tx.status === 'hold' && s.role === 'manager') {
      await ctx.db.updateTable('unit_transactions').set({ status: 'small_deposit', client_id: clientId, agent_id: s.staffId, price: unit.list_price, expires_at: expires, updated_at: at }).where('id', '=', tx.id).execute()
      txId = tx.id
    } else if (tx) {
      throw heldBy(tx)
    } else {
      const r = await ctx.db
        .insertInto('unit_transactions')
        .values({ unit_id: unitId, client_id: clientId, agent_id: s.staffId, status: 'small_deposit', price: unit.list_price, expires_at: expires, created_by: s.staffId, created_at: at, updated_at: at })
        .returning('id')
        .executeTakeFirstOrThrow()
      txId = r.id
    }
    await ctx.db.insertInto('payments').values({ tx_id: txId, receipt_no: receiptNo, method, amount: deposit, paid_at: at, staff_id: s.staffId }).execute()
    await addStep(ctx.db, txId, 'small_deposit', deposit, `收据 ${receiptNo}`, s.staffId, at)
    ctx.auditTarget(`unit:${unitId}`)
    return unitChanged(ctx, [unitId])
  },

  'units.advance': async ({ unitId, to, price }, ctx) => {
    const s = requireSession(ctx)
    const unit = await mustFindUnit(ctx.db, unitId)
    const at = ctx.clock.now().toISOString()
    const tx = await liveTx(ctx.db, unitId, at)
    if (!tx || tx.client_id === null) throw new ApiFailure('CONFLICT', 'this unit has no deal to move forward (expired or released?)', 'unitId', 'no_deal')
    if (s.role !== 'manager' && tx.agent_id !== s.staffId) throw new ApiFailure('FORBIDDEN', `this deal belongs to ${tx.agent_name}`, 'unitId')
    // and the deal's agent still works the buyer (not after the client was handed to a colleague)
    mustHaveFullAccess(s, await mustFindClient(ctx.db, tx.client_id, 'unitId'), 'unitId')
    if (!mayAdvance(tx.status as UnitStatus, to)) throw new ApiFailure('CONFLICT', `cannot go from ${tx.status} to ${to}`, 'to', 'bad_step', { from: tx.status })
    let agreed = tx.price
    if (price !== undefined) {
      const floor = Math.ceil((unit.list_price * (1000 - AGENT_DISCOUNT_LIMIT_PERMILLE)) / 1000)
      if (price < floor && s.role !== 'manager') {
        throw new ApiFailure('VALIDATION', 'a discount this large needs a manager’s approval (discount request)', 'price', 'discount_needs_approval', { floor })
      }
      const paid = await ctx.db.selectFrom('payments').select((eb) => eb.fn.coalesce(eb.fn.sum<number>('amount'), eb.lit(0)).as('p')).where('tx_id', '=', tx.id).executeTakeFirstOrThrow()
      if (price < Number(paid.p)) throw new ApiFailure('VALIDATION', 'the price is below what was already paid', 'price', 'below_paid')
      agreed = price
    }
    await ctx.db.updateTable('unit_transactions').set({ status: to, price: agreed, expires_at: null, updated_at: at }).where('id', '=', tx.id).execute()
    await addStep(ctx.db, tx.id, to, agreed, null, s.staffId, at)
    if (to === 'sign' || to === 'sold') {
      await ctx.db.updateTable('clients').set({ stage: 'closed', stage_changed_at: at, last_activity_at: at, updated_at: at }).where('id', '=', tx.client_id).where('stage', '!=', 'closed').execute()
    }
    ctx.auditTarget(`unit:${unitId}`)
    return unitChanged(ctx, [unitId])
  },

  'units.release': async ({ unitId, reason }, ctx) => {
    const s = requireSession(ctx)
    const at = ctx.clock.now().toISOString()
    const tx = await liveTx(ctx.db, unitId, at)
    if (!tx) throw new ApiFailure('CONFLICT', 'the unit is already available', 'unitId', 'unit_available')
    if (!['hold', 'small_deposit', 'withheld'].includes(tx.status)) {
      throw new ApiFailure('CONFLICT', 'a deal beyond 小订 is cancelled through a 退房 request', 'unitId', 'needs_cancel_request')
    }
    await ctx.db.updateTable('unit_transactions').set({ live: 0, closed_reason: 'released', closed_at: at, updated_at: at }).where('id', '=', tx.id).execute()
    await addStep(ctx.db, tx.id, 'released', null, reason, s.staffId, at)
    const paid = await ctx.db.selectFrom('payments').select((eb) => eb.fn.coalesce(eb.fn.sum<number>('amount'), eb.lit(0)).as('p')).where('tx_id', '=', tx.id).executeTakeFirstOrThrow()
    if (Number(paid.p) > 0) {
      await ctx.db.insertInto('finance_todos').values({ kind: 'refund', tx_id: tx.id, change_id: null, amount: Number(paid.p), note: `释放房源退还定金：${reason}`, created_at: at }).execute()
    }
    ctx.auditTarget(`unit:${unitId}`)
    return unitChanged(ctx, [unitId])
  },

  /**
   * 收款 at the counter: the front desk is the cashier and serves every client, so taking money needs
   * the unit's live deal, not access to its buyer. It can only lower the balance (never past it),
   * each receipt number once, and is audited; the buyer, price and schedule stay as they are.
   */
  'payments.record': async ({ unitId, receiptNo, method, amount }, ctx) => {
    const s = requireSession(ctx)
    const at = ctx.clock.now().toISOString()
    const tx = await liveTx(ctx.db, unitId, at)
    if (!tx || tx.client_id === null) throw new ApiFailure('CONFLICT', 'no live deal on this unit', 'unitId', 'no_deal')
    const paid = await ctx.db.selectFrom('payments').select((eb) => eb.fn.coalesce(eb.fn.sum<number>('amount'), eb.lit(0)).as('p')).where('tx_id', '=', tx.id).executeTakeFirstOrThrow()
    const balance = tx.price - Number(paid.p)
    if (amount > balance) throw new ApiFailure('VALIDATION', `more than the balance of ${balance} fen`, 'amount', 'over_balance', { balance })
    const dup = await ctx.db.selectFrom('payments').select('id').where('receipt_no', '=', receiptNo).executeTakeFirst()
    if (dup) throw new ApiFailure('CONFLICT', 'this receipt number is already used', 'receiptNo', 'receipt_used')
    const r = await ctx.db.insertInto('payments').values({ tx_id: tx.id, receipt_no: receiptNo, method, amount, paid_at: at, staff_id: s.staffId }).returning('id').executeTakeFirstOrThrow()
    await addStep(ctx.db, tx.id, 'payment', amount, `收据 ${receiptNo}`, s.staffId, at)
    ctx.auditTarget(`unit:${unitId}`)
    await unitChanged(ctx, [unitId])
    return { id: r.id, txId: tx.id, receiptNo, method, amount, paidAt: at, by: s.name }
  },

  'payments.list': async ({ unitId }, ctx) => {
    const s = requireSession(ctx)
    const tx = await liveTxForRead(ctx.db, unitId, ctx.clock.now().toISOString())
    if (!tx) return { payments: [], schedule: [], balance: 0 }
    if (tx.client_id !== null && !seesDeal(viewerOf(s), { agentId: tx.agent_id, ownerId: tx.client_owner_id, ownerTeam: tx.client_owner_team })) {
      throw new ApiFailure('FORBIDDEN', 'you may not see the payments of this deal', 'unitId', 'no_client_access')
    }
    const payments = await ctx.db.selectFrom('payments as p').leftJoin('staff as s', 's.id', 'p.staff_id').selectAll('p').select('s.name').where('p.tx_id', '=', tx.id).orderBy('p.id').execute()
    const schedule = await ctx.db.selectFrom('payment_schedule').selectAll().where('tx_id', '=', tx.id).orderBy('due_date').execute()
    const paid = payments.reduce((a, p) => a + p.amount, 0)
    let due = 0
    return {
      payments: payments.map((p) => ({ id: p.id, txId: p.tx_id, receiptNo: p.receipt_no, method: p.method as 'cash', amount: p.amount, paidAt: p.paid_at, by: p.name ?? '' })),
      schedule: schedule.map((i) => {
        due += i.amount
        return { id: i.id, dueDate: i.due_date, amount: i.amount, label: i.label, paidByThen: paid >= due }
      }),
      balance: tx.price - paid,
    }
  },

  'payments.setSchedule': async ({ unitId, items }, ctx) => {
    const s = requireSession(ctx)
    const at = ctx.clock.now().toISOString()
    const tx = await liveTx(ctx.db, unitId, at)
    if (!tx || tx.client_id === null) throw new ApiFailure('CONFLICT', 'no live deal on this unit', 'unitId', 'no_deal')
    mustHaveFullAccess(s, await mustFindClient(ctx.db, tx.client_id, 'unitId'), 'unitId')
    const sum = items.reduce((a, i) => a + i.amount, 0)
    if (sum !== tx.price) throw new ApiFailure('VALIDATION', `the schedule adds up to ${sum}, the price is ${tx.price}`, 'items', 'schedule_total', { price: tx.price, total: sum })
    await ctx.db.deleteFrom('payment_schedule').where('tx_id', '=', tx.id).execute()
    await ctx.db.insertInto('payment_schedule').values(items.map((i) => ({ tx_id: tx.id, due_date: i.dueDate, amount: i.amount, label: i.label }))).execute()
    ctx.auditTarget(`unit:${unitId}`)
    return { ok: true as const }
  },

  'payments.overdue': async ({ projectId }, ctx) => {
    const today = new Date(ctx.clock.now().getTime() + 8 * HOUR_MS).toISOString().slice(0, 10)
    const rows = await sql<{ unit_id: number; unit: string; client_name: string | null; due_date: string; label: string; owed: number }>`
      SELECT t.unit_id, b.name || '-' || u.number AS unit, c.name AS client_name, s.due_date, s.label,
        (SELECT sum(x.amount) FROM payment_schedule x WHERE x.tx_id = t.id AND x.due_date <= s.due_date)
          - coalesce((SELECT sum(p.amount) FROM payments p WHERE p.tx_id = t.id), 0) AS owed
      FROM payment_schedule s
      JOIN unit_transactions t ON t.id = s.tx_id AND t.live = 1
      JOIN units u ON u.id = t.unit_id JOIN buildings b ON b.id = u.building_id
      LEFT JOIN clients c ON c.id = t.client_id
      WHERE s.due_date < ${today} ${projectId === undefined ? sql`` : sql`AND b.project_id = ${projectId}`}
        AND s.due_date = (SELECT max(y.due_date) FROM payment_schedule y WHERE y.tx_id = t.id AND y.due_date < ${today})
      ORDER BY s.due_date`.execute(ctx.db)
    return { notices: rows.rows.filter((r) => r.owed > 0).map((r) => ({ unitId: r.unit_id, unit: r.unit, clientName: r.client_name, dueDate: r.due_date, label: r.label, owed: r.owed })) }
  },

  'finance.todos': async ({ status }, ctx) => {
    const rows = await sql<{ id: number; kind: string; unit: string | null; amount: number; note: string; created_at: string }>`
      SELECT f.id, f.kind, b.name || '-' || u.number AS unit, f.amount, f.note, f.created_at
      FROM finance_todos f
      LEFT JOIN unit_transactions t ON t.id = f.tx_id LEFT JOIN units u ON u.id = t.unit_id LEFT JOIN buildings b ON b.id = u.building_id
      WHERE f.status = ${status} ORDER BY f.id DESC LIMIT 500`.execute(ctx.db)
    return { todos: rows.rows.map((r) => ({ id: r.id, kind: r.kind, unit: r.unit ?? '', amount: r.amount, note: r.note, createdAt: r.created_at })) }
  },

  'matching.unitsForClient': async ({ clientId, limit }, ctx) => {
    const s = requireSession(ctx)
    const c = await mustFindClient(ctx.db, clientId, 'clientId')
    // a client's needs are part of the full profile: the owner, the senior of the team, managers
    if (clientAccess(viewerOf(s), { ownerId: c.owner_id, ownerTeam: c.owner_team }) !== 'full') {
      throw new ApiFailure('FORBIDDEN', 'you may not read this client’s needs', 'clientId')
    }
    const needs = await ctx.db.selectFrom('requirements').select('data').where('client_id', '=', clientId).where('active', '=', 1).execute()
    if (needs.length === 0) return { units: [], activeNeeds: 0 }
    const nowIso = ctx.clock.now().toISOString()
    const seen = new Map<number, Awaited<ReturnType<typeof unitRecords>>[number] & { project_name: string; building_name: string }>()
    for (const n of needs) {
      const d = JSON.parse(n.data) as MatchedNeed
      const rows = await sql<{ id: number; project_name: string; building_name: string }>`
        SELECT u.id, p.name AS project_name, b.name AS building_name
        FROM units u JOIN buildings b ON b.id = u.building_id JOIN projects p ON p.id = b.project_id
        WHERE NOT EXISTS (SELECT 1 FROM unit_transactions t WHERE t.unit_id = u.id AND t.live = 1 AND (t.expires_at IS NULL OR t.expires_at > ${nowIso}))
          AND u.area >= ${d.areaMin ?? 0} AND u.area <= ${d.areaMax ?? 1e12}
          AND u.list_price >= ${d.totalPriceMin ?? 0} AND u.list_price <= ${d.totalPriceMax ?? 1e15}
          -- a layout that names no bedrooms does not rule a unit out (as in clientsForUnit)
          AND coalesce(u.bedrooms, 99) >= ${d.bedroomsMin ?? 0} AND coalesce(u.bedrooms, 0) <= ${d.bedroomsMax ?? 99}
          AND u.floor >= ${d.floorMin ?? -99} AND u.floor <= ${d.floorMax ?? 999}
          AND u.list_price * 100 / u.area >= ${d.unitPriceMin ?? 0} AND u.list_price * 100 / u.area <= ${d.unitPriceMax ?? 1e15}
          ${d.orientation && d.orientation !== 'any' ? sql`AND (u.orientation IS NULL OR instr(u.orientation, ${ORIENTATION_WORDS[d.orientation]}) > 0)` : sql``}
          ${d.regions?.length ? sql`AND (p.district IS NULL OR p.district IN (${sql.join(d.regions)}))` : sql``}
        ORDER BY u.list_price LIMIT ${limit}`.execute(ctx.db)
      const recs = await unitRecords(ctx.db, { unitIds: rows.rows.map((r) => r.id) })
      for (const r of recs) {
        const extra = rows.rows.find((x) => x.id === r.id)!
        seen.set(r.id, { ...r, project_name: extra.project_name, building_name: extra.building_name })
      }
    }
    return {
      // cheapest first, as each need's query picked them (unitRecords returns them in board order)
      units: [...seen.values()].sort((x, y) => x.list_price - y.list_price || x.id - y.id).slice(0, limit).map((r) => ({ ...toUnit(r, nowIso, ctx.session), projectId: r.project_id, projectName: r.project_name, buildingName: r.building_name })),
      activeNeeds: needs.length,
    }
  },

  'matching.clientsForUnit': async ({ unitId, limit }, ctx) => {
    const viewer = viewerOf(requireSession(ctx))
    const u = await mustFindUnit(ctx.db, unitId)
    // only clients the viewer may see in full: an agent's own, a senior's team's, everyone's for managers
    const mine =
      viewer.role === 'manager' || viewer.role === 'admin'
        ? sql``
        : viewer.role === 'senior_agent' && viewer.team !== null
          ? sql`AND (c.owner_id = ${viewer.staffId} OR s.team = ${viewer.team})`
          : sql`AND c.owner_id = ${viewer.staffId}`
    const district = await ctx.db.selectFrom('buildings as b').innerJoin('projects as p', 'p.id', 'b.project_id').select('p.district').where('b.id', '=', u.building_id).executeTakeFirst()
    const rows = await sql<{ id: number; code: string; name: string; owner: string | null; tier: string }>`
      SELECT DISTINCT c.id, c.code, c.name, s.name AS owner, c.tier
      FROM requirements r JOIN clients c ON c.id = r.client_id LEFT JOIN staff s ON s.id = c.owner_id
      WHERE r.active = 1 AND c.merged_into IS NULL AND c.stage NOT IN ('closed', 'lost') AND c.blacklisted = 0 ${mine}
        AND coalesce(json_extract(r.data, '$.areaMin'), 0) <= ${u.area}
        AND coalesce(json_extract(r.data, '$.areaMax'), 1e12) >= ${u.area}
        AND coalesce(json_extract(r.data, '$.totalPriceMin'), 0) <= ${u.list_price}
        AND coalesce(json_extract(r.data, '$.totalPriceMax'), 1e15) >= ${u.list_price}
        AND coalesce(json_extract(r.data, '$.bedroomsMin'), 0) <= ${u.bedrooms ?? 99}
        AND coalesce(json_extract(r.data, '$.bedroomsMax'), 99) >= ${u.bedrooms ?? 0}
        AND coalesce(json_extract(r.data, '$.floorMin'), -99) <= ${u.floor}
        AND coalesce(json_extract(r.data, '$.floorMax'), 999) >= ${u.floor}
        AND coalesce(json_extract(r.data, '$.unitPriceMin'), 0) <= ${Math.floor((u.list_price * 100) / u.area)}
        AND coalesce(json_extract(r.data, '$.unitPriceMax'), 1e15) >= ${Math.floor((u.list_price * 100) / u.area)}
        ${u.orientation ? sql`AND (coalesce(json_extract(r.data, '$.orientation'), 'any') = 'any' OR instr(${u.orientation}, ${orientationWordSql(sql`json_extract(r.data, '$.orientation')`)}) > 0)` : sql``}
        ${district?.district ? sql`AND (json_array_length(r.data, '$.regions') = 0 OR EXISTS (SELECT 1 FROM json_each(r.data, '$.regions') j WHERE j.value = ${district.district}))` : sql``}
      ORDER BY CASE c.tier WHEN 'vip' THEN 0 WHEN 'key' THEN 1 WHEN 'normal' THEN 2 ELSE 3 END, c.id
      LIMIT ${limit}`.execute(ctx.db)
    return { clients: rows.rows }
  },
}

