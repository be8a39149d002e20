import { z } from 'zod'
import { Id, IsoTime, Page, PageInput, type ContractTable } from './common'
import { textField } from '../domain/text-kinds'

/** Where a 申请协作 stands: waiting for the owner, accepted, declined with a reason, or closed (the requester left). */
export const CollabStatus = z.enum(['open', 'accepted', 'declined', 'closed'])

const StaffRef = z.object({ id: Id, name: z.string() })

/** One 申请协作 as the inbox lists it. */
export const CollabRequest = z.object({
  id: Id,
  clientId: Id,
  clientCode: z.string(),
  clientName: z.string(),
  requester: StaffRef,
  /** the client's owner now (who answers, beside the managers); null for a client in the pool */
  owner: StaffRef.nullable(),
  note: z.string(),
  status: CollabStatus,
  createdAt: IsoTime,
  decidedAt: IsoTime.nullable(),
  decidedBy: StaffRef.nullable(),
  /** the answerer's words: why they declined (required), or a word with an acceptance */
  reason: z.string().nullable(),
  /** pass it back with an answer: an answer to a request answered meanwhile is refused (STALE_WRITE) */
  version: z.number().int(),
  /** whether the caller may answer it now (the owner or a manager, while it is open) */
  mayAnswer: z.boolean(),
})

export const collabContract = {
  'collab.inbox': {
    input: PageInput.extend({
      /** `incoming`: requests the caller answers (their clients'; a manager's: all); `outgoing`: the caller's own */
      box: z.enum(['incoming', 'outgoing']).default('incoming'),
    }),
    output: Page(CollabRequest).extend({ open: z.number().int().min(0) }),
    write: false,
    summary: '申请协作 inbox: requests to answer (or one\'s own), open ones first, then newest first; `open` counts those still waiting.',
  },
  'collab.answer': {
    input: z.strictObject({
      id: Id,
      version: z.number().int().min(0),
      accept: z.boolean(),
      /** why, when declining (required then); a word to the requester when accepting */
      reason: textField('line', 200).optional(),
    }),
    output: CollabRequest,
    write: true,
    summary:
      "Accept (the requester works the client as a collaborator: sees it in full, logs follow-ups; the shared log names both) or decline with a reason; the requester is told. The client's owner or a manager answers.",
  },
} as const satisfies ContractTable
