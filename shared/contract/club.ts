import { z } from 'zod'
import { Id, IsoTime, Page, PageInput, type ContractTable } from './common'
import { HostText } from './host-text'
import { textField } from '../domain/text-kinds'
import { LEVEL_RULES } from '../domain/club'

export const ClubStanding = z.object({
  points: z.number().int(),
  level: z.string(),
  discountPermille: z.number().int(),
  nextLevel: z.string().nullable(),
  pointsToNext: z.number().int().nullable(),
  /** the rule the level was reached under, and the member's purchases it measures (live signed or sold deals) */
  rule: z.enum(LEVEL_RULES).optional(),
  amountFen: z.number().int().optional(),
  deals: z.number().int().optional(),
})

/** How levels are reached: by points (the ledger) or by purchase amount and number of deals (seed 004). */
export const LevelRule = z.enum(LEVEL_RULES)
export const Level = z.strictObject({
  name: textField('line', 20, 1),
  minPoints: z.number().int().min(0).max(10_000_000),
  discountPermille: z.number().int().min(0).max(500),
  /** purchases rule: at least this much bought, in fen (up to 100 亿 yuan) */
  minAmountFen: z.number().int().min(0).max(1_000_000_000_000).default(0),
  /** purchases rule: at least this many deals */
  minDeals: z.number().int().min(0).max(1000).default(0),
})
/** A level as stored and shown. */
const LevelRow = z.object({ name: z.string(), minPoints: z.number().int(), discountPermille: z.number().int(), minAmountFen: z.number().int(), minDeals: z.number().int() })
const LevelTable = z.strictObject({ levels: z.array(Level).min(1).max(20), rule: LevelRule.optional() })

/** A member whose level a proposed rule would change. */
export const LevelMove = z.object({
  clientId: Id,
  code: z.string(),
  name: z.string(),
  from: z.string(),
  to: z.string(),
  /** whether the new level's discount is larger (up), smaller (down) or the same */
  direction: z.enum(['up', 'down', 'same']),
  points: z.number().int(),
  amountFen: z.number().int(),
  deals: z.number().int(),
})

export const LedgerEntry = z.object({
  id: Id,
  delta: z.number().int(),
  kind: z.enum(['viewing', 'purchase', 'referral', 'activity', 'manual', 'reversal']),
  /** why, worded by the renderer (a manager's own words for adjustments) */
  reason: HostText,
  reverses: Id.nullable(),
  reversed: z.boolean(),
  staffName: z.string().nullable(),
  at: IsoTime,
})

export const clubContract = {
  'club.standing': {
    input: z.strictObject({ clientId: Id }),
    output: ClubStanding,
    write: false,
    summary: "A member's points and level (the level is computed from the ledger).",
  },
  'club.ledger': {
    input: PageInput.extend({ clientId: Id }),
    output: Page(LedgerEntry),
    write: false,
    summary: "A member's points history, newest first.",
  },
  'club.adjust': {
    input: z.strictObject({ clientId: Id, delta: z.number().int().min(-1_000_000).max(1_000_000).refine((v) => v !== 0, 'not zero'), reason: textField('line', 200, 2) }),
    output: ClubStanding,
    write: true,
    summary: 'A manual points adjustment with a reason (managers); the balance may not go negative.',
  },
  'club.reverse': {
    input: z.strictObject({ entryId: Id, reason: textField('line', 200, 2) }),
    output: ClubStanding,
    write: true,
    summary: 'Reverse a ledger entry with a new, opposite entry (managers).',
  },
  'club.levels': {
    input: z.strictObject({}),
    output: z.object({ levels: z.array(LevelRow), rule: LevelRule }),
    write: false,
    summary: 'The member levels with their thresholds (points; purchase amount and deals) and discounts, and the rule in force.',
  },
  'club.previewLevels': {
    input: LevelTable.extend(PageInput.shape),
    output: Page(LevelMove).extend({ members: z.number().int() }),
    write: false,
    summary: 'Who would change level under a proposed table and rule, before it is applied (managers): the moved members, and how many members there are.',
  },
  'club.setLevels': {
    input: LevelTable,
    output: z.object({ levels: z.array(LevelRow), rule: LevelRule }),
    write: true,
    summary: 'Replace the level table and, when given, the rule (points or purchases) (managers); the first level needs nothing, thresholds distinct and rising.',
  },
} as const satisfies ContractTable
