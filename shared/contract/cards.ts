import { z } from 'zod'
import { Id, IsoTime, Ok, Page, PageInput, type ContractTable } from './common'
import { ClientKind, Stage, Tier } from '../domain/client-enums'
import { Task } from './work'
import { Viewing } from './viewings'
import { textField } from '../domain/text-kinds'

/** How a card reaches the host: a canonical UID from the driver, or text a keyboard-type reader typed. */
export const CardRead = z.union([
  z.strictObject({ uid: textField('code', 40, 4) }),
  z.strictObject({
    text: textField('code', 40, 1),
    format: z.enum(['decimal-10', 'decimal-10-le', 'decimal-8', 'hex-be', 'hex-le']),
  }),
])

export const ClubStanding = z.object({
  points: z.number().int(),
  level: z.string(),
  discountPermille: z.number().int(),
  nextLevel: z.string().nullable(),
  pointsToNext: z.number().int().nullable(),
})

/** What the front desk sees in a blink after a swipe (DESIGN §7). */
export const DeskCard = z.object({
  clientId: Id,
  code: z.string(),
  name: z.string(),
  kind: ClientKind,
  tier: Tier,
  stage: Stage,
  phone: z.string().nullable(),
  owner: z.object({ id: Id, name: z.string(), phone: z.string().nullable() }).nullable(),
  protectedUntil: IsoTime.nullable(),
  blacklisted: z.boolean(),
  blacklistReason: z.string().nullable(),
  entrustedOther: z.boolean(),
  entrustedAgencies: z.string().nullable(),
  /** standing, viewings and tasks only for viewers who serve this client (mayServeClient): null and empty for others */
  club: ClubStanding.nullable(),
  lastViewings: z.array(Viewing),
  openTasks: z.array(Task),
  card: z.object({ id: Id, uid: z.string(), status: z.enum(['active', 'lost', 'replaced']) }).nullable(),
  lastVisitAt: IsoTime.nullable(),
})

export const IdentifyResult = z.discriminatedUnion('status', [
  z.object({ status: z.literal('known'), uid: z.string(), card: DeskCard }),
  /** a card reported lost or replaced: the desk is alerted, the swipe is logged. */
  z.object({ status: z.enum(['lost', 'replaced']), uid: z.string(), card: DeskCard }),
  z.object({ status: z.literal('unknown'), uid: z.string() }),
  z.object({ status: z.literal('unreadable'), message: z.string() }),
])

export const MemberCard = z.object({
  id: Id,
  uid: z.string(),
  clientId: Id,
  status: z.enum(['active', 'lost', 'replaced']),
  issuedAt: IsoTime,
  lostAt: IsoTime.nullable(),
  replacedBy: Id.nullable(),
})

export const Level = z.strictObject({ name: textField('line', 20, 1), minPoints: z.number().int().min(0).max(10_000_000), discountPermille: z.number().int().min(0).max(500) })
/** A level as stored and shown. */
const LevelRow = z.object({ name: z.string(), minPoints: z.number().int(), discountPermille: z.number().int() })

export const LedgerEntry = z.object({
  id: Id,
  delta: z.number().int(),
  kind: z.enum(['viewing', 'purchase', 'referral', 'activity', 'manual', 'reversal']),
  reason: z.string(),
  reverses: Id.nullable(),
  reversed: z.boolean(),
  staffName: z.string().nullable(),
  at: IsoTime,
})

export const Activity = z.object({
  id: Id,
  name: z.string(),
  startsAt: IsoTime,
  endsAt: IsoTime,
  place: z.string().nullable(),
  capacity: z.number().int().nullable(),
  points: z.number().int(),
  signedUp: z.number().int(),
  checkedIn: z.number().int(),
})

export const cardsContract = {
  'cards.identify': {
    input: z.strictObject({ read: CardRead, log: z.boolean().default(true) }),
    output: IdentifyResult,
    write: false,
    summary: 'Who is at the counter: a card read -> the client card (owner, protection, blacklist, club, last viewings, open tasks). Every swipe is logged.',
  },
  'cards.issue': {
    input: z.strictObject({ clientId: Id, read: CardRead, note: textField('line', 200).optional() }),
    output: MemberCard,
    write: true,
    summary: 'Give a client a member card (one live card per client; a card belongs to one client).',
  },
  'cards.reportLost': {
    input: z.strictObject({ cardId: Id, note: textField('line', 200).optional() }),
    output: MemberCard,
    write: true,
    summary: 'Block a lost card at once.',
  },
  'cards.replace': {
    input: z.strictObject({ cardId: Id, read: CardRead }),
    output: MemberCard,
    write: true,
    summary: 'Replace a card with a new one; the old one stays in the history as replaced.',
  },
  'cards.list': {
    input: z.strictObject({ clientId: Id }),
    output: z.object({ cards: z.array(MemberCard) }),
    write: false,
    summary: "A client's cards, live and past.",
  },
  'frontdesk.registerVisit': {
    input: z.strictObject({ clientId: Id, cardId: Id.optional() }),
    output: z.object({ visitId: Id, protectedUntil: IsoTime.nullable(), ownerNotified: z.boolean() }),
    write: true,
    summary: '到访登记: record the visit, start the visit protection period and notify the owner agent at once.',
  },
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
  'activities.create': {
    input: z.strictObject({ name: textField('line', 60, 1), startsAt: IsoTime, endsAt: IsoTime, place: textField('line', 100).optional(), capacity: z.number().int().min(1).max(10_000).optional(), points: z.number().int().min(0).max(10_000).default(0) }),
    output: Activity,
    write: true,
    summary: 'Create a club activity (managers).',
  },
  'activities.list': {
    input: z.strictObject({ from: IsoTime.optional() }),
    output: z.object({ activities: z.array(Activity) }),
    write: false,
    summary: 'Club activities from a date on.',
  },
  'activities.signUp': {
    input: z.strictObject({ activityId: Id, clientId: Id }),
    output: Ok,
    write: true,
    summary: 'Sign a member up for an activity (capacity applies).',
  },
  'activities.checkIn': {
    input: z.strictObject({ activityId: Id, read: CardRead }),
    output: z.object({ clientId: Id, name: z.string(), pointsAwarded: z.number().int() }),
    write: true,
    summary: 'Check a member in by swiping their card; awards the activity points once.',
  },
  'referrals.create': {
    input: z.strictObject({ referrerId: Id, referredId: Id }),
    output: Ok,
    write: true,
    summary: 'Record that one client referred another; the referrer earns points when the referred client signs.',
  },
} as const satisfies ContractTable
