import { z } from 'zod'

/** Client classifications from the seeds (DESIGN §5); labels are the branch's own words. */
export const ClientKind = z.enum(['person', 'org'])
export const Gender = z.enum(['male', 'female'])
export const Tier = z.enum(['vip', 'key', 'normal', 'potential'])
export const Stage = z.enum(['potential', 'intent', 'negotiating', 'closed', 'repeat', 'lost'])
export const DemandType = z.enum(['rigid', 'improve', 'invest'])
export const WealthTier = z.enum(['high', 'middle', 'budget'])
export const Horizon = z.enum(['near', 'mid', 'far'])
export const Education = z.enum(['junior', 'senior_high', 'college', 'bachelor', 'master', 'doctor'])
export const SourceChannel = z.enum([
  'walk_in',
  'phone',
  'referral',
  'anjuke',
  'douyin',
  'website',
  'wechat',
  'community',
  'other',
])
export const Schooling = z.enum(['none', 'kindergarten', 'primary', 'middle', 'high', 'university'])

export type Tier = z.infer<typeof Tier>
export type Stage = z.infer<typeof Stage>
export type SourceChannel = z.infer<typeof SourceChannel>

export const LABELS = {
  kind: { person: '个人', org: '机构' },
  gender: { male: '男', female: '女' },
  tier: { vip: 'VIP', key: '重点', normal: '普通', potential: '潜在' },
  stage: { potential: '潜在', intent: '意向', negotiating: '谈判', closed: '成交', repeat: '复购/转介', lost: '流失' },
  demandType: { rigid: '刚需', improve: '改善', invest: '投资' },
  wealthTier: { high: '高净值', middle: '中产', budget: '预算敏感' },
  horizon: { near: '近期', mid: '中期', far: '远期' },
  education: { junior: '初中及以下', senior_high: '高中/中专', college: '大专', bachelor: '本科', master: '硕士', doctor: '博士' },
  sourceChannel: {
    walk_in: '门店到访',
    phone: '电话咨询',
    referral: '老客户推荐',
    anjuke: '安居客',
    douyin: '抖音',
    website: '官网',
    wechat: '微信',
    community: '社区活动',
    other: '其他',
  },
  schooling: { none: '未入学', kindergarten: '幼儿园', primary: '小学', middle: '初中', high: '高中', university: '大学' },
} as const

export const Intention = z.enum(['cold', 'warm', 'hot', 'agreed'])
export const FollowUpChannel = z.enum(['phone', 'wechat', 'visit', 'viewing', 'sms', 'note'])
export type Intention = z.infer<typeof Intention>

export const FOLLOW_UP_LABELS = {
  intention: { cold: '冷淡', warm: '一般', hot: '强烈', agreed: '已达成意向' },
  channel: { phone: '电话', wechat: '微信', visit: '到访', viewing: '带看', sms: '短信', note: '协作备注' },
} as const
