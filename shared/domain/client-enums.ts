import { z } from 'zod'

/** Client classifications from the seeds (DESIGN §5); the renderer's i18n holds their labels (clients.enums). */
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

export const Intention = z.enum(['cold', 'warm', 'hot', 'agreed'])
export const FollowUpChannel = z.enum(['phone', 'wechat', 'visit', 'viewing', 'sms', 'note'])
export type Intention = z.infer<typeof Intention>
