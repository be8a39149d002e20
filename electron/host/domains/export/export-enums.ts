import type { HostText } from '@shared/contract/host-text'
import type { DemandType, SourceChannel, Stage, Tier } from '@shared/domain/client-enums'
import type { z } from 'zod'
import type { Lang } from './export-sheet'

type Labels<E extends z.ZodEnum> = Record<z.infer<E>, readonly [zh: string, en: string]>

/**
 * The words of the enums an exported sheet shows, as the renderer shows them (its
 * clients.enums texts; the host cannot import the renderer): a value added in shared/ fails tsc
 * until it has words here too.
 */
const ENUMS: {
  tier: Labels<typeof Tier>
  stage: Labels<typeof Stage>
  demandType: Labels<typeof DemandType>
  sourceChannel: Labels<typeof SourceChannel>
} = {
  tier: { vip: ['VIP', 'VIP'], key: ['重点', 'Key'], normal: ['普通', 'Normal'], potential: ['潜在', 'Lead'] },
  stage: {
    potential: ['潜在', 'Prospect'],
    intent: ['意向', 'Interested'],
    negotiating: ['谈判', 'Negotiating'],
    closed: ['成交', 'Closed'],
    repeat: ['复购/转介', 'Repeat/referral'],
    lost: ['流失', 'Lost'],
  },
  demandType: { rigid: ['刚需', 'First home'], improve: ['改善', 'Upgrade'], invest: ['投资', 'Investment'] },
  sourceChannel: {
    walk_in: ['门店到访', 'Walk-in'],
    phone: ['电话咨询', 'Phone enquiry'],
    referral: ['老客户推荐', 'Client referral'],
    anjuke: ['安居客', 'Anjuke'],
    douyin: ['抖音', 'Douyin'],
    website: ['官网', 'Website'],
    wechat: ['微信', 'WeChat'],
    community: ['社区活动', 'Community event'],
    other: ['其他', 'Other'],
  },
}

/** An enum value in the sheet's language. */
export function enumText<K extends keyof typeof ENUMS>(kind: K, value: keyof (typeof ENUMS)[K], lang: Lang): string {
  const pair = ENUMS[kind][value] as readonly [string, string]
  return lang === 'zh' ? pair[0] : pair[1]
}

/**
 * The words of the host texts an exported sheet shows (the renderer's host texts: task titles,
 * finance notes), `{{name}}` standing for a parameter; a text made of what someone typed shows it.
 */
const HOST_WORDS: Record<string, readonly [zh: string, en: string]> = {
  'task.entry': ['前台登记的新咨询：尽快首次联系', 'New enquiry from the front desk: make first contact'],
  'task.needs': ['建档并确认需求', 'Record the profile and the needs'],
  'task.viewing': ['带看后回访', 'Follow up after the viewing'],
  'task.negotiation': ['谈判中每日跟进', 'Daily follow-up during negotiation'],
  'task.contract': ['达成意向后准备签约', 'Prepare the contract after the agreement'],
  'task.wake': ['沉睡客户唤醒', 'Wake up a quiet client'],
  'task.stuck': ['谈判超期，店长介入', 'Negotiation overdue: manager to step in'],
  'task.claim': ['认领客户后跟进', 'Follow up the claimed client'],
  'task.care.market': ['潜在客户：推送区域市场周报', 'Potential client: send the regional market note'],
  'task.care.salon': ['潜在客户：邀请参加房产知识沙龙', 'Potential client: invite to the home-buying salon'],
  'task.care.compare': ['意向客户：带看后发送竞品对比分析', 'Intent client: send a comparison with competing homes after the viewing'],
  'task.care.plan': ['意向客户：出具定制购房方案（贷款、税费测算）', 'Intent client: prepare a purchase plan (loan and taxes)'],
  'task.care.cases': ['谈判客户：同步同户型成交案例', 'Negotiating client: share deals of the same layout'],
  'task.care.decor': ['成交客户：交房后跟进装修需求', 'Owner: ask about decoration after the handover'],
  'task.care.giftSpringFestival': ['成交客户：准备春节业主专属礼包', "Owner: prepare the Spring Festival owner's gift"],
  'task.care.giftMidAutumn': ['成交客户：准备中秋业主专属礼包', "Owner: prepare the Mid-Autumn owner's gift"],
  'task.next': ['{{action}}', '{{action}}'],
  'task.policyTyped': ['告知政策：{{text}}', 'Tell the client: {{text}}'],
  'task.escalation': ['逾期未处理：{{ofKey}}（{{agent}}）', 'Overdue: {{ofKey}} ({{agent}})'],
  'finance.releaseRefund': ['释放房源退还定金：{{reason}}', 'Refund the deposit of a released unit: {{reason}}'],
  'finance.renameReinvoice': ['更名：重开票据给 {{client}}', 'Rename: reissue the invoice to {{client}}'],
  'finance.swapDifference': ['换房差价（{{unit}}）', 'Price difference of the swap ({{unit}})'],
  'finance.cancelRefund': ['退房退款', 'Refund for the cancellation'],
  'finance.discountReinvoice': ['折扣：重开票据', 'Discount: reissue the invoice'],
  legacy: ['{{text}}', '{{text}}'],
}

/** A host text (a task's title, a finance note) in the sheet's language; `ofKey` names another text. */
export function hostWords(text: HostText, lang: Lang): string {
  const words = HOST_WORDS[text.key]
  if (!words) return Object.values(text.params).join(' ')
  return words[lang === 'zh' ? 0 : 1].replace(/\{\{(\w+)\}\}/g, (_m, name: string) => {
    const v = text.params[name]
    // the text named keeps the other parameters (a task.next's action), never this one again
    if (name === 'ofKey' && typeof v === 'string') return hostWords({ key: v, params: Object.fromEntries(Object.entries(text.params).filter(([k]) => k !== 'ofKey')) }, lang)
    return v === undefined ? '' : String(v)
  })
}
