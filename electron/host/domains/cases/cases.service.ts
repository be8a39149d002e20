import type { DealCase } from '@shared/contract/cases'
import { branchDay } from '@shared/domain/rules'
import type { HandlersOf } from '../../api/handler'
import { searchCases, type DealCaseRecord } from './cases.repository'

function toCase(r: DealCaseRecord): DealCase {
  return {
    id: r.id,
    project: r.project,
    district: r.district,
    building: r.building,
    floor: r.floor,
    layout: r.layout,
    area: r.area,
    orientation: r.orientation,
    listPrice: r.list_price,
    price: r.price,
    unitPrice: r.area > 0 ? Math.round((r.price * 100) / r.area) : 0,
    signedOn: branchDay(new Date(r.signed_at)),
    status: r.status,
    memberDiscount: r.member_discount,
    instalments: r.instalments,
  }
}

/** 成交案例 (issue #20): the branch's closed deals as cases anyone serving clients may quote, the parties left out. */
export const casesHandlers: HandlersOf<'cases'> = {
  'cases.search': async (input, ctx) => {
    const page = await searchCases(ctx.db, input)
    return { rows: page.rows.map(toCase), total: page.total }
  },
}
