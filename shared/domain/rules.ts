import { z } from 'zod'
import { DEFAULT_TAX_RATES } from './purchase-taxes'
import { textField } from './text-kinds'

/** The branch's follow-up, pool and protection rules; every one a setting (DESIGN §6). */
export const BranchRulesSchema = z
  .object({
    /** a new enquiry is entered within (hours of reception). */
    enquiryEntryHours: z.number().int().min(1).max(72),
    /** file + needs recorded after first contact (hours). */
    needsWithinHours: z.number().int().min(1).max(240),
    /** follow-up after a viewing (hours). */
    afterViewingHours: z.number().int().min(1).max(240),
    /** during negotiation, a follow-up every (hours). */
    negotiationEveryHours: z.number().int().min(1).max(240),
    /** contract after agreement (days). */
    contractDays: z.number().int().min(1).max(60),
    /** no interaction for this long makes a wake-up task (days). */
    wakeUpDays: z.number().int().min(1).max(90),
    /** negotiation stuck this long goes to the manager (days). */
    escalateNegotiationDays: z.number().int().min(1).max(180),
    /** no follow-up for this long returns the client to the public pool (days). */
    poolReturnDays: z.number().int().min(2).max(365),
    /** a claimed pool client must be followed up within (days), else it returns. */
    claimObligationDays: z.number().int().min(1).max(60),
    /** pool clients one agent may claim per day. */
    dailyClaimCap: z.number().int().min(0).max(100),
    /** private clients one agent may own (客源上限). */
    ownerCap: z.number().int().min(1).max(100_000),
    /** protection of the first receiver: phone enquiry / visit (days). */
    phoneProtectionDays: z.number().int().min(0).max(365),
    visitProtectionDays: z.number().int().min(0).max(365),
    /** an open task this long past due escalates to the manager (hours). */
    overdueEscalateHours: z.number().int().min(1).max(720),
    /** how far in the past a viewing may still be booked (minutes; recording one just held). */
    viewingGraceMinutes: z.number().int().min(0).max(24 * 60),
    /** 小订 hold expiry (hours). */
    smallDepositHoldHours: z.number().int().min(1).max(720),
    /**
     * Care plans per lifecycle layer (seed 002), each a task for the owner; 0 turns one off.
     * 潜在: a regional market note (区域市场周报) every so many days.
     */
    careMarketNoteDays: z.number().int().min(0).max(90),
    /** 潜在: an invitation to the branch's knowledge salon (房产知识沙龙) every so many days. */
    careSalonDays: z.number().int().min(0).max(180),
    /** 意向: a comparison with competing homes (竞品对比分析) within so many hours of a viewing. */
    careComparisonHours: z.number().int().min(0).max(240),
    /** 意向: a purchase plan with loan and tax figures (定制购房方案) within so many days of a viewing. */
    carePurchasePlanDays: z.number().int().min(0).max(30),
    /** 谈判: deals of the same layout (同户型成交案例, owners masked) every so many days. */
    careDealCasesDays: z.number().int().min(0).max(30),
    /** 成交: decoration needs (装修需求) followed up within so many days of the handover (已售). */
    careHandoverDays: z.number().int().min(0).max(180),
    /** 成交: the owner's gift (业主专属礼包) prepared so many days before 春节 and 中秋. */
    careFestivalGiftDays: z.number().int().min(0).max(60),
    /** the buyer's taxes in the calculator (shared/domain/purchase-taxes.ts), as the branch's city levies them: 契税 in permille … */
    taxDeedFirstSmallPermille: z.number().int().min(0).max(100),
    taxDeedFirstLargePermille: z.number().int().min(0).max(100),
    taxDeedSecondSmallPermille: z.number().int().min(0).max(100),
    taxDeedSecondLargePermille: z.number().int().min(0).max(100),
    taxDeedOtherPermille: z.number().int().min(0).max(100),
    /** … up to this area (m²) the smaller rate … */
    taxDeedAreaThresholdM2: z.number().int().min(1).max(1000),
    /** … 增值税 with surcharges (permille) on a resale held under so many years … */
    taxVatPermille: z.number().int().min(0).max(200),
    taxVatExemptYears: z.number().int().min(0).max(10),
    /** … 个税 (permille of the price) unless 满五唯一, 印花税 (permille), 登记费 (yuan a home) */
    taxIncomePermille: z.number().int().min(0).max(200),
    taxStampPermille: z.number().int().min(0).max(100),
    taxRegistrationFeeYuan: z.number().int().min(0).max(10_000),
    /** reasons an agent picks when marking a client lost (流失). */
    lostReasons: z.array(textField('line', 40, 1)).min(1).max(30),
  })
  .strict()
export type BranchRules = z.infer<typeof BranchRulesSchema>

export const DEFAULT_RULES: BranchRules = {
  enquiryEntryHours: 1,
  needsWithinHours: 24,
  afterViewingHours: 48,
  negotiationEveryHours: 24,
  contractDays: 3,
  wakeUpDays: 7,
  escalateNegotiationDays: 15,
  poolReturnDays: 30,
  claimObligationDays: 7,
  dailyClaimCap: 5,
  ownerCap: 200,
  phoneProtectionDays: 15,
  visitProtectionDays: 7,
  overdueEscalateHours: 24,
  viewingGraceMinutes: 30,
  smallDepositHoldHours: 48,
  careMarketNoteDays: 7,
  careSalonDays: 30,
  careComparisonHours: 24,
  carePurchasePlanDays: 3,
  careDealCasesDays: 1,
  careHandoverDays: 30,
  careFestivalGiftDays: 7,
  ...DEFAULT_TAX_RATES,
  lostReasons: ['已在他处成交', '预算不足', '需求取消', '长期联系不上', '对服务不满意', '其他'],
}

export const DAY_MS = 86_400_000
export const HOUR_MS = 3_600_000

/** When the first receiver's protection ends: visits 7 days, enquiries by phone and others 15. */
export function protectionEnd(createdAt: Date, source: string, rules: BranchRules = DEFAULT_RULES): Date {
  const days = source === 'walk_in' ? rules.visitProtectionDays : rules.phoneProtectionDays
  return new Date(createdAt.getTime() + days * DAY_MS)
}

/** The branch's calendar day (Asia/Shanghai, UTC+8 all year) of an instant, as YYYY-MM-DD. */
export function branchDay(at: Date): string {
  return new Date(at.getTime() + 8 * HOUR_MS).toISOString().slice(0, 10)
}

/** The instant a branch day starts (00:00 in Shanghai) as a UTC ISO string. */
export function branchDayStart(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00.000Z`) - 8 * HOUR_MS).toISOString()
}
