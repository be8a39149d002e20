import { z } from 'zod'
import { Id, IsoTime, Page, PageInput, SortDir, type ContractTable } from './common'
import {
  ClientKind,
  DemandType,
  Education,
  Gender,
  Horizon,
  Schooling,
  SourceChannel,
  Stage,
  Tier,
  WealthTier,
} from '../domain/client-enums'
import { textField, type TextKind } from '../domain/text-kinds'

const OptText = (kind: TextKind, max: number) => textField(kind, max).nullable().optional()

/** A phone as typed; normalizeClientPhone reads it (full width, +86, dots, extensions) and names what is wrong. */
export const PhoneNumberText = z.string().max(40)

export const PhoneInput = z.strictObject({
  number: PhoneNumberText.min(1),
  label: OptText('line', 20),
})

export const Child = z.strictObject({ age: z.number().int().min(0).max(40), schooling: Schooling })

export const OrgDetails = z.strictObject({
  officeAddress: OptText('line', 200),
  businessScope: OptText('line', 200),
  businessArea: OptText('line', 100),
  legalRep: OptText('name', 40),
  term: OptText('line', 40),
  contactName: OptText('name', 40),
})

/** OrgDetails as stored and shown: plain strings (older rows were stored before the text kinds). */
const OrgDetailsRow = z.object({
  officeAddress: z.string().nullable().optional(),
  businessScope: z.string().nullable().optional(),
  businessArea: z.string().nullable().optional(),
  legalRep: z.string().nullable().optional(),
  term: z.string().nullable().optional(),
  contactName: z.string().nullable().optional(),
})

/** Fields a person or organisation client can have; every seed field is here (DESIGN §5). */
const ProfileFields = z.strictObject({
  name: textField('name', 80, 1),
  gender: Gender.nullable().optional(),
  age: z.number().int().min(0).max(120).nullable().optional(),
  /** YYYY-MM-DD; the host refuses a date that does not exist, is before 1900 or after today (reason not_a_date / too_early / in_future) */
  birthDate: z.string().max(10).nullable().optional(),
  /**
   * 居民身份证号 (18 characters, any width, spaces allowed); the host refuses a failed check character
   * or birth date (reason id_shape / id_checksum / id_date) and fills an untyped birth date and gender from it
   */
  idNumber: z.string().max(40).nullable().optional(),
  nativePlace: OptText('line', 40),
  address: OptText('line', 200),
  fax: OptText('code', 30),
  email: textField('code', 120).email().nullable().optional(),
  householdSize: z.number().int().min(1).max(30).nullable().optional(),
  children: z.array(Child).max(10).optional(),
  industry: OptText('line', 40),
  employer: OptText('name', 80),
  jobTitle: OptText('line', 40),
  education: Education.nullable().optional(),
  sourceChannel: SourceChannel,
  org: OrgDetails.nullable().optional(),
  tier: Tier.default('potential'),
  stage: Stage.default('potential'),
  demandType: DemandType.nullable().optional(),
  wealthTier: WealthTier.nullable().optional(),
  purchaseHorizon: Horizon.nullable().optional(),
  region: OptText('line', 40),
  community: OptText('line', 60),
  entrustedOther: z.boolean().default(false),
  entrustedAgencies: OptText('line', 200),
  blacklisted: z.boolean().default(false),
  blacklistReason: OptText('line', 200),
  manualTags: z.array(textField('line', 20, 1)).max(20).optional(),
})

function blacklistNeedsReason(v: { blacklisted?: boolean | undefined; blacklistReason?: string | null | undefined }, ctx: z.RefinementCtx) {
  if (v.blacklisted && !v.blacklistReason?.trim()) {
    ctx.addIssue({ code: 'custom', path: ['blacklistReason'], message: 'a blacklist needs a reason', params: { reason: 'blacklist_reason' } })
  }
}

export const ClientCreateInput = ProfileFields.extend({
  kind: ClientKind,
  phones: z.array(PhoneInput).min(1).max(5),
  /** managers may assign an owner; agents own what they create; the front desk leaves it open. */
  ownerId: Id.nullable().optional(),
  /** the active campaign that brought the client; it runs on the client's source channel */
  campaignId: Id.optional(),
}).superRefine(blacklistNeedsReason)

// no defaults on update: a field left out stays as it is (partial() would keep create's defaults)
export const ClientUpdateInput = ProfileFields.partial()
  .extend({
    id: Id,
    version: z.number().int().min(0),
    phones: z.array(PhoneInput).min(1).max(5).optional(),
    tier: Tier.optional(),
    stage: Stage.optional(),
    entrustedOther: z.boolean().optional(),
    blacklisted: z.boolean().optional(),
  })
  .superRefine(blacklistNeedsReason)

export const Access = z.enum(['full', 'basic'])

export const ClientPhone = z.object({
  id: Id,
  /** masked (138****5678) unless the viewer owns the client or revealed it. */
  display: z.string(),
  kind: z.string(),
  label: z.string().nullable(),
  masked: z.boolean(),
})

export const OwnerRef = z.object({ id: Id, name: z.string(), phone: z.string().nullable() }).nullable()

export const ClientRow = z.object({
  id: Id,
  code: z.string(),
  kind: ClientKind,
  name: z.string(),
  phone: z.string().nullable(),
  tier: Tier,
  stage: Stage,
  owner: OwnerRef,
  region: z.string().nullable(),
  community: z.string().nullable(),
  sourceChannel: SourceChannel,
  demandType: DemandType.nullable(),
  lastFollowUpAt: IsoTime.nullable(),
  protectedUntil: IsoTime.nullable(),
  completeness: z.number().int(),
  blacklisted: z.boolean(),
  blacklistReason: z.string().nullable(),
  createdAt: IsoTime,
})
export type ClientRow = z.infer<typeof ClientRow>

export const ClientProfile = ClientRow.extend({
  access: Access,
  /** the viewer works this client as a collaborator (申请协作 accepted): full access, follow-ups and viewings, no edits */
  collaborator: z.boolean(),
  version: z.number().int(),
  phones: z.array(ClientPhone),
  gender: Gender.nullable(),
  age: z.number().int().nullable(),
  /** hidden (null) from viewers without full access, as the rest of the profile */
  birthDate: z.string().nullable(),
  /** 居民身份证号, masked (110***********002X) like the phones unless the viewer owns the client; null without full access */
  idNumber: z.string().nullable(),
  nativePlace: z.string().nullable(),
  address: z.string().nullable(),
  fax: z.string().nullable(),
  email: z.string().nullable(),
  householdSize: z.number().int().nullable(),
  children: z.array(z.object(Child.shape)),
  industry: z.string().nullable(),
  employer: z.string().nullable(),
  jobTitle: z.string().nullable(),
  education: Education.nullable(),
  org: OrgDetailsRow.nullable(),
  wealthTier: WealthTier.nullable(),
  purchaseHorizon: Horizon.nullable(),
  entrustedOther: z.boolean(),
  entrustedAgencies: z.string().nullable(),
  manualTags: z.array(z.string()),
  behaviourTags: z.array(z.string()),
  /** the required fields for this client's tier that are still empty. */
  missingFields: z.array(z.string()),
  createdBy: z.number().int().nullable(),
  updatedAt: IsoTime,
  /** 流失 reason and time, when the client is marked lost. */
  lostReason: z.string().nullable(),
  lostAt: IsoTime.nullable(),
})
export type ClientProfile = z.infer<typeof ClientProfile>

export const SearchHit = z.object({
  id: Id,
  code: z.string(),
  kind: ClientKind,
  name: z.string(),
  /** masked unless the viewer owns the client; null for a whole number matched on a client the viewer may not see in full. */
  phone: z.string().nullable(),
  tier: Tier,
  owner: OwnerRef,
  blacklisted: z.boolean(),
  blacklistReason: z.string().nullable(),
  protectedUntil: IsoTime.nullable(),
  matchedOn: z.enum(['name', 'pinyin', 'initials', 'phone', 'code', 'card']),
  rank: z.enum(['exact', 'prefix', 'contains']),
})
export type SearchHit = z.infer<typeof SearchHit>

export const ClientSortField = z.enum([
  'code',
  'name',
  'tier',
  'stage',
  'owner',
  'region',
  'sourceChannel',
  'lastFollowUpAt',
  'completeness',
  'createdAt',
])

export const ClientListFilter = z.strictObject({
  tier: z.array(Tier).max(4).optional(),
  stage: z.array(Stage).max(6).optional(),
  ownerId: z.array(Id).max(50).optional(),
  /** clients in the public pool (no owner). */
  unowned: z.boolean().optional(),
  region: textField('line', 40).optional(),
  community: textField('line', 60).optional(),
  sourceChannel: z.array(SourceChannel).max(9).optional(),
  demandType: z.array(DemandType).max(3).optional(),
  blacklisted: z.boolean().optional(),
  lastFollowUpBefore: IsoTime.optional(),
  lastFollowUpAfter: IsoTime.optional(),
  /** true: never followed up. */
  neverFollowedUp: z.boolean().optional(),
  completenessMin: z.number().int().min(0).max(100).optional(),
  completenessMax: z.number().int().min(0).max(100).optional(),
  /** the clients a search box query finds (clients.search): "show all in the client list". */
  search: textField('query', 40, 1).optional(),
})

export const ClientListInput = PageInput.extend({
  sort: z.strictObject({ field: ClientSortField, dir: SortDir }).optional(),
  filter: ClientListFilter.default({}),
  /** built-in views: my clients; VIP clients without a follow-up in 7 days. */
  view: z.enum(['all', 'mine', 'team', 'vip_stale_7d']).default('all'),
  /** count the total exactly; otherwise a large total may be a count from the last minute (totalExact false). */
  exactTotal: z.boolean().default(false),
})

/** A grid page; `total` is exact when `totalExact`, otherwise a recent count ("about 2,200"). */
export const ClientListPage = Page(ClientRow).extend({ totalExact: z.boolean() })

/** Search hits page on to here; past it, the client list filtered by the query shows them all. */
export const SEARCH_MAX_OFFSET = 450

export const ClientSearchInput = z.strictObject({
  q: textField('query', 40, 1),
  offset: z.number().int().min(0).max(SEARCH_MAX_OFFSET).default(0),
  limit: z.number().int().min(1).max(50).default(20),
})

/** A page of hits; `total` counts matches up to 1,000 (`totalExact` false: there are more). */
export const ClientSearchResult = z.object({ hits: z.array(SearchHit), total: z.number().int().min(0), totalExact: z.boolean() })

export const DuplicateMatch = z.object({
  clientId: Id,
  code: z.string(),
  name: z.string(),
  owner: OwnerRef,
  protectedUntil: IsoTime.nullable(),
  blacklisted: z.boolean(),
  matchedOn: z.enum(['phone', 'org_name']),
  /** which phone of the input matched (index), when matchedOn is phone. */
  phoneIndex: z.number().int().nullable(),
  isMine: z.boolean(),
})

export const RegionNode = z.object({
  region: z.string(),
  count: z.number().int(),
  communities: z.array(z.object({ community: z.string(), count: z.number().int() })),
})

export const clientsContract = {
  'clients.search': {
    input: ClientSearchInput,
    output: ClientSearchResult,
    write: false,
    summary:
      'Find clients by any part of the name, pinyin (zw / zhangwei), 客户编号, card or org name; phone digits (3 for the start of a number, 4+ for any part; +86, 0086, spaces, dashes and full width read as stored) find clients you see in full, anyone else’s client only its whole number (then without its phone). Whole numbers count towards a per-user limit (RATE_LIMITED). Exact > prefix > contains; paged by offset, with the total.',
  },
  'clients.list': {
    input: ClientListInput,
    output: ClientListPage,
    write: false,
    summary: 'The client grid: paged, sorted and filtered on the host (filter.search: the clients a search finds); a large total is a recent count unless exactTotal.',
  },
  'clients.get': {
    input: z.strictObject({ id: Id }),
    output: ClientProfile,
    write: false,
    summary: "A client's profile; fields beyond the basics only for viewers with full access.",
  },
  'clients.create': {
    input: ClientCreateInput,
    output: ClientProfile,
    write: true,
    summary: 'Record a new client; a known phone or org name is refused with DUPLICATE naming the existing client.',
  },
  'clients.update': {
    input: ClientUpdateInput,
    output: ClientProfile,
    write: true,
    summary: 'Edit a client (pass the version you read; a stale write gets STALE_WRITE listing what changed).',
  },
  'clients.checkDuplicate': {
    input: z.strictObject({ phones: z.array(PhoneNumberText).max(5).default([]), orgName: textField('query', 80).optional() }),
    output: z.object({ matches: z.array(DuplicateMatch), invalidPhones: z.array(z.number().int()) }),
    write: false,
    summary:
      '防撞单: who already has these whole phone numbers or this org name, with owner and protection countdown, never their numbers; a part of a number is invalid. Numbers count towards a per-user limit (RATE_LIMITED).',
  },
  'clients.revealPhones': {
    input: z.strictObject({ id: Id, reason: textField('line', 200, 2) }),
    output: z.object({ phones: z.array(ClientPhone), idNumber: z.string().nullable() }),
    write: false,
    summary: "Show a client's full phone numbers and ID number; an audited action with a reason.",
  },
  'clients.requestCollaboration': {
    input: z.strictObject({ clientId: Id, note: textField('note', 500, 2) }),
    output: z.object({ id: Id, status: z.literal('open') }),
    write: true,
    summary: "Ask a client's owner to work the client together (for agents who do not own them).",
  },
  'clients.merge': {
    input: z.strictObject({ keepId: Id, mergeId: Id, reason: textField('line', 200, 2) }),
    output: ClientProfile,
    write: true,
    summary: 'Merge two records of the same client, keeping all history of both (managers).',
  },
  'clients.regionTree': {
    input: z.strictObject({}),
    output: z.object({ regions: z.array(RegionNode) }),
    write: false,
    summary: 'Regions and communities with client counts, for the tree filter.',
  },
  'clients.assign': {
    input: z.strictObject({ clientId: Id, staffId: Id.optional(), reason: textField('line', 200, 2).default('分配') }),
    output: ClientRow,
    write: true,
    summary: 'Assign an unowned client: to the given agent (managers), or by the rota (round-robin by region and type among on-duty agents, weighted by load).',
  },
  'clients.reassign': {
    input: z.strictObject({
      clientIds: z.array(Id).min(1).max(1000),
      toStaffId: Id,
      reason: textField('line', 200, 2),
      /** the owner each client had on the caller's screen (null: the pool), in clientIds' order: a client whose owner changed meanwhile is refused (STALE_WRITE) */
      expectOwnerIds: z.array(Id.nullable()).max(1000).optional(),
    }),
    output: z.object({ moved: z.number().int() }),
    write: true,
    summary: 'Move clients to another agent (managers).',
  },
  'clients.markLost': {
    input: z.strictObject({ id: Id, reason: textField('line', 40, 1), note: textField('note', 500).optional() }),
    output: ClientRow,
    write: true,
    summary: 'Mark a client lost (流失) with a reason from the configured list.',
  },
  'clients.revive': {
    input: z.strictObject({ id: Id }),
    output: ClientRow,
    write: true,
    summary: 'Bring a lost client back at the stage they were in, history intact.',
  },
} as const satisfies ContractTable
