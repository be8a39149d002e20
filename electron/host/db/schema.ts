import type { Generated } from 'kysely'

/** Kysely's view of the tables. Mirrors the migrations; booleans are 0/1 integers in SQLite. */
export interface StaffTable {
  id: Generated<number>
  username: string
  name: string
  role: string
  team: string | null
  region: string | null
  phone: string | null
  active: number
  left_at: string | null
  password_hash: string
  created_at: string
  updated_at: string
  version: Generated<number>
}

export interface SessionsTable {
  token_hash: string
  staff_id: number
  created_at: string
  expires_at: string
  last_seen_at: string
  address: string | null
  revoked_at: string | null
}

export interface PairedDevicesTable {
  id: Generated<number>
  name: string
  kind: 'terminal' | 'browser'
  token_hash: string
  address: string | null
  paired_at: string
  last_seen_at: string | null
  revoked_at: string | null
  revoked_by: number | null
}

/** One row written (db/change-feed.ts triggers): the standby's feed. */
export interface ChangeLogTable {
  seq: Generated<number>
  tbl: string
  row_key: string | null
}

/** A paired device the admin made a standby, and how far it has applied the feed. */
export interface StandbyFeedsTable {
  device_id: number
  acked_seq: number
  allowed_at: string
  last_pull_at: string | null
  address: string | null
}

/** On a standby: the host it follows and the last change applied (one row). */
export interface StandbyCursorTable {
  id: number
  host_url: string
  seq: number
  pulled_at: string
}

export interface SettingsTable {
  key: string
  value: string
  updated_at: string
}

export interface AuditLogTable {
  id: Generated<number>
  at: string
  actor_id: number | null
  actor_name: string | null
  action: string
  target: string | null
  detail: string
  address: string | null
  prev_hash: string
  hash: string
  /** 'sha256' for rows written before the chain was keyed, 'hmac-sha256' since. */
  alg: Generated<AuditAlg>
  /** keyed hashes of the numbers in the row, space-separated and sorted ('' for none). */
  number_keys: Generated<string>
}

export type AuditAlg = 'sha256' | 'hmac-sha256'

export interface AuditNumberTable {
  key: string
  audit_id: number
}

export interface SignInLimitsTable {
  key: string
  failures: number
  level: number
  last_failure_at: string
  locked_until: string | null
  failed_by: string
}

export interface SchemaVersionTable {
  version: number
  name: string
  applied_at: string
}

/** The key ring (migration 029): the audit keys' root and the keys a rekey retired. */
export interface KeyRingTable {
  id: Generated<number>
  purpose: 'audit_root' | 'retired'
  key_hex: string
  at: string
}

export interface ClientsTable {
  id: Generated<number>
  code: string
  kind: string
  name: string
  org_name_key: string | null
  gender: string | null
  age: number | null
  native_place: string | null
  address: string | null
  fax: string | null
  email: string | null
  household_size: number | null
  children: Generated<string>
  industry: string | null
  employer: string | null
  job_title: string | null
  education: string | null
  source_channel: string
  org_office_address: string | null
  org_business_scope: string | null
  org_business_area: string | null
  org_legal_rep: string | null
  org_term: string | null
  org_contact_name: string | null
  owner_id: number | null
  tier: string
  stage: string
  demand_type: string | null
  wealth_tier: string | null
  purchase_horizon: string | null
  region: string | null
  community: string | null
  entrusted_other: Generated<number>
  entrusted_agencies: string | null
  blacklisted: Generated<number>
  blacklist_reason: string | null
  manual_tags: Generated<string>
  behaviour_tags: Generated<string>
  completeness: Generated<number>
  primary_phone: string | null
  created_by: number | null
  created_at: string
  updated_at: string
  last_follow_up_at: string | null
  protected_until: string | null
  merged_into: number | null
  version: Generated<number>
  last_activity_at: string | null
  stage_changed_at: string | null
  intention: string | null
  agreed_at: string | null
  claimed_at: string | null
  pooled_at: string | null
  lost_reason: string | null
  lost_at: string | null
  /** YYYY-MM-DD, optional (migration 019) */
  birth_date: string | null
  /** MM-DD of birth_date, indexed for the care lists */
  birth_md: string | null
  /** 居民身份证号, normalised (migration 035); the birth date is read from it when none was typed */
  id_number: string | null
  /** external: came in from a branch's spreadsheet (seed 000 keeps internal and external data apart) */
  data_origin: Generated<'internal' | 'external'>
  lost_from_stage: string | null
  /** the first contact (a follow-up not a note, not imported) at or after created_at; kept by triggers (migration 043) */
  first_contact_at: string | null
  /** the first start of a stage spell at 意向 or later, 谈判 or later, 成交 or 复购转介; kept by triggers (migration 043) */
  reached_intent_at: string | null
  reached_negotiating_at: string | null
  reached_deal_at: string | null
}

export interface ClientVersionsTable {
  client_id: number
  version: number
  data: string
  changed_by: number | null
  changed_at: string
}

export interface ClientPhonesTable {
  id: Generated<number>
  client_id: number
  e164: string
  digits: string
  display: string
  kind: string
  label: string | null
  position: number
}

/** A whole-field search term (pos 0): exact and prefix matches. */
export interface SearchTermsTable {
  term: string
  client_id: number
  field: number
  pos: number
}

/** An inner search term (a suffix from the field's second character on: pos > 0), for contains matches (migration 045). */
export interface SearchInnerTable {
  term: string
  client_id: number
  field: number
  pos: number
}

export interface RequirementsTable {
  id: Generated<number>
  client_id: number
  kind: string
  active: number
  data: string
  created_by: number | null
  created_at: string
  updated_at: string
  version: Generated<number>
}

export interface RequirementHistoryTable {
  id: Generated<number>
  requirement_id: number
  version: number
  data: string
  changed_by: number | null
  changed_at: string
}

export interface CollaborationRequestsTable {
  id: Generated<number>
  client_id: number
  requester_id: number
  owner_id: number | null
  note: string
  status: string
  created_at: string
  decided_at: string | null
  decided_by: number | null
  decision_reason: string | null
  version: Generated<number>
}

export interface ClientMergesTable {
  id: Generated<number>
  kept_id: number
  merged_id: number
  reason: string
  snapshot: string
  merged_by: number
  merged_at: string
}

export interface CountersTable {
  name: string
  value: number
}

export interface UserPrefsTable {
  staff_id: number
  key: string
  value: string
  updated_at: string
}

/** A greeting done for a care-list occasion (birthday or holiday), logged as a follow-up. */
export interface CareGreetingsTable {
  id: Generated<number>
  client_id: number
  occasion: string
  occasion_date: string
  /** done (a follow-up on a channel) or skipped with a note (migration 027) */
  outcome: Generated<string>
  follow_up_id: number | null
  staff_id: number
  channel: string | null
  note: string | null
  done_at: string
}

/** Policy news sent to a segment of the book as tasks to the owner agents (migration 027). */
export interface PolicyNewsTable {
  id: Generated<number>
  text: string
  /** the segment as JSON (PolicySegment in shared/contract/care.ts) */
  segment: string
  clients: number
  agents: number
  created_by: number
  created_at: string
}

/** A category of the standard complaint and service taxonomy, with its hours per client tier. */
export interface TicketCategoriesTable {
  id: Generated<number>
  code: string
  kind: string
  name_zh: string
  name_en: string
  hours_vip: number
  hours_key: number
  hours_normal: number
  hours_potential: number
  active: Generated<number>
  sort: Generated<number>
  version: Generated<number>
}

/** A complaint or service ticket of a client, from intake to the return visit. */
export interface TicketsTable {
  id: Generated<number>
  client_id: number
  category_id: number
  channel: string
  content: string
  state: string
  intake_by: number
  assignee_id: number | null
  deadline_at: string | null
  dispatches: Generated<number>
  created_at: string
  dispatched_at: string | null
  handling_at: string | null
  fed_back_at: string | null
  feedback: string | null
  closed_at: string | null
  return_visit: string | null
  satisfaction: number | null
  updated_at: string
  version: Generated<number>
}

/** A VIP card (认筹) of a project: number, holder, 意向金 and what became of it. */
export interface VipCardsTable {
  id: Generated<number>
  project_id: number
  card_no: number
  /** null on a rehearsal's generated card (holder_name instead) */
  client_id: number | null
  deposit: number
  receipt_no: string
  method: 'cash' | 'card' | 'transfer' | 'pos'
  paid_at: string
  status: Generated<'valid' | 'used' | 'forfeited' | 'refunded' | 'carried_over'>
  carry_over: Generated<number>
  refund_todo_id: number | null
  issued_by: number
  updated_at: string
  /** the rehearsal (演练) the card was generated for; null on a live card */
  rehearsal_event_id: number | null
  /** a rehearsal card's fake holder (演练…) */
  holder_name: string | null
}

/** A VIP card's wish list: units by rank (1 = first wish). */
export interface VipWishesTable {
  card_id: number
  rank: number
  unit_id: number
}

/** A subscription day (认购日) and where its calling stands (day, group, deadline on the host clock). */
export interface SubscriptionEventsTable {
  id: Generated<number>
  project_id: number
  name: string
  /** JSON array of YYYY-MM-DD */
  days: string
  cards_per_day: number
  group_size: number
  minutes_per_group: number
  order_by: 'card' | 'draw'
  rules_text: string
  status: 'setup' | 'drawing' | 'ready' | 'running' | 'between' | 'closed'
  day: Generated<number>
  grp: Generated<number>
  deadline: string | null
  created_by: number
  created_at: string
  /** 1: a rehearsal (演练) — its cards are generated, its picks open no transaction, its refunds no to-do */
  rehearsal: Generated<number>
}

export interface SubscriptionUnitsTable {
  event_id: number
  unit_id: number
}

/** A card's place in an event's queue and its outcome (the unit it picked and the 认购). */
export interface SubscriptionQueueTable {
  event_id: number
  card_id: number
  position: number
  day: number
  grp: number
  state: Generated<'waiting' | 'present' | 'picked' | 'passed' | 'absent'>
  unit_id: number | null
  tx_id: number | null
  checked_in_at: string | null
  decided_at: string | null
}

/** A draw: the secret seed (revealed at the draw), its commitment, the published list and its hash. */
export interface SubscriptionDrawsTable {
  id: Generated<number>
  event_id: number
  attempt: number
  seed: string
  commitment: string
  list: string
  list_hash: string
  public_value: string
  reason: string | null
  committed_at: string
  revealed_at: string | null
  void: Generated<number>
}

/** A notice the lobby display shows (a redraw). */
/** When a group of a subscription day was called and when its time ended (migration 027). */
export interface SubscriptionCallsTable {
  event_id: number
  day: number
  grp: number
  called_at: string
  /** null while the group is being called */
  ended_at: string | null
}

export interface SubscriptionNoticesTable {
  id: Generated<number>
  event_id: number
  kind: string
  text: string
  at: string
}

export interface FollowUpsTable {
  id: Generated<number>
  client_id: number
  staff_id: number
  channel: string
  content: string
  intention: string | null
  stage_to: string | null
  next_action: string | null
  next_due_at: string | null
  answers: string | null
  created_at: string
  /** the system's words about the entry (a lost client's reason) as a host text; null for most */
  text_key: string | null
  text_params: string | null
  /** the campaign this contact came from (migration 026) */
  campaign_id: number | null
  /** imported history (migration 040): the import and its row; null for a follow-up logged in Keyuan */
  import_id: number | null
  import_row: number | null
}

export interface ViewingsTable {
  id: Generated<number>
  client_id: number
  agent_id: number
  unit_id: number | null
  address: string | null
  starts_at: string
  ends_at: string
  status: Generated<string>
  feedback: string | null
  created_by: number | null
  created_at: string
  updated_at: string
  version: Generated<number>
}

/** A long job worked in slices (electron/host/jobs). */
export interface JobsTable {
  id: Generated<number>
  kind: string
  /** what was asked, JSON */
  params: string
  /** where the next slice starts and what the slices gathered, JSON */
  cursor: string
  status: Generated<'running' | 'done' | 'failed'>
  done: Generated<number>
  total: number | null
  /** what the finished job did, JSON */
  result: string | null
  created_by: number | null
  created_at: string
  updated_at: string
  finished_at: string | null
}

export interface TasksTable {
  id: Generated<number>
  staff_id: number
  client_id: number | null
  rule: string
  detail: string | null
  due_at: string
  status: Generated<string>
  event_key: string
  escalated_at: string | null
  created_at: string
  done_at: string | null
  /** the title as a host text (shared/domain/host-text-keys.ts) */
  text_key: Generated<string>
  /** its parameters, JSON */
  text_params: Generated<string>
}

export interface NotificationsTable {
  id: Generated<number>
  staff_id: number
  kind: string
  client_id: number | null
  task_id: number | null
  created_at: string
  read_at: string | null
  /** title and body as host texts (shared/domain/host-text-keys.ts), parameters JSON */
  title_key: Generated<string>
  title_params: Generated<string>
  body_key: Generated<string>
  body_params: Generated<string>
}

export interface PoolClaimsTable {
  id: Generated<number>
  client_id: number
  staff_id: number
  claimed_at: string
  day: string
}

export interface DutyRosterTable {
  day: string
  staff_id: number
  region: string | null
  client_kind: string | null
}

export interface AssignmentsTable {
  id: Generated<number>
  client_id: number
  staff_id: number
  /** a host text (shared/domain/host-text-keys.ts) as JSON */
  reason: string
  assigned_at: string
  /** the client's first contact at or after assigned_at; kept by triggers (migration 043) */
  first_contact_at: string | null
}

export interface QuestionSetsTable {
  id: Generated<number>
  name: string
  questions: string
  active: Generated<number>
  created_at: string
  /** a survey template's kind (satisfaction, needs, post_viewing, post_sale); null for a follow-up questionnaire */
  survey_kind: string | null
}

/** One survey filled in for a client by a member of staff (answers as JSON, [{ key, value }]). */
export interface SurveyResponsesTable {
  id: Generated<number>
  set_id: number
  client_id: number
  staff_id: number
  channel: string
  answers: string
  follow_up_id: number
  created_at: string
}

export interface MemberCardsTable {
  id: Generated<number>
  uid: string
  client_id: number
  status: Generated<string>
  issued_at: string
  issued_by: number | null
  lost_at: string | null
  replaced_by: number | null
  note: string | null
}

export interface CardAliasesTable {
  alias: string
  card_id: number
}

export interface SwipeLogTable {
  id: Generated<number>
  uid: string | null
  raw: string | null
  card_id: number | null
  client_id: number | null
  result: string
  staff_id: number | null
  address: string | null
  at: string
}

export interface VisitsTable {
  id: Generated<number>
  client_id: number
  card_id: number | null
  registered_by: number
  owner_id: number | null
  at: string
  protected_until: string | null
  /** the campaign that brought this visit (migration 026) */
  campaign_id: number | null
}

export interface ClubLevelsTable {
  id: Generated<number>
  name: string
  min_points: number
  discount_permille: number
  /** purchase thresholds, used when the level rule is 'purchases' (migration 027): amount in fen, number of deals */
  min_amount: Generated<number>
  min_deals: Generated<number>
}

export interface PointsLedgerTable {
  id: Generated<number>
  client_id: number
  delta: number
  kind: string
  /** a host text (shared/domain/host-text-keys.ts) as JSON */
  reason: string
  ref: string | null
  reverses: number | null
  staff_id: number | null
  at: string
}

export interface ActivitiesTable {
  id: Generated<number>
  name: string
  starts_at: string
  ends_at: string
  place: string | null
  capacity: number | null
  points: Generated<number>
  created_by: number | null
  created_at: string
}

export interface ActivitySignupsTable {
  activity_id: number
  client_id: number
  signed_up_at: string
  checked_in_at: string | null
}

export interface ReferralsTable {
  id: Generated<number>
  referrer_id: number
  referred_id: number
  created_by: number | null
  created_at: string
  rewarded_at: string | null
}

export interface ProjectsTable {
  id: Generated<number>
  name: string
  district: string | null
  created_at: string
}

export interface BuildingsTable {
  id: Generated<number>
  project_id: number
  name: string
}

export interface UnitsTable {
  id: Generated<number>
  building_id: number
  floor: number
  number: string
  layout: string | null
  area: number
  orientation: string | null
  list_price: number
  tags: Generated<string>
  bedrooms: number | null
  version: Generated<number>
}

export interface UnitTransactionsTable {
  id: Generated<number>
  unit_id: number
  client_id: number | null
  agent_id: number | null
  status: string
  live: Generated<number>
  price: Generated<number>
  reason: string | null
  expires_at: string | null
  closed_reason: string | null
  created_by: number | null
  created_at: string
  updated_at: string
  closed_at: string | null
  /** set when the deal is priced (认购 or beyond): the list price it was priced from (018) */
  priced_list_price: number | null
  /** the buyer's member level then, null for a non-member */
  member_level: string | null
  member_discount_permille: Generated<number>
  /** fen taken off the list price for the level */
  member_discount: Generated<number>
}

export interface TransactionStepsTable {
  id: Generated<number>
  tx_id: number
  status: string
  amount: number | null
  /** a host text (shared/domain/host-text-keys.ts) as JSON */
  note: string | null
  staff_id: number | null
  at: string
}

export interface PaymentsTable {
  id: Generated<number>
  tx_id: number
  receipt_no: string
  method: string
  amount: number
  paid_at: string
  staff_id: number | null
}

export interface PaymentScheduleTable {
  id: Generated<number>
  tx_id: number
  due_date: string
  amount: number
  label: string
}

export interface ChangeRequestsTable {
  id: Generated<number>
  kind: string
  unit_id: number | null
  project_id: number
  tx_id: number | null
  payload: string
  status: Generated<string>
  /** JSON array of the steps' roles */
  steps: Generated<string>
  step: Generated<number>
  round: Generated<number>
  requested_by: number
  decided_by: number | null
  comments: Generated<string>
  created_at: string
  decided_at: string | null
  /** JSON ChangeBefore: the unit and deal as they were when the request was (re)submitted; null on older requests */
  before: string | null
}

export interface ChangeDecisionsTable {
  id: Generated<number>
  change_id: number
  round: number
  step: number
  role: string
  staff_id: number
  approve: number
  comment: string | null
  at: string
}

export interface FinanceTodosTable {
  id: Generated<number>
  kind: string
  tx_id: number | null
  change_id: number | null
  amount: number
  /** a host text (shared/domain/host-text-keys.ts) as JSON */
  note: string
  status: Generated<string>
  created_at: string
  done_by: number | null
  done_at: string | null
  /** the refund voucher's or the new invoice's number, given when it was done */
  reference: string | null
  version: Generated<number>
}

export interface BoardPublicationsTable {
  id: Generated<number>
  project_id: number
  snapshot: string
  published_by: number
  published_at: string
}

/** One stage of a client from when it began to when it ended (migration 020, written by triggers). */
export interface ClientStageSpellsTable {
  id: Generated<number>
  client_id: number
  stage: string
  /** the owner while the spell runs; frozen when it ends */
  owner_id: number | null
  started_at: string
  ended_at: string | null
  next_stage: string | null
}

/** The open stage spells per stage, owner (0: none) and UTC month (YYYY-MM) of their start (migration 043, written by triggers). */
export interface StageSpellsOpenMonthsTable {
  stage: string
  owner_key: number
  month: string
  n: number
}

/** A client entering the public pool (migration 020, written by triggers). */
export interface ClientPoolEntriesTable {
  id: Generated<number>
  client_id: number
  from_owner_id: number | null
  at: string
}

export interface DB {
  staff: StaffTable
  team_events: TeamEventsTable
  team_event_participants: TeamEventParticipantsTable
  sessions: SessionsTable
  paired_devices: PairedDevicesTable
  change_log: ChangeLogTable
  standby_feeds: StandbyFeedsTable
  standby_cursor: StandbyCursorTable
  settings: SettingsTable
  audit_log: AuditLogTable
  sign_in_limits: SignInLimitsTable
  audit_number: AuditNumberTable
  schema_version: SchemaVersionTable
  key_ring: KeyRingTable
  clients: ClientsTable
  client_versions: ClientVersionsTable
  client_phones: ClientPhonesTable
  search_terms: SearchTermsTable
  search_inner: SearchInnerTable
  requirements: RequirementsTable
  requirement_history: RequirementHistoryTable
  collaboration_requests: CollaborationRequestsTable
  client_merges: ClientMergesTable
  counters: CountersTable
  user_prefs: UserPrefsTable
  follow_ups: FollowUpsTable
  viewings: ViewingsTable
  tasks: TasksTable
  notifications: NotificationsTable
  pool_claims: PoolClaimsTable
  duty_roster: DutyRosterTable
  assignments: AssignmentsTable
  question_sets: QuestionSetsTable
  survey_responses: SurveyResponsesTable
  member_cards: MemberCardsTable
  card_aliases: CardAliasesTable
  swipe_log: SwipeLogTable
  visits: VisitsTable
  club_levels: ClubLevelsTable
  points_ledger: PointsLedgerTable
  activities: ActivitiesTable
  activity_signups: ActivitySignupsTable
  referrals: ReferralsTable
  projects: ProjectsTable
  buildings: BuildingsTable
  units: UnitsTable
  unit_transactions: UnitTransactionsTable
  transaction_steps: TransactionStepsTable
  payments: PaymentsTable
  payment_schedule: PaymentScheduleTable
  change_requests: ChangeRequestsTable
  change_decisions: ChangeDecisionsTable
  finance_todos: FinanceTodosTable
  board_publications: BoardPublicationsTable
  jobs: JobsTable
  care_greetings: CareGreetingsTable
  policy_news: PolicyNewsTable
  client_imports: ClientImportsTable
  client_import_chunks: ClientImportChunksTable
  client_import_rows: ClientImportRowsTable
  client_import_mappings: ClientImportMappingsTable
  client_origins: ClientOriginsTable
  ticket_categories: TicketCategoriesTable
  tickets: TicketsTable
  vip_cards: VipCardsTable
  vip_wishes: VipWishesTable
  subscription_events: SubscriptionEventsTable
  subscription_units: SubscriptionUnitsTable
  subscription_queue: SubscriptionQueueTable
  subscription_draws: SubscriptionDrawsTable
  subscription_notices: SubscriptionNoticesTable
  subscription_calls: SubscriptionCallsTable
  client_stage_spells: ClientStageSpellsTable
  stage_spells_open_months: StageSpellsOpenMonthsTable
  client_pool_entries: ClientPoolEntriesTable
  campaigns: CampaignsTable
  client_campaigns: ClientCampaignsTable
  idempotent_writes: IdempotentWritesTable
  entered_cases: EnteredCasesTable
}

/** A write applied under a terminal's idempotency key, with its reply for a retry (migration 027). */
export interface IdempotentWritesTable {
  staff_id: number
  key: string
  method: string
  /** the reply as JSON */
  reply: string
  created_at: string
  /** sha-256 hex of (method, parsed input); null on rows kept before migration 035 */
  input_hash: string | null
}

/** A marketing campaign (营销活动): channel, days, cost in whole yuan. */
export interface CampaignsTable {
  id: Generated<number>
  name: string
  channel: string
  start_date: string
  end_date: string
  cost_yuan: number
  ended_at: string | null
  created_by: number
  created_at: string
  updated_at: string
  version: Generated<number>
}

/** The campaign that brought a client, when one did. */
export interface ClientCampaignsTable {
  client_id: number
  campaign_id: number
}

/** A client list being imported: the file, its mapping, and how far it got. */
export interface ClientImportsTable {
  id: Generated<number>
  file_name: string
  /** SHA-256 of the whole file, set once the last chunk is in */
  file_hash: string | null
  size: Generated<number>
  status: Generated<'uploading' | 'uploaded' | 'checked' | 'importing' | 'done' | 'cancelled'>
  /** what the file holds: clients, or follow-up history (migration 040) */
  kind: Generated<'clients' | 'followUps'>
  /** the header row as read, JSON */
  headers: string | null
  /** column index -> field, JSON */
  mapping: string | null
  /** verdict counts of the dry run and of the import, JSON */
  counts: string | null
  /** the import job, or while the dry run runs (status uploaded) its check job */
  job_id: number | null
  /** why the last dry run stopped before its end (an API error, JSON; migration 044) */
  check_error: string | null
  created_by: number
  created_at: string
  updated_at: string
}

export interface ClientImportChunksTable {
  import_id: number
  seq: number
  data: Buffer
}

/** One data row of an import with its dry-run verdict. */
export interface ClientImportRowsTable {
  import_id: number
  row_no: number
  verdict: 'create' | 'merge' | 'refuse' | 'skip'
  field: string | null
  reason: string | null
  params: string | null
  e164: string | null
  /** the row's values as the import writes them, JSON */
  value: string
  /** the row's cells as read, JSON */
  raw: string
  /** merge: the client it merges into; after the import: the client it made or merged */
  client_id: number | null
  done: Generated<number>
}

export interface ClientImportMappingsTable {
  signature: string
  mapping: string
  updated_at: string
}

/** Where an external client came from: the import and the original row. */
export interface ClientOriginsTable {
  client_id: number
  import_id: number
  row_no: number
  raw: string
  at: string
}

/** A team event on the calendar: a meeting, duty, training (migration 027). */
export interface TeamEventsTable {
  id: Generated<number>
  kind: 'meeting' | 'duty' | 'training' | 'other'
  title: string
  place: string | null
  starts_at: string
  ends_at: string
  created_by: number
  created_at: string
  cancelled_at: string | null
  version: Generated<number>
}

/** Who takes part in a team event (its start repeated for the per-person range index). */
export interface TeamEventParticipantsTable {
  event_id: number
  staff_id: number
  starts_at: string
}

/** A deal case typed in by hand (录入案例, issue #20): no party recorded. */
export interface EnteredCasesTable {
  id: Generated<number>
  project: string
  community: string | null
  district: string | null
  layout: string | null
  area: number
  floor: number | null
  price: number
  signed_on: string
  terms: string | null
  note: string | null
  entered_by: number
  entered_at: string
  withdrawn_at: string | null
  version: Generated<number>
}
