import { hostTextOf } from '@shared/domain/host-text-keys'
import { agentFloor, discountPercent, memberPricing, PRICED_AT, type MemberPricing } from '@shared/domain/member-price'
import { HOUR_MS } from '@shared/domain/rules'
import { mayAdvance, type UnitStatus } from '@shared/domain/unit-status'
import { ApiFailure } from '../../api/api-failure'
import type { HandlerContext, HandlersOf } from '../../api/handler'
import { requireSession } from '../../api/require-session'
import { mustHaveFullAccess } from '../clients/client-guards'
import { mustFindClient } from '../clients/client-lookup'
import { markClosed } from '../clients/clients.repository'
import { memberStandingOf } from '../club/club.repository'
import { insertFinanceTodo } from '../finance/finance.repository'
import { insertPayment, paidOn } from '../payments/payments.repository'
import { findProject } from '../projects/projects.repository'
import { getRules } from '../settings/rules.repository'
import { bedroomsOf, parseUnitWorkbook, templateWorkbook } from './unit-import'
import { heldBy, mustFindUnit, unitChanged } from './unit-tx'
import { addStep, buildingId, closeTx, insertTx, insertUnits, liveTx, liveTxForRead, setTxPricing, unitNumbersOf, updateTx } from './units.repository'

/**
 * How the deal is priced for its buyer, if it is: `now` when this step is the first to reach 认购
 * or beyond (the member discount is taken from the buyer's level today and then kept); as it was
 * kept, for a deal priced before; null for a deal not priced (a step before 认购) and for one already
 * past 认购 without kept pricing (from before member discounts were kept, or moved by 换房): its
 * agreed price stands and is not repriced at a later step.
 */
async function pricingOf(
  ctx: HandlerContext,
  tx: { client_id: number | null; status: string; priced_list_price: number | null; member_level: string | null; member_discount_permille: number; member_discount: number },
  listPrice: number,
  to: string,
): Promise<(MemberPricing & { now: boolean }) | null> {
  if (tx.priced_list_price !== null) {
    const kept = { listPrice: tx.priced_list_price, level: tx.member_level, discountPermille: tx.member_discount_permille, discount: tx.member_discount }
    return { ...kept, memberPrice: kept.listPrice - kept.discount, now: false }
  }
  if (!PRICED_AT.includes(to) || PRICED_AT.includes(tx.status) || tx.client_id === null) return null
  return { ...memberPricing(listPrice, await memberStandingOf(ctx.db, tx.client_id)), now: true }
}

/**
 * Refuses anyone but who works the deal on a unit (a manager, or its agent while they still work
 * its buyer in full: not after the client was handed to a colleague); a unit without a deal is a CONFLICT.
 */
async function mustWorkDeal<T extends { client_id: number | null; agent_id: number | null; agent_name: string | null }>(ctx: HandlerContext, tx: T | undefined): Promise<T & { client_id: number }> {
  const s = requireSession(ctx)
  if (!tx || tx.client_id === null) throw new ApiFailure('CONFLICT', 'this unit has no deal to move forward (expired or released?)', 'unitId', 'no_deal')
  if (s.role !== 'manager' && tx.agent_id !== s.staffId) throw new ApiFailure('FORBIDDEN', `this deal belongs to ${tx.agent_name}`, 'unitId')
  mustHaveFullAccess(s, await mustFindClient(ctx.db, tx.client_id, 'unitId'), 'unitId')
  return { ...tx, client_id: tx.client_id }
}

/** A project's units: the unit list import, and each unit's deal from hold or 小订 to 已售 (its status derives from it). */
export const unitsHandlers: HandlersOf<'units'> = {
  // the workbook is read before the transaction (prepare): a sheet of thousands of units takes
  // most of a second to parse, and the database stays free for everyone else meanwhile
  'units.import': {
    prepare: async ({ projectId, fileBase64 }) => {
      const { units, errors } = await parseUnitWorkbook(Buffer.from(fileBase64, 'base64'))
      return async (ctx) => {
        if (!(await findProject(ctx.db, projectId))) throw new ApiFailure('NOT_FOUND', `no project ${projectId}`, 'projectId')
        // numbers already on file count as duplicates too
        const onFile = new Set((await unitNumbersOf(ctx.db, projectId)).map((e) => `${e.name}\u0000${e.number}`))
        for (const u of units) if (onFile.has(`${u.building}\u0000${u.number}`)) errors.push({ row: u.row, field: 'number', message: hostTextOf('import.exists', { building: u.building, number: u.number }) })
        if (errors.length > 0) return { imported: 0, errors: errors.sort((a, b) => a.row - b.row) }
        const buildingIds = new Map<string, number>()
        for (const name of new Set(units.map((u) => u.building))) buildingIds.set(name, await buildingId(ctx.db, projectId, name))
        await insertUnits(
          ctx.db,
          units.map((u) => ({
            building_id: buildingIds.get(u.building)!,
            floor: u.floor,
            number: u.number,
            layout: u.layout,
            area: u.area,
            orientation: u.orientation,
            list_price: u.listPrice,
            tags: JSON.stringify(u.tags),
            bedrooms: bedroomsOf(u.layout),
          })),
        )
        ctx.auditTarget(`project:${projectId}`)
        return { imported: units.length, errors: [] }
      }
    },
  },

  'units.template': async () => ({ fileBase64: (await templateWorkbook()).toString('base64'), fileName: '房源导入模板.xlsx' }),

  'units.hold': async ({ unitId, reason, hours }, ctx) => {
    const s = requireSession(ctx)
    await mustFindUnit(ctx.db, unitId)
    const now = ctx.clock.now()
    const at = now.toISOString()
    const tx = await liveTx(ctx.db, unitId, at)
    if (tx) throw heldBy(tx)
    const txId = await insertTx(ctx.db, { unit_id: unitId, status: 'hold', reason, expires_at: hours ? new Date(now.getTime() + hours * HOUR_MS).toISOString() : null, created_by: s.staffId, created_at: at, updated_at: at })
    await addStep(ctx.db, txId, 'hold', null, hostTextOf('step.typed', { reason }), s.staffId, at)
    ctx.auditTarget(`unit:${unitId}`)
    return unitChanged(ctx, [unitId])
  },

  'units.withhold': async ({ unitId, reason }, ctx) => {
    const s = requireSession(ctx)
    await mustFindUnit(ctx.db, unitId)
    const at = ctx.clock.now().toISOString()
    const tx = await liveTx(ctx.db, unitId, at)
    if (tx) throw heldBy(tx)
    const txId = await insertTx(ctx.db, { unit_id: unitId, status: 'withheld', reason, created_by: s.staffId, created_at: at, updated_at: at })
    await addStep(ctx.db, txId, 'withheld', null, hostTextOf('step.typed', { reason }), s.staffId, at)
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
      await updateTx(ctx.db, tx.id, { status: 'small_deposit', clientId, agentId: s.staffId, price: unit.list_price, expiresAt: expires }, at)
      txId = tx.id
    } else if (tx) {
      throw heldBy(tx)
    } else {
      txId = await insertTx(ctx.db, { unit_id: unitId, client_id: clientId, agent_id: s.staffId, status: 'small_deposit', price: unit.list_price, expires_at: expires, created_by: s.staffId, created_at: at, updated_at: at })
    }
    await insertPayment(ctx.db, { txId, receiptNo, method, amount: deposit, at, staffId: s.staffId })
    await addStep(ctx.db, txId, 'small_deposit', deposit, hostTextOf('step.receipt', { receiptNo }), s.staffId, at)
    ctx.auditTarget(`unit:${unitId}`)
    return unitChanged(ctx, [unitId])
  },

  'units.advance': async ({ unitId, to, price, expectUpdatedAt, expectDiscountPermille }, ctx) => {
    const s = requireSession(ctx)
    const unit = await mustFindUnit(ctx.db, unitId)
    const at = ctx.clock.now().toISOString()
    const tx = await mustWorkDeal(ctx, await liveTx(ctx.db, unitId, at))
    // a deal someone moved, repriced or changed since the caller looked is not overwritten with what they saw
    if (expectUpdatedAt !== undefined && expectUpdatedAt !== tx.updated_at) throw new ApiFailure('CONFLICT', 'the deal changed since you opened it; look again', 'unitId', 'deal_moved')
    if (!mayAdvance(tx.status as UnitStatus, to)) throw new ApiFailure('CONFLICT', `cannot go from ${tx.status} to ${to}`, 'to', 'bad_step', { from: tx.status })
    const pricing = await pricingOf(ctx, tx, unit.list_price, to)
    if (pricing?.now && expectDiscountPermille !== undefined && expectDiscountPermille !== pricing.discountPermille) {
      throw new ApiFailure('CONFLICT', `the buyer's member discount is now ${pricing.discountPermille}‰`, 'price', 'member_discount_changed', {
        level: pricing.level ?? '',
        percent: discountPercent(pricing.discountPermille),
      })
    }
    // the agent's own room is measured from the member price once the deal is priced (see agentFloor)
    const start = pricing?.memberPrice ?? unit.list_price
    // an earlier, lower agreement stands; otherwise the member price
    let agreed = pricing?.now ? Math.min(tx.price, pricing.memberPrice) : tx.price
    if (price !== undefined) {
      if (pricing && pricing.discount > 0 && price > pricing.memberPrice) {
        throw new ApiFailure('VALIDATION', 'a member pays at most the member price', 'price', 'above_member_price', { price: pricing.memberPrice, level: pricing.level ?? '' })
      }
      const floor = agentFloor(start)
      if (price < floor && s.role !== 'manager') {
        throw new ApiFailure('VALIDATION', 'a discount this large needs a manager’s approval (discount request)', 'price', 'discount_needs_approval', { floor })
      }
      if (price < (await paidOn(ctx.db, tx.id))) throw new ApiFailure('VALIDATION', 'the price is below what was already paid', 'price', 'below_paid')
      agreed = price
    }
    await updateTx(ctx.db, tx.id, { status: to, price: agreed, expiresAt: null }, at)
    if (pricing?.now) {
      await setTxPricing(ctx.db, tx.id, pricing)
      if (pricing.discount > 0) {
        const percent = discountPercent(pricing.discountPermille)
        await addStep(ctx.db, tx.id, 'member_discount', pricing.discount, hostTextOf('step.memberDiscount', { level: pricing.level ?? '', percent }), s.staffId, at)
        await ctx.audit('units.memberDiscount', `unit:${unitId}`, {
          txId: tx.id,
          clientId: tx.client_id,
          level: pricing.level,
          discountPermille: pricing.discountPermille,
          listPrice: pricing.listPrice,
          discount: pricing.discount,
          memberPrice: pricing.memberPrice,
          price: agreed,
        })
      }
    }
    await addStep(ctx.db, tx.id, to, agreed, null, s.staffId, at)
    if (to === 'sign' || to === 'sold') await markClosed(ctx.db, tx.client_id, at)
    ctx.auditTarget(`unit:${unitId}`)
    return unitChanged(ctx, [unitId])
  },

  // what the drawer shows before 推进 to 认购: the same rule units.advance applies, read beside writes
  'units.quote': async ({ unitId }, ctx) => {
    const unit = await mustFindUnit(ctx.db, unitId)
    const tx = await mustWorkDeal(ctx, await liveTxForRead(ctx.db, unitId, ctx.clock.now().toISOString()))
    const p = await pricingOf(ctx, tx, unit.list_price, 'subscribe')
    // past 认购 without kept pricing: its agreed price stands, with no member line
    const { now, ...pricing } = p ?? { ...memberPricing(unit.list_price, null), now: false }
    return { ...pricing, priced: !now, updatedAt: tx.updated_at }
  },

  'units.release': async ({ unitId, reason }, ctx) => {
    const s = requireSession(ctx)
    const at = ctx.clock.now().toISOString()
    const tx = await liveTx(ctx.db, unitId, at)
    if (!tx) throw new ApiFailure('CONFLICT', 'the unit is already available', 'unitId', 'unit_available')
    if (!['hold', 'small_deposit', 'withheld'].includes(tx.status)) {
      throw new ApiFailure('CONFLICT', 'a deal beyond 小订 is cancelled through a 退房 request', 'unitId', 'needs_cancel_request')
    }
    await closeTx(ctx.db, tx.id, 'released', at)
    await addStep(ctx.db, tx.id, 'released', null, hostTextOf('step.typed', { reason }), s.staffId, at)
    const paid = await paidOn(ctx.db, tx.id)
    if (paid > 0) await insertFinanceTodo(ctx.db, { kind: 'refund', txId: tx.id, changeId: null, amount: paid, note: hostTextOf('finance.releaseRefund', { reason }), at })
    ctx.auditTarget(`unit:${unitId}`)
    return unitChanged(ctx, [unitId])
  },
}
