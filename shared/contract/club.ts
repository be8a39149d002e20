import { z } from 'zod'
import { Id, IsoTime, Page, PageInput, type ContractTable } from './common'
import { HostText } from './host-text'
import { textField } from '../domain/text-kinds'

export const ClubStanding = z.object({
  points: z.number().int(),
  level: z.string(),
  discountPermille: z.number().int(),
  nextLevel: z.string().nullable(),
  pointsToNext: z.number().int().nullable(),
})

export const Level = z.strictObject({ name: textField('line', 20, 1), minPoints: z.number().int().min(0).max(10_000_000), discountPermille: z.number().int().min(0).max(500) })
/** A level as stored and shown. */
const LevelRow = z.object({ name: z.string(), minPoints: z.number().int(), discountPermille: z.number().int() })

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
    output: z.object({ levels: z.array(LevelRow) }),
    write: false,
    summary: 'The member levels with point thresholds and discounts.',
  },
  'club.setLevels': {
    input: z.strictObject({ levels: z.array(Level).min(1).max(20) }),
    output: z.object({ levels: z.array(LevelRow) }),
    write: true,
    summary: 'Replace the level table (managers); thresholds must be distinct and start at 0.',
  },
} as const satisfies ContractTable
