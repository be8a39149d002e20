import type { HostText } from '../contract/host-text'

/**
 * Every text the host emits, by key, with the names of its parameters. The renderer has zh and
 * en words for each (renderer/src/i18n/host-texts.zh.ts and .en.ts; a unit test holds them to this
 * list). Two parameters have a meaning of their own:
 * - `ofKey` names another key of this list; the renderer words it with the text's other
 *   parameters and puts the result where `{{ofKey}}` stands (an escalation of any task, the kind
 *   of a change);
 * - `names` is a list of names separated by "\n", joined the way the language lists things.
 * Keys ending in `typed` carry what a person typed (a reason, an action), shown as it is.
 */
export const HOST_TEXT_KEYS = {
  /** text stored before the host sent keys, shown as it was written */
  legacy: ['text'],

  'task.entry': [],
  'task.needs': [],
  'task.viewing': [],
  'task.negotiation': [],
  'task.contract': [],
  'task.wake': [],
  'task.stuck': [],
  'task.claim': [],
  /** a follow-up's next action, as its agent typed it */
  'task.next': ['action'],
  /** an overdue task (ofKey and its params) escalated to the managers; agent: whose it was */
  'task.escalation': ['ofKey', 'agent'],
  /** a complaint or service ticket dispatched to its handler, due at its deadline */
  'task.ticket': [],
  /** policy news to tell a client (the news as the manager typed it is the task's detail) */
  'task.policyTyped': ['text'],
  /** the care plans per lifecycle layer (shared/domain/care-plans.ts, seed 002) */
  'task.care.market': [],
  'task.care.salon': [],
  'task.care.compare': [],
  'task.care.plan': [],
  'task.care.cases': [],
  'task.care.decor': [],
  'task.care.giftSpringFestival': [],
  'task.care.giftMidAutumn': [],

  /** one notice per agent for a policy-news batch: how many of their clients to tell, and the news as typed */
  'notice.policy': ['count'],
  'notice.policyBodyTyped': ['text'],
  /** a task notice's body: what the task is about (a client's name, a viewing's address) */
  'notice.subject': ['subject'],
  /** one notice for the new tasks a pass gave one person: how many, and about whom (the first three) */
  'notice.tasks': ['count'],
  'notice.tasksAbout': ['names'],
  'notice.pooled': [],
  'notice.pooledClients': ['names'],
  'notice.pooledClientsMore': ['names', 'count'],
  'notice.assigned': [],
  /** ofKey: why (an assign.* key) */
  'notice.assignedClient': ['client', 'ofKey'],
  'notice.visit': [],
  'notice.visitClient': ['client', 'code', 'desk'],
  'notice.changeApproved': [],
  'notice.changeRejected': [],
  /** ofKey: the kind of change (a change.* key); by: who decided */
  'notice.changeDecided': ['ofKey', 'by'],
  'notice.changeDecidedOnUnit': ['ofKey', 'unit', 'by'],
  'notice.changeDecidedComment': ['ofKey', 'by', 'comment'],
  'notice.changeDecidedOnUnitComment': ['ofKey', 'unit', 'by', 'comment'],
  /** a change request awaits the recipient's approval step; by: who asked */
  'notice.changeWaiting': [],
  'notice.changeWaitingBody': ['ofKey', 'by'],
  'notice.changeWaitingOnUnit': ['ofKey', 'unit', 'by'],
  /** 申请协作: asked (to the owner), answered (to the requester); reason: why declined, as typed */
  'notice.collabAsked': [],
  'notice.collabAskedBody': ['requester', 'client'],
  'notice.collabAccepted': [],
  'notice.collabAcceptedBody': ['client', 'by'],
  'notice.collabDeclined': [],
  'notice.collabDeclinedBody': ['client', 'by', 'reason'],
  /** to the admins while the newest backup is older than two days: its age in days, or none at all */
  /** a team event on the calendar set or cancelled: its title, when (branch time, YYYY-MM-DD HH:mm), who */
  'notice.teamEvent': [],
  'notice.teamEventBody': ['title', 'when', 'by'],
  'notice.teamEventCancelled': [],
  'notice.teamEventCancelledBody': ['title', 'when', 'by'],
  'notice.backupStale': [],
  'notice.backupAge': ['days'],
  'notice.backupNone': [],
  /** to the admins when a standby host has not pulled for more than 10 minutes: its device name and the minutes */
  'notice.standbyStale': [],
  'notice.standbyStaleBody': ['name', 'minutes'],

  /** a follow-up that marked the client lost, with the reason from the branch's list (the note as typed is its content) */
  'followup.lost': ['reason'],
  /** an accepted 申请协作: who joined, beside whom (the request's note is its content) */
  'followup.collabJoined': ['requester', 'owner'],
  /** a client handed back to the pool (the reason as typed is its content) */
  'followup.released': [],

  'change.rename': [],
  'change.swap': [],
  'change.cancel': [],
  'change.price': [],
  'change.discount': [],
  'change.bulkPrice': [],

  'assign.rota': [],
  'assign.revive': [],
  'assign.typed': ['reason'],
  /** a departing colleague's clients; reason: why they left, as typed */
  'assign.handover': ['staff', 'reason'],

  'points.viewing': [],
  'points.purchase': [],
  'points.referral': ['client'],
  'points.activity': ['activity'],
  'points.mergedOut': ['clientId'],
  'points.mergedIn': ['clientId'],
  'points.typed': ['reason'],

  'finance.releaseRefund': ['reason'],
  'finance.renameReinvoice': ['client'],
  'finance.swapDifference': ['unit'],
  'finance.cancelRefund': [],
  'finance.discountReinvoice': [],
  /** the 意向金 of a VIP card that forfeited (absent, passed, not reached), due back by `due` (YYYY-MM-DD) */
  'finance.vipRefund': ['cardNo', 'due'],

  'step.receipt': ['receiptNo'],
  'step.typed': ['reason'],
  'step.renamed': ['client'],
  'step.swappedTo': ['unit'],
  'step.swappedFrom': ['unitId'],
  'step.cancelled': [],
  'step.discountApproved': [],
  /** a member's level discount taken off the list price when the deal was priced; percent: "1", "0.5" */
  'step.memberDiscount': ['level', 'percent'],
  /** a 认购 picked with a VIP card on a subscription day */
  'step.vipPick': ['cardNo', 'event'],

  'import.badChar': ['char'],
  'import.buildingRequired': [],
  'import.numberRequired': [],
  'import.floorRange': [],
  'import.areaPositive': [],
  'import.pricePositive': [],
  'import.duplicateRow': ['row'],
  'import.exists': ['building', 'number'],
} as const satisfies Record<string, readonly string[]>

export type HostTextKey = keyof typeof HOST_TEXT_KEYS

/** The parameters of a key, each named once. */
export type HostTextParams<K extends HostTextKey> = { [P in (typeof HOST_TEXT_KEYS)[K][number]]: string | number }

/** A host text of a listed key with exactly its parameters (the host's one way to make one). */
export function hostTextOf<K extends HostTextKey>(key: K, ...params: keyof HostTextParams<K> extends never ? [] : [HostTextParams<K>]): HostText {
  return { key, params: params[0] ?? {} }
}

/** A text whose `ofKey` is another text (an escalated task, the kind of a change): that text's key and parameters go with it. */
export function hostTextAbout<K extends HostTextKey>(key: K, params: Omit<HostTextParams<K>, 'ofKey'>, of: HostText): HostText {
  return { key, params: { ...of.params, ...params, ofKey: of.key } }
}

/** The list a `names` parameter carries. */
export const NAMES_SEPARATOR = '\n'
