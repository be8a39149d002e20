import { z } from 'zod'
import { Id, IsoTime, type ContractTable } from './common'
import { ClientKind, Stage, Tier } from '../domain/client-enums'
import { ClubStanding } from './club'
import { Task } from './tasks'
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
} as const satisfies ContractTable
